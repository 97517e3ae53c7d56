"""The events ``ledgerEvents`` sends, as they become ready: the replay, a page of the log at
a time, then the live feed, whatever it holds at each look.

It joins the live feed first, replays the log from ``after`` up to where the feed stood
when it joined, then takes the feed: no gap, no duplicate. Each look says whether more is
ready right after it (the replay goes on, or the feed holds more), so that the batches of
``disclosure_batches`` are sent as soon as nothing more is. A subscriber served by a shared
feed (``shared_feed``) replays up to where it joined that feed (``upto``), and no further.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Collection, Iterable, Sequence
from copy import copy

from eventsourcing.persistence import Notification

from api.graphql.context import Context
from api.graphql.disclosure_batches import PAGE, Ready
from api.graphql.events import Event, from_notification
from api.graphql.live_guard import FELL_BEHIND, FeedEnded
from api.graphql.lookup import concerns_unit_of
from api.runtime.log_tail import LogTail, Subscriber

Wanted = Callable[[Event], bool]
Events = Callable[[Iterable[Notification]], list[Event]]


def _chosen(context: Context, after: int, wanted: Wanted) -> Events:
    """The events of some notifications after ``after`` that ``wanted`` takes, decoded."""
    services = context.services
    tail, hours = services.tail, services.backdated_after_hours

    def decode(notification: Notification) -> Event | None:
        return from_notification(notification, hours)

    def events(notifications: Iterable[Notification]) -> list[Event]:
        found = (tail.decoded(n, decode) for n in notifications if n.id > after)
        # each subscriber its own copy: its personal data is opened or masked for it alone
        return [copy(e) for e in found if e is not None and wanted(e)]

    return events


async def ledger_pages(
    context: Context, after: int, wanted: Wanted, upto: int | None = None, *, shared: bool = False
) -> AsyncGenerator[Ready, None]:
    """The events after ``after`` that ``wanted`` takes: the replay, then live; only the
    replay, up to ``upto``, when that is given. ``shared``: a shared feed's."""
    tail, events = context.services.tail, _chosen(context, after, wanted)
    if upto is not None:
        async for ready in _replay(tail, events, after, upto, lambda: True):
            yield ready
        return
    subscriber = tail.subscribe(shared=shared)
    try:
        queued = subscriber.queue
        async for ready in _replay(tail, events, after, subscriber.joined_at, queued.empty):
            yield ready
        while (live := await _drained(subscriber)) is not None:
            yield Ready(events(live), not queued.empty())
    finally:
        tail.unsubscribe(subscriber)


async def _replay(
    tail: LogTail, events: Events, after: int, upto: int, caught_up: Callable[[], bool]
) -> AsyncGenerator[Ready, None]:
    """The log after ``after`` up to ``upto``, a page at a time; more is ready after the
    last page unless ``caught_up()``."""
    position = after
    while position < upto:
        page = tail.recent(position, upto)
        if page is None:
            page = await asyncio.to_thread(tail.read, position, upto)
        if not page:
            break
        position = page[-1].id
        yield Ready(events(page), position < upto or not caught_up())


async def _drained(subscriber: Subscriber) -> Sequence[Notification] | None:
    """What the feed holds for ``subscriber``, waiting for something if it holds nothing,
    up to a page; None when the feed has ended."""
    first = await subscriber.queue.get()
    if first is None:
        if subscriber.overflowed:
            raise FeedEnded(FELL_BEHIND)
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
    context: Context,
    source: AsyncGenerator[Ready, None],
    hidden: Collection[str],
    unit: str | None,
) -> AsyncGenerator[Ready, None]:
    """``source``'s events the caller may see: none of the item types ``hidden`` from its
    role, and for a unit's staff only those of the unit's items."""
    try:
        async for ready in source:
            shown = [
                event
                for event in ready.events
                if event.item_type not in hidden
                and (unit is None or await _concerns(context, event, unit))
            ]
            yield Ready(shown, ready.more)
    finally:
        await source.aclose()


async def _concerns(context: Context, event: Event, unit: str) -> bool:
    """Whether a live event's item concerns the unit, once the read models include it
    (if they lag too long, the feed ends rather than skip what may be the unit's)."""
    services = context.services
    if not await services.projector.wait_for(event.position, services.limits.read_wait_seconds):
        raise FeedEnded(
            f"the read models are behind position {event.position}; subscribe again with "
            f"`after` set to {event.position - 1}"
        )
    return await concerns_unit_of(services, event.item_id, unit)
