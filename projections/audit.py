"""The audit index projection: every event, searchable by who, what and both time axes.

One narrow row per event, extracted from the stored events by the database
itself, so it needs no event deserialised; the event's contents stay in the log
and are read from it by position.

On PostgreSQL a batch is one INSERT ... SELECT. On SQLite, where one writer at a
time holds the database, the rows are first extracted into a temporary table of
the read-model connection (no write lock: temporary tables are the connection's
own), and the batch's transaction only copies them in. The engine is asked for a
connection twice, to extract and then to write; it hands back the one just used
(``pool_use_lifo`` in ``projections.database.read_model_engine``, set there for this),
and if it does not, the stage holds another batch's number and the batch is extracted
again in the transaction: slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from secrets import randbits

from sqlalchemy import Connection, Engine

from projections import tables as t
from projections.audit_sql import COLUMNS, audit_rows_sql, sqlite_audit_select
from projections.projection import Change, Projection

STAGE = "temp.audit_stage"
STAGED = "temp.audit_staged"  # one row: which batch the stage holds


@dataclass(frozen=True)
class Staged:
    """A batch's audit rows extracted on a connection, under a number of its own."""

    span: tuple[int, int]
    number: int


class AuditProjection(Projection[Staged]):
    """The audit index."""

    name, version = "audit", 6
    tables = (t.audit_events,)

    def __init__(self, events_table: str, engine: Engine) -> None:
        self.events_table, self.engine = events_table, engine

    def work_out(self, changes: Sequence[Change], span: tuple[int, int]) -> Staged:
        staged = Staged(span, _batch_number())
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                _make_stage(conn)
                conn.exec_driver_sql(f"DELETE FROM {STAGE}")
                conn.exec_driver_sql(
                    f"INSERT INTO {STAGE} ({COLUMNS}) {sqlite_audit_select(self.events_table)}",
                    span,
                )
                conn.exec_driver_sql(f"DELETE FROM {STAGED}")
                conn.exec_driver_sql(f"INSERT INTO {STAGED} VALUES (?)", (staged.number,))
                conn.commit()
        return staged

    def write(self, conn: Connection, prepared: Staged) -> None:
        if conn.dialect.name == "sqlite" and _holds(conn, prepared):
            conn.exec_driver_sql(
                f"INSERT INTO rm_audit_events ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE}"
            )
            return
        conn.exec_driver_sql(audit_rows_sql(conn.dialect.name, self.events_table), prepared.span)


def _batch_number() -> int:
    """A number no other batch staged on any connection has (62 random bits: a connection
    may serve several runners, in this process or a worker's, so no counter of one
    runner, nor of one process, can be trusted to tell their batches apart)."""
    return randbits(62)


def _make_stage(conn: Connection) -> None:
    """The connection's temporary tables; the stage's columns have no type, so values
    are kept exactly as extracted, to be converted once, by the audit table."""
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {STAGE} ({COLUMNS})")
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {STAGED} (number INTEGER NOT NULL)")


def _holds(conn: Connection, staged: Staged) -> bool:
    """Whether this connection's stage holds the batch ``staged``."""
    _make_stage(conn)
    number = conn.exec_driver_sql(f"SELECT number FROM {STAGED}").scalar()
    return number == staged.number
