"""The audit index projection: every event, searchable by who, what and both time axes.

One narrow row per event, written straight from the event already read; the
event's contents stay in the log and are read from it by position. Times are
stored in UTC (on SQLite as text in the form SQLAlchemy reads back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from projections import tables as t
from projections.engine import Change, Projection

COLUMNS = (
    "position",
    "item_id",
    "item_type",
    "version",
    "event_type",
    "actor_id",
    "actor_role",
    "actor_unit",
    "occurred_at",
    "recorded_at",
    "request_id",
    "imported",
    "lag_seconds",
)


class AuditProjection(Projection):
    """The audit index."""

    name, version = "audit", 3
    tables = (t.audit_events,)

    def handles(self, change: Change) -> bool:
        return True

    def apply(self, conn: Connection, changes: Sequence[Change]) -> None:
        if not changes:
            return
        sqlite = conn.dialect.name == "sqlite"
        moment: Callable[[datetime], Any] = _utc_text if sqlite else _same
        marker = "?" if sqlite else "%s"
        sql = (
            f"INSERT INTO {t.audit_events.name} ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join([marker] * len(COLUMNS))})"
        )
        conn.exec_driver_sql(sql, [_row(change, moment) for change in changes])


def _row(change: Change, moment: Callable[[datetime], Any]) -> tuple[Any, ...]:
    event = change.event
    actor, occurred, recorded = event.actor, event.occurred_at, event.timestamp
    return (
        change.position,
        str(event.originator_id),
        change.item_type,
        event.originator_version,
        type(event).__name__,
        actor.id,
        actor.role.value,
        str(actor.unit) if actor.unit else None,
        moment(occurred),
        moment(recorded),
        event.request_id,
        event.imported,
        int((recorded - occurred).total_seconds()),
    )


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", timespec="microseconds")


def _same(value: datetime) -> datetime:
    return value
