"""Live feeds: the log from any position on, and the views as they change.

``ledgerEvents(after)`` joins the live feed first, replays the log from ``after``
up to where the feed stood when it joined, then takes the feed: no gap, no
duplicate, so a dashboard that reconnects with its last position loses nothing.
The views send a snapshot, then a new one when the projections move and the
answer differs, at most one per coalescing interval however many events arrive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import suppress
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql.context import Context
from api.graphql.disclosure import PURPOSE, Opening
from api.graphql.events import Event, from_notification
from api.graphql.figure_queries import overview_as_of, totals_as_of
from api.graphql.global_ids import global_id, parse_id
from api.graphql.guards import Allowed, own_unit
from api.graphql.lookup import concerns_unit, node_by_id
from api.graphql.unit_node import Node
from api.graphql.view_types import LegacyIssueTotals, SupervisionOverview
from api.runtime.identity import Unauthenticated
from api.runtime.log_tail import Subscriber
from domain.errors import LedgerError, ValidationError

Info_ = Info[Context, Any]
T = TypeVar("T")


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


class FeedEnded(Exception):
    """The feed could not go on (the subscriber fell too far behind, or the read models
    lag); it may resubscribe from its last position."""


class SubscriptionFailed(LedgerError):
    """Something went wrong on the server; the client may subscribe again."""


LOG = logging.getLogger("ledger.subscriptions")


async def _ledger_events(
    info: Info_, after: int, wanted: LiveEventFilter
) -> AsyncGenerator[Event, None]:
    services = info.context.services
    tail = services.tail
    hours = services.backdated_after_hours
    subscriber = tail.subscribe()
    try:
        position = after
        while position < subscriber.joined_at:  # the replay, up to where the feed joined
            page = await asyncio.to_thread(tail.read, position, subscriber.joined_at)
            if not page:
                break
            for notification in page:
                event = from_notification(notification, hours)
                if event is not None and wanted.matches(event):
                    yield event
            position = page[-1].id
        async for notification in _feed(subscriber):
            if notification.id <= after:
                continue
            event = from_notification(notification, hours)
            if event is not None and wanted.matches(event):
                yield event
    finally:
        tail.unsubscribe(subscriber)


async def _feed(subscriber: Subscriber) -> AsyncGenerator[Any, None]:
    while True:
        notification = await subscriber.queue.get()
        if notification is None:
            if subscriber.overflowed:
                raise FeedEnded(
                    "this subscription fell too far behind; subscribe again with `after` "
                    "set to the last position received"
                )
            return
        yield notification


async def _snapshots(
    info: Info_, compute: Callable[[], Awaitable[T]], same: Callable[[T, T], bool]
) -> AsyncGenerator[T, None]:
    """``compute()`` now, then again after each move of the projections, sending only
    answers that differ, at most one per coalescing interval."""
    services = info.context.services
    projector, pause = services.projector, services.limits.coalesce_seconds
    seen = projector.position
    last = await compute()
    yield last
    while True:
        seen = await projector.next_change(seen)
        await asyncio.sleep(pause)  # let a burst of events settle into one update
        seen = max(seen, projector.position)
        info.context.fresh_loaders()  # units renamed meanwhile are read anew
        current = await compute()
        if not same(current, last):
            last = current
            yield current


def _equal(a: Any, b: Any) -> bool:
    return bool(a == b)


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
        unit = own_unit(info)
        hidden = permissions.hidden_item_types(info.context.actor.role)
        events = _ledger_events(info, after, filter or LiveEventFilter())
        async for event in until_revoked(info, events):
            if event.item_type in hidden:
                continue
            if unit is None or await _concerns(info, event, unit):
                event.data = opening.protect(event.item_id, event.data)
                await opening.record()
                yield event

    @strawberry.subscription(
        permission_classes=[Allowed],
        description="The 5+1+1 overview now, then again whenever it changes (as of a fixed "
        "date when `asOf` is given, else as of each day).",
    )
    async def supervision_overview(
        self, info: Info_, as_of: date | None = None
    ) -> AsyncGenerator[SupervisionOverview, None]:
        async def compute() -> SupervisionOverview:
            return await overview_as_of(info, as_of)

        async for snapshot in until_revoked(info, _snapshots(info, compute, _equal)):
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

        async for snapshot in until_revoked(info, _snapshots(info, compute, _equal)):
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

        async for snapshot in until_revoked(info, _snapshots(info, compute, _same_version)):
            yield snapshot


EXPIRY_CHECK_SECONDS = 1.0
"""How often an open subscription looks at its token's expiry again (the clock may move)."""


async def until_revoked(info: Info_, source: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """``source``'s items until the caller's token is revoked or expires: then the
    subscription ends with an error saying so."""
    principal = info.context.principal
    assert principal is not None
    revoked = info.context.services.tokens.revoked(principal.token_id)
    clock = info.context.services.ledger.clock
    ended = asyncio.ensure_future(revoked.wait())
    following: asyncio.Future[T] | None = None
    try:
        while True:
            if following is None:
                following = asyncio.ensure_future(anext(source))
            left = (principal.expires_at - clock()).total_seconds()
            if left <= 0:
                raise Unauthenticated("this subscription's token has expired")
            waiting: set[asyncio.Future[Any]] = {following, ended}
            done, _ = await asyncio.wait(
                waiting,
                timeout=min(left, EXPIRY_CHECK_SECONDS),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if ended in done:
                raise Unauthenticated("this subscription's token was revoked")
            if following not in done:
                continue  # the expiry is checked against the clock again
            try:
                item = following.result()
            except StopAsyncIteration:
                return
            except (LedgerError, FeedEnded):
                raise
            except Exception as error:  # internals stay in the log, not with the client
                LOG.exception("a subscription failed")
                raise SubscriptionFailed(
                    "this subscription failed on the server; subscribe again (for "
                    "ledgerEvents with `after` set to the last position received)"
                ) from error
            following = None
            yield item
    finally:
        ended.cancel()
        if following is not None and not following.done():
            following.cancel()  # stop the pending read before closing what it reads
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await following
        await source.aclose()


async def _concerns(info: Info_, event: Event, unit: str) -> bool:
    """Whether a live event's item concerns the unit, once the read models include it
    (if they lag too long, the feed ends rather than skip what may be the unit's)."""
    services = info.context.services
    if not await services.projector.wait_for(event.position, services.limits.read_wait_seconds):
        raise FeedEnded(
            f"the read models are behind position {event.position}; subscribe again with "
            f"`after` set to {event.position - 1}"
        )
    return await concerns_unit(info, event.item_id, unit)


def _same_version(a: Node | None, b: Node | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.version == b.version
