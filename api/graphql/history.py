"""An item's history: its events and its state, at a version, a business time, or as the
ledger knew it at a record time. Read from the log itself.

The events come a page at a time (``events(first, after)``, or ``eventPage`` with cursors
and a total): ``HISTORY_PAGE`` by default, at most ``HISTORY_MAX_PAGE``, so no alias of
``history`` answers more than a page of an item however long its life.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.graphql.events import Event, from_domain, json_safe
from api.graphql.global_ids import global_id
from api.graphql.pages import Connection, decode_cursor, encode_cursor, make_connection, page_size
from api.permissions import ACCESS_RECORDS
from domain.errors import NotFound, ValidationError
from domain.ledger import Ledger
from domain.meta import LedgerEvent, LedgerItem

HIDDEN = frozenset({"_id", "_version", "_created_on", "_modified_on", "_pending_events"})
HISTORY_PAGE = 100
"""How many of an item's events a history answers when ``first`` is not given."""
HISTORY_MAX_PAGE = 500
"""The most events one page of a history may ask for."""
CURSOR_KIND = "history"


@strawberry.type(description="An item's events up to the point asked for, and its state there.")
class History:
    id: strawberry.ID
    item_id: str
    item_type: str
    version: int = strawberry.field(description="The version the state is at.")
    events: strawberry.Private[list[Event]]
    """Every event up to that point (personal data protected by the query); a page of them
    is answered."""
    state: Any = strawberry.field(graphql_type=JSON, description="The item's fields at that point.")

    @strawberry.field(
        name="events",
        description=f"The events up to that point, in version order, a page at a time: the "
        f"first `first` (default {HISTORY_PAGE}, at most {HISTORY_MAX_PAGE}) after the cursor "
        "`after` (a cursor of `eventPage`). `eventPage` tells whether there are more.",
    )
    def event_list(self, first: int | None = None, after: str | None = None) -> list[Event]:
        return self._page(first, after)[0]

    @strawberry.field(
        description=f"The events up to that point, in version order, as a connection: the "
        f"first `first` (default {HISTORY_PAGE}, at most {HISTORY_MAX_PAGE}) after the cursor "
        "`after`, with a cursor for each, whether more follow, and how many there are in all."
    )
    def event_page(self, first: int | None = None, after: str | None = None) -> Connection[Event]:
        shown, has_next = self._page(first, after)
        return make_connection(
            shown,
            [encode_cursor(CURSOR_KIND, [str(e.version)]) for e in shown],
            has_next=has_next,
            had_cursor=after is not None,
            total=len(self.events),
        )

    def _page(self, first: int | None, after: str | None) -> tuple[list[Event], bool]:
        """The events of the page asked for, and whether more follow it."""
        limit = page_size(first, HISTORY_PAGE, HISTORY_MAX_PAGE)
        since = decode_cursor(CURSOR_KIND, after)
        start = 0
        if since is not None:
            if not since or not since[0].isdigit():
                raise ValidationError("after", "is not a cursor this service gave out")
            start = next(
                (i for i, e in enumerate(self.events) if e.version > int(since[0])),
                len(self.events),
            )
        return self.events[start : start + limit], start + limit < len(self.events)


def item_history(
    ledger: Ledger,
    item_id: Any,
    *,
    as_of_version: int | None,
    as_of: datetime | None,
    known_at: datetime | None,
) -> History:
    """``NotFound`` when the item did not exist at that point (or at all); a
    ``ValidationError`` naming ``asOfVersion`` and the item's versions when it asks for a
    version the item does not have (the latest state is not an answer to it)."""
    events = ledger.history(item_id, as_of_version=as_of_version, as_of=as_of, known_at=known_at)
    positions = ledger.positions_of(item_id)
    if as_of_version is not None:
        _check_version(ledger, item_id, as_of_version, max(positions, default=0))
    item = _folded(item_id, events)
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


def _check_version(ledger: Ledger, item_id: Any, version: int, latest: int) -> None:
    """Refuse a version the item never had. The records of access (tokens, disclosures),
    which some roles may not know exist, answer as for an item not there yet."""
    if 1 <= version <= latest:
        return
    if type(ledger.item_events(item_id)[0]).__qualname__.partition(".")[0] in ACCESS_RECORDS:
        raise NotFound("item", item_id)
    raise ValidationError(
        "asOfVersion",
        f"is {version}, but this item's versions run from 1 to {latest}",
    )


def _folded(item_id: Any, events: list[LedgerEvent]) -> LedgerItem:
    """The item rebuilt from ``events`` (as ``Ledger.state_at``, without reading them again);
    ``NotFound`` when there are none (it did not exist yet)."""
    item: LedgerItem | None = None
    for event in events:
        item = event.mutate(item)
    if item is None:
        raise NotFound("item", item_id)
    return item


def item_state(item: LedgerItem) -> dict[str, Any]:
    fields = {k.lstrip("_"): v for k, v in vars(item).items() if k not in HIDDEN}
    state: dict[str, Any] = json_safe({"id": item.id, "version": item.version, **fields})
    return state
