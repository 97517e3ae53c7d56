"""Where each projection stands, as its status row records it: its version, the last
position it applied and, for one that stopped, where, why and the problem (in lines:
``failure_lines``, as ``ledger projections`` and the server's readiness probe say it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from projections.database import write_transaction
from projections.projection import EVENT_FAILED, ProjectionFailed
from projections.row_checks import RowRefused
from projections.storable import storable_text
from projections.tables import projection_status


@dataclass(frozen=True)
class Status:
    name: str
    version: int
    position: int
    failed_position: int | None
    error: str | None
    stop_reason: str | None = None
    """Why it stopped at ``failed_position``: ``EVENT_FAILED`` or a refused row's reason."""


def statuses(engine: Engine) -> list[Status]:
    """Every projection's status row, by name."""
    with engine.connect() as conn:
        rows = conn.execute(select(projection_status).order_by(projection_status.c.name))
        return [
            Status(
                r.name,
                r.version,
                r.position,
                r.failed_position,
                r.error,
                r.stop_reason or (EVENT_FAILED if r.failed_position is not None else None),
            )
            for r in rows
        ]


def record_failure(
    engine: Engine,
    now: Callable[[], datetime],
    name: str,
    failure: ProjectionFailed | RowRefused,
) -> None:
    """Stop ``name`` at the failure's position, recording why."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(projection_status)
            .where(projection_status.c.name == name)
            .values(
                failed_position=failure.position,
                stop_reason=failure.reason,
                error=storable_text(str(failure)),
                updated_at=now(),
            )
        )


def clear_failure(engine: Engine, name: str) -> None:
    """Let ``name`` run again from where it stopped."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(projection_status)
            .where(projection_status.c.name == name)
            .values(failed_position=None, stop_reason=None, error=None)
        )


def start_afresh(conn: Connection, versions: Mapping[str, int], now: datetime) -> None:
    """The status rows of a new database's projections (``versions``: name to version),
    all at position 0, in the transaction that made its tables (one transaction, not one
    a projection: on PostgreSQL each commit waits for the disk)."""
    rows = [
        {"name": name, "version": version, "position": 0, "updated_at": now}
        for name, version in versions.items()
    ]
    conn.execute(insert(projection_status), rows)


def add_stop_reason(conn: Connection) -> None:
    """Add the status's ``stop_reason`` column to a table made before it was there (a
    probe of one statement, not the catalogue's reflection, on every start)."""
    try:
        with conn.begin_nested():
            conn.execute(select(projection_status.c.stop_reason).limit(0))
    except DBAPIError:
        conn.exec_driver_sql(
            f"ALTER TABLE {projection_status.name} ADD COLUMN stop_reason VARCHAR(32)"
        )


def problem_of(status: Status) -> str:
    """A stopped projection's recorded error, without the position it repeats."""
    error, at = status.error or "", f"at position {status.failed_position}: "
    return error.removeprefix(at).removeprefix(f"{status.stop_reason} {at}")


def failure_lines(statuses: Sequence[Status]) -> list[str]:
    """One line for each place projections stopped: which, where, and the problem (the
    projections a refused row stopped together share one)."""
    stopped: dict[tuple[int, str], list[str]] = {}
    for s in statuses:
        if s.failed_position is not None:
            key = (s.failed_position, f"{s.stop_reason}: {problem_of(s)}")
            stopped.setdefault(key, []).append(s.name)
    return [
        f"{', '.join(names)} stopped at position {position}, {problem}"
        for (position, problem), names in sorted(stopped.items())
    ]
