"""The read models as the CLI reads them: brought up to date first, then queried.

``ledger export`` and ``ledger summary`` answer from the projections' tables, as the
API does. Before reading, they project what was appended since the projections last
ran (the way ``ledger project --once`` does); read models stopped on a failure are
not read at all: their tables would be stale, so the command says where they stopped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, and_, func, select

from api.cli.projection_workers import projection_runner
from api.settings import Settings
from domain.errors import OperationalFailure
from projections import tables as t
from projections.engine import Runner
from projections.status import failure_lines

ITEM_PROJECTIONS = ("tasks", "complaints", "legacy", "oversight")
AUDIT = "audit"
"""The audit index: where each item was created, and how many events the log holds."""


class ReadModelsStopped(OperationalFailure):
    """Read models a command needs have stopped on a failure: they are not read."""


@contextmanager
def up_to_date(settings: Settings, names: Sequence[str]) -> Iterator[Runner]:
    """A runner over the named projections, caught up with the log; its ledger (opened
    to read only) and its engine are closed afterwards. Refused with one line when any
    of them has stopped on a failure."""
    runner = projection_runner(settings, names, sign=False)
    try:
        runner.catch_up()
        stopped = [s for s in runner.status() if s.name in names]
        problems = failure_lines(stopped)
        if problems:
            raise ReadModelsStopped(
                f"the read models are stopped ({'; '.join(problems)}); "
                "see `ledger projections`, and `ledger rebuild` once the cause is fixed"
            )
        yield runner
    finally:
        runner.engine.dispose()
        runner.ledger.close()


def in_creation_order(conn: Connection, table: Table) -> list[dict[str, Any]]:
    """Every row of an item table, in the order the items were created (by the log
    position of each one's first event, from the audit index)."""
    a = t.audit_events
    created = and_(a.c.item_id == table.c.id, a.c.version == 1)
    query = select(table).join(a, created).order_by(a.c.position)
    return [dict(row._mapping) for row in conn.execute(query)]


def states_in_creation_order(conn: Connection, table: Table) -> list[str]:
    """The state of every item of an item table, in the order the items were created."""
    a = t.audit_events
    created = and_(a.c.item_id == table.c.id, a.c.version == 1)
    query = select(table.c.state).join(a, created).order_by(a.c.position)
    return [str(state) for state in conn.execute(query).scalars()]


def unit_names(conn: Connection) -> dict[str, str]:
    """Every unit's name, by its id."""
    return {
        str(row.id): str(row.name) for row in conn.execute(select(t.units.c.id, t.units.c.name))
    }


def event_count(conn: Connection) -> int:
    """How many ledger events the log holds (idempotency receipts are not ledger events)."""
    return int(conn.execute(select(func.count()).select_from(t.audit_events)).scalar_one())
