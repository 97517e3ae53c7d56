"""The audit index projection: every event, searchable by who, what and both time axes.

One narrow row per event, extracted from the stored events by the database
itself (one INSERT ... SELECT per batch), so it needs no event deserialised;
the event's contents stay in the log and are read from it by position.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from projections import tables as t
from projections.audit_sql import audit_rows_sql
from projections.engine import Change, Projection


class AuditProjection(Projection):
    """The audit index."""

    name, version = "audit", 6
    tables = (t.audit_events,)

    def __init__(self, events_table: str) -> None:
        self.events_table = events_table

    def prepare(self, changes: Sequence[Change], span: tuple[int, int]) -> tuple[int, int]:
        return span

    def write(self, conn: Connection, prepared: tuple[int, int]) -> None:
        conn.exec_driver_sql(audit_rows_sql(conn.dialect.name, self.events_table), prepared)
