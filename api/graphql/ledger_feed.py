"""The events ``ledgerEvents`` sends, as they become ready: the replay, a page of the log at
a time, then the live feed, whatever it holds at each look.

It joins the live feed first, replays the log from ``after`` up to where the feed stood
when it joined, then takes the feed: no gap, no duplicate. Each look says whether more is
ready right after it (the replay goes on, or the feed holds more), so that the batches of
``disclosure_batches`` are sent as soon as nothing more is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Collection, Iterable, Sequence
from copy import copy
from typing import Any

from eventsourcing.persistence import Notification
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.disclosure_batches import PAGE, Ready
from api.graphql.events import Event, from_notification
from api.graphql.live_guard import FeedEnded
from api.graphql.lookup import concerns_unit
from api.runtime.log_tail import Subscriber

Info_ = Info[Context, Any]
Wanted = Callable[[Event], bool]


async def ledger_pages(info: Info_, after: int, wanted: Wanted) -> AsyncGenerator[Ready, None]:
    """The events after ``after`` that ``wanted`` takes: the replay, then live."""
    services = info.context.services
    tail, hours = services.tail, services.backdated_after_hours

    def decode(notification: Notification) -> Event | None:
        return from_notification(notification, hours)

    def events(notifications: Iterable[Notification]) -> list[Event]:
        found = (tail.decoded(n, decode) for n in notifications if n.id > after)
        # each subscriber its own copy: its personal data is opened or masked for it alone
        return [copy(e) for e in found if e is not None and wanted(e)]

    subscriber = tail.subscribe()
    try:
        position = after
        while position < subscriber.joined_at:  # the replay, up to where the feed joined
            page = await asyncio.to_thread(tail.read, position, subscriber.joined_at)
            if not page:
                break
            position = page[-1].id
            more = position < subscriber.joined_at or not subscriber.queue.empty()
            yield Ready(events(page), more)
        while (live := await _drained(subscriber)) is not None:
            yield Ready(events(live), not subscriber.queue.empty())
    finally:
        tail.unsubscribe(subscriber)


async def _drained(subscriber: Subscriber) -> Sequence[Notification] | None:
    """What the feed holds for ``subscriber``, waiting for something if it holds nothing,
    up to a page; None when the feed has ended."""
    first = await subscriber.queue.get()
    if first is None:
        if subscriber.overflowed:
            raise FeedEnded(
                "this subscription fell too far behind; subscribe again with `after` "
                "set to the last position received"
            )
        return None
    taken = [first]
    while len(taken) < PAGE and not subscriber.queue.empty():
        notification = subscriber.queue.get_nowait()
        if notification is None:  # the end, after these
            subscriber.queue.put_nowait(None)
            break
        taken.append(notification)
    return taken


async def visible(
    info: Info_, source: AsyncGenerator[Ready, None], hidden: Collection[str], unit: str | None
) -> AsyncGenerator[Ready, None]:
    """``source``'s events the caller may see: none of the item types ``hidden`` from its
    role, and for a unit's staff only those of the unit's items."""
    try:
        async for ready in source:
            shown = [
                event
                for event in ready.events
                if event.item_type not in hidden
                and (unit is None or await _concerns(info, event, unit))
            ]
            yield Ready(shown, ready.more)
    finally:
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
