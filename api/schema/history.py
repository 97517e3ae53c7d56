"""An item's history: its events and its state, at a version, a business time, or as the
ledger knew it at a record time. Read from the log itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.schema.events import Event, from_domain, json_safe
from api.schema.ids import global_id
from domain.ledger import Ledger
from domain.meta import LedgerItem

HIDDEN = frozenset({"_id", "_version", "_created_on", "_modified_on", "_pending_events"})


@strawberry.type(description="An item's events up to the point asked for, and its state there.")
class History:
    id: strawberry.ID
    item_id: str
    item_type: str
    version: int = strawberry.field(description="The version the state is at.")
    events: list[Event]
    state: Any = strawberry.field(graphql_type=JSON, description="The item's fields at that point.")


def item_history(
    ledger: Ledger,
    item_id: Any,
    *,
    as_of_version: int | None,
    as_of: datetime | None,
    known_at: datetime | None,
) -> History:
    """``NotFound`` when the item did not exist at that point (or at all)."""
    item = ledger.state_at(item_id, as_of_version=as_of_version, as_of=as_of, known_at=known_at)
    events = ledger.history(item_id, as_of_version=as_of_version, as_of=as_of, known_at=known_at)
    positions = ledger.positions_of(item_id)
    hours = ledger.policy.backdated_after_hours
    item_type = type(item).__name__
    return History(
        id=strawberry.ID(global_id(item_type, item_id)),
        item_id=str(item_id),
        item_type=item_type,
        version=item.version,
        events=[from_domain(e, positions[e.originator_version], hours) for e in events],
        state=item_state(item),
    )


def item_state(item: LedgerItem) -> dict[str, Any]:
    fields = {k.lstrip("_"): v for k, v in vars(item).items() if k not in HIDDEN}
    state: dict[str, Any] = json_safe({"id": item.id, "version": item.version, **fields})
    return state
