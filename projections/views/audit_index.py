"""The audit index: the event log searchable by actor, unit, item, event type and both
time axes, with back-dated entries marked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, column, func, select, table

from projections import tables as t
from projections.stored_json import event_data
from projections.views.listing import unit_item_ids

__all__ = ["AuditEntry", "AuditFilter", "audit_events", "count_audit_events"]

# The log's table and its position column, per database.
LOG = {"sqlite": ("stored_events", "rowid"), "postgresql": ("ledger_events", "notification_id")}


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every field left as None matches everything."""

    actor_id: str | None = None
    unit: str | None = None
    item_id: str | None = None
    item_type: str | None = None
    event_type: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    known_at: datetime | None = None
    backdated_only: bool = False
    exclude_imported: bool = False
    positions: tuple[int, ...] | None = None
    """Only the entries at these positions (None: any)."""
    concerning_unit: str | None = None
    """Only events of items that concern this unit (a unit's own view of the trail)."""
    hidden_item_types: tuple[str, ...] = ()
    """Item types left out whatever else matches."""


@dataclass(frozen=True)
class AuditEntry:
    position: int
    item_id: str
    item_type: str
    version: int
    event_type: str
    occurred_at: datetime
    recorded_at: datetime
    actor_id: str
    actor_role: str
    actor_unit: str | None
    request_id: str
    imported: bool
    backdated: bool
    data: dict[str, Any]


def audit_events(
    conn: Connection,
    where: AuditFilter,
    *,
    backdated_after_hours: int,
    after: int = 0,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries matching ``where`` after position ``after``, oldest first, at most ``limit``;
    each with the event's own fields, read from the log."""
    a = t.audit_events
    threshold = backdated_after_hours * 3600
    log_table, log_position = LOG[conn.dialect.name]
    log = table(log_table, column(log_position), column("state"))
    query = (
        select(a, log.c.state)
        .join(log, log.c[log_position] == a.c.position)
        .where(a.c.position > after, *_conditions(where, threshold))
        .order_by(a.c.position)
        .limit(limit)
    )
    return [_entry(row._mapping, threshold) for row in conn.execute(query)]


def count_audit_events(conn: Connection, where: AuditFilter, *, backdated_after_hours: int) -> int:
    """How many entries match ``where`` in all."""
    a = t.audit_events
    conditions = _conditions(where, backdated_after_hours * 3600)
    return int(conn.execute(select(func.count()).select_from(a).where(*conditions)).scalar_one())


def _conditions(f: AuditFilter, threshold: int) -> list[ColumnElement[bool]]:
    a = t.audit_events
    equal = {
        a.c.actor_id: f.actor_id,
        a.c.actor_unit: f.unit,
        a.c.item_id: f.item_id,
        a.c.item_type: f.item_type,
        a.c.event_type: f.event_type,
    }
    conditions = [column == value for column, value in equal.items() if value is not None]
    bounds = [
        (a.c.occurred_at, f.occurred_from, f.occurred_to),
        (a.c.recorded_at, f.recorded_from, f.recorded_to or f.known_at),
    ]
    for moment, low, high in bounds:
        if low is not None:
            conditions.append(moment >= low.astimezone(UTC))
        if high is not None:
            conditions.append(moment <= high.astimezone(UTC))
    if f.known_at is not None and f.recorded_to is not None:
        conditions.append(a.c.recorded_at <= f.known_at.astimezone(UTC))
    if f.backdated_only:
        conditions.append(a.c.lag_seconds >= threshold)
    if f.exclude_imported:
        conditions.append(a.c.imported.is_(False))
    if f.positions is not None:
        conditions.append(a.c.position.in_(f.positions))
    if f.hidden_item_types:
        conditions.append(a.c.item_type.not_in(f.hidden_item_types))
    if f.concerning_unit is not None:
        conditions.append(a.c.item_id.in_(unit_item_ids(f.concerning_unit)))
    return conditions


def _entry(row: Any, threshold: int) -> AuditEntry:
    return AuditEntry(
        position=row["position"],
        item_id=row["item_id"],
        item_type=row["item_type"],
        version=row["version"],
        event_type=row["event_type"],
        occurred_at=_aware(row["occurred_at"]),
        recorded_at=_aware(row["recorded_at"]),
        actor_id=row["actor_id"],
        actor_role=row["actor_role"],
        actor_unit=row["actor_unit"],
        request_id=row["request_id"],
        imported=bool(row["imported"]),
        backdated=row["lag_seconds"] >= threshold,
        data=event_data(row["state"]),
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
