"""Live feeds: the log from any position on, and the views as they change.

``ledgerEvents(after)`` joins the live feed first, replays the log from ``after``
up to where the feed stood when it joined, then takes the feed: no gap, no
duplicate, so a dashboard that reconnects with its last position loses nothing
(``ledger_feed``); personal data it shows in clear is recorded first, one Disclosure
to a batch of events (``disclosure_batches``).
The views send a snapshot, then a new one when the projections move and the
answer differs, at most one per coalescing interval however many events arrive.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql.context import Context
from api.graphql.disclosure import PURPOSE, Opening
from api.graphql.disclosure_batches import disclosed
from api.graphql.events import Event
from api.graphql.figure_queries import (
    board_as_of,
    oversight_as_of,
    overview_as_of,
    totals_as_of,
)
from api.graphql.global_ids import global_id, parse_id
from api.graphql.guards import Allowed, own_unit
from api.graphql.ledger_feed import ledger_pages, visible
from api.graphql.live_guard import FeedEnded, snapshots, until_revoked, view_feed
from api.graphql.lookup import node_by_id
from api.graphql.observability import followed
from api.graphql.screen_types import OversightTotals, TaskBoard
from api.graphql.shared_feed import Handover
from api.graphql.unit_node import Node
from api.graphql.view_types import LegacyIssueTotals, SupervisionOverview
from domain.errors import ValidationError

Info_ = Info[Context, Any]

__all__ = ["FeedEnded", "LiveEventFilter", "Subscription", "until_revoked"]


@strawberry.input(description="Which events to send; every field left out matches everything.")
class LiveEventFilter:
    item_types: list[str] | None = None
    item_id: strawberry.ID | None = None
    event_types: list[str] | None = None

    def matches(self, event: Event) -> bool:
        if self.item_types is not None and event.item_type not in self.item_types:
            return False
        if self.event_types is not None and event.type not in self.event_types:
            return False
        return self.item_id is None or event.item_id == _bare(str(self.item_id))


def _bare(value: str) -> str:
    return str(parse_id("filter.itemId", value)[1])


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=[Allowed],
        description="The log from position `after` on (0: from the start), then live: "
        "every event once, in order.",
    )
    async def ledger_events(
        self,
        info: Info_,
        after: int = 0,
        filter: LiveEventFilter | None = None,
        purpose: Annotated[str | None, strawberry.argument(description=PURPOSE)] = None,
    ) -> AsyncGenerator[Event, None]:
        if after < 0:
            raise ValidationError("after", "must be a position, 0 or more")
        opening = Opening(info.context, purpose, "the live feed (ledgerEvents)")
        if filter is not None and filter.item_id is not None:
            parse_id("filter.itemId", str(filter.item_id))  # refused now, not at the first event
        hidden = permissions.hidden_item_types(info.context.actor.role)
        wanted, unit = (filter or LiveEventFilter()).matches, own_unit(info)
        handover = info.root_value if isinstance(info.root_value, Handover) else None
        if opening.clear:
            handover = None  # its Disclosures are its own: its own feed, as ever
        upto = None if handover is None else handover.join(after, wanted, hidden, unit)
        pages = visible(info.context, ledger_pages(info.context, after, wanted, upto), hidden, unit)
        events = until_revoked(info, disclosed(opening, pages))
        async for event in followed(info, "ledgerEvents", events):
            yield event
        if handover is not None:  # replayed up to the shared feed: it takes over
            handover.hand_over()

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="The 5+1+1 overview now, then again whenever it changes (as of a fixed "
        "date when `asOf` is given, else as of each day).",
    )
    async def supervision_overview(
        self, info: Info_, as_of: date | None = None
    ) -> AsyncGenerator[SupervisionOverview, None]:
        async def compute() -> SupervisionOverview:
            return await overview_as_of(info, as_of, with_months=True)

        async for snapshot in view_feed(info, compute, as_of):
            yield snapshot

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="Legacy-problem totals now, then again whenever they change.",
    )
    async def legacy_issue_totals(
        self, info: Info_, as_of: date | None = None
    ) -> AsyncGenerator[LegacyIssueTotals, None]:
        async def compute() -> LegacyIssueTotals:
            return await totals_as_of(info, as_of)

        async for snapshot in view_feed(info, compute, as_of):
            yield snapshot

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="The task board's figures now, then again whenever they change.",
    )
    async def task_board(
        self, info: Info_, as_of: date | None = None
    ) -> AsyncGenerator[TaskBoard, None]:
        async def compute() -> TaskBoard:
            return await board_as_of(info, as_of)

        async for snapshot in view_feed(info, compute, as_of):
            yield snapshot

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="Interviews and referrals in figures now, then again whenever they change.",
    )
    async def oversight_totals(
        self, info: Info_, as_of: date | None = None
    ) -> AsyncGenerator[OversightTotals, None]:
        async def compute() -> OversightTotals:
            return await oversight_as_of(info, as_of)

        async for snapshot in view_feed(info, compute, as_of):
            yield snapshot

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="One item now (null if it does not exist yet), then again after each "
        "change to it.",
    )
    async def item_changed(
        self,
        info: Info_,
        id: strawberry.ID,
    ) -> AsyncGenerator[Node | None, None]:
        item_type, item_id = parse_id("id", str(id))
        key = str(id) if item_type is None else global_id(item_type, item_id)
        unit = own_unit(info)

        async def compute() -> Node | None:
            return await node_by_id(info, key, unit=unit)

        changes = until_revoked(info, snapshots(info, compute, _same_version))
        async for snapshot in followed(info, "itemChanged", changes):
            yield snapshot


def _same_version(a: Node | None, b: Node | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.version == b.version
