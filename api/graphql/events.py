"""The ``Event`` type: one entry of the log, as history, the audit trail and live feeds
show it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from eventsourcing.persistence import Notification
from strawberry.scalars import JSON

from api.graphql.enums import Role
from domain.meta import COMMON_FIELDS, LedgerEvent
from projections.stored_json import stored_fields
from projections.topics import item_type_of
from projections.views.audit_index import AuditEntry

RECEIPT_TOPIC = "domain.receipt:"


@strawberry.type(description="Who did it: a principal, its role and, for unit staff, the unit.")
class Actor:
    id: str
    role: Role
    unit: str | None


@strawberry.type(description="One event of the log: what happened to which item, who did it, when.")
class Event:
    position: int = strawberry.field(description="Global position in the log (1, 2, ...).")
    item_id: str
    item_type: str
    version: int
    type: str = strawberry.field(description="The event's name, as `Assigned`.")
    occurred_at: datetime = strawberry.field(description="Business time (may be back-dated).")
    recorded_at: datetime = strawberry.field(description="When the ledger recorded it.")
    actor: Actor
    request_id: str
    imported: bool = strawberry.field(description="Entered from an earlier record.")
    backdated: bool = strawberry.field(
        description="Recorded long after it occurred (see the policy's audit limit)."
    )
    data: Any = strawberry.field(graphql_type=JSON, description="The event's own fields.")

    @strawberry.field(
        description="The seal chain's value at this entry's position (SHA-256, hex), as the "
        "seal keeps it: what `ledger verify` recomputes from the stored row and the value "
        "before it; null until the entry is sealed."
    )
    async def chain(self, info: strawberry.Info[Any, Any]) -> str | None:
        found: bytes | None = await info.context.loaders.chains.load(self.position)
        return None if found is None else found.hex()


def from_entry(entry: AuditEntry) -> Event:
    """An event of the audit index."""
    return Event(
        position=entry.position,
        item_id=entry.item_id,
        item_type=entry.item_type,
        version=entry.version,
        type=entry.event_type,
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        actor=Actor(id=entry.actor_id, role=Role(entry.actor_role), unit=entry.actor_unit),
        request_id=entry.request_id,
        imported=entry.imported,
        backdated=entry.backdated,
        data=entry.data,
    )


def from_domain(event: LedgerEvent, position: int, backdated_after_hours: int) -> Event:
    """An event as the ledger folds it (for an item's history)."""
    fields = {k: json_safe(v) for k, v in vars(event).items() if k not in COMMON_FIELDS}
    topic_name = type(event).__qualname__
    return Event(
        position=position,
        item_id=str(event.originator_id),
        item_type=topic_name.partition(".")[0],
        version=event.originator_version,
        type=topic_name.partition(".")[2],
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        actor=Actor(
            id=event.actor.id,
            role=event.actor.role,
            unit=str(event.actor.unit) if event.actor.unit else None,
        ),
        request_id=event.request_id,
        imported=event.imported,
        backdated=_backdated(event.occurred_at, event.recorded_at, backdated_after_hours),
        data=fields,
    )


def from_notification(notification: Notification, backdated_after_hours: int) -> Event | None:
    """An event straight from the stored row (live feeds); None for the ledger's receipts."""
    if notification.topic.startswith(RECEIPT_TOPIC):
        return None
    fields = stored_fields(notification.state)
    actor = fields["actor"]
    occurred = datetime.fromisoformat(fields["occurred_at"])
    recorded = datetime.fromisoformat(fields["timestamp"])
    return Event(
        position=notification.id,
        item_id=str(notification.originator_id),
        item_type=item_type_of(notification.topic),
        version=notification.originator_version,
        type=notification.topic.rpartition(".")[2],
        occurred_at=occurred,
        recorded_at=recorded,
        actor=Actor(id=actor["id"], role=Role(actor["role"]), unit=actor["unit"]),
        request_id=fields.get("request_id", ""),
        imported=bool(fields.get("imported", False)),
        backdated=_backdated(occurred, recorded, backdated_after_hours),
        data={k: v for k, v in fields.items() if k not in COMMON_FIELDS},
    )


def json_safe(value: Any) -> Any:
    """A value of an event as plain JSON: ids and dates as text, enums by value."""
    match value:
        case UUID() | Decimal():
            return str(value)
        case datetime() | date():
            return value.isoformat()
        case Enum():
            return json_safe(value.value)
        case dict():
            return {str(k): json_safe(v) for k, v in value.items()}
        case list() | tuple() | set() | frozenset():
            return [json_safe(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _backdated(occurred: datetime, recorded: datetime, hours: int) -> bool:
    return (recorded.astimezone(UTC) - occurred.astimezone(UTC)).total_seconds() >= hours * 3600
