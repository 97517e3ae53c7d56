"""The live feed's Disclosures, one per batch of events rather than one per event.

An office or inspector subscriber to ``ledgerEvents`` that states a purpose sees
complainants' personal data in clear, and every event so shown must be covered by a
Disclosure recorded before it is sent. Recording one per event doubled the feed's work,
so the events are held in batches: a batch's events are opened, its one Disclosure
(naming every item and field of the batch shown in clear) is recorded, then they are
sent in order. If recording fails, nothing of the batch is sent and the error ends the
subscription.

A batch is sent as soon as it is full (``PAGE`` events), or as soon as nothing more is
ready (the replay has ended and the live feed holds nothing more) and no Disclosure was
recorded in the last ``INTERVAL_SECONDS``: so at most one Disclosure per page or per
second, and no wait when the feed is quiet. Events that need no Disclosure (no personal
data in clear, or a subscriber who may not see it or stated no purpose) are never held.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Protocol

from api.graphql.events import Event

PAGE = 500
"""At most this many events to a batch (a page of the replay)."""
INTERVAL_SECONDS = 1.0
"""At most one Disclosure a second, unless a batch is full."""

Pause = Callable[[float], Awaitable[None]]


@dataclass
class Ready:
    """Events ready to send, and whether more are ready after them without waiting (the
    replay goes on, or the live feed holds more)."""

    events: list[Event]
    more: bool


class Shown(Protocol):
    """What the batches ask of a read's ``disclosure.Opening``."""

    clear: bool
    """Whether it may show anything in clear at all."""

    def protect(self, item_id: str, fields: dict[str, Any]) -> dict[str, Any]: ...

    @property
    def unrecorded(self) -> bool: ...

    async def record(self) -> None: ...


class _Batch:
    """The events held until their Disclosure is recorded, and those waiting behind them."""

    def __init__(self, opening: Shown, page: int, interval: float, pause: Pause) -> None:
        self.opening, self.page, self.interval, self.pause = opening, page, interval, pause
        self.waiting: deque[Event] = deque()
        self.held: list[Event] = []
        self.more = True
        self.quiet: asyncio.Future[None] | None = None  # the second after the last Disclosure

    def add(self, ready: Ready) -> None:
        self.waiting.extend(ready.events)
        self.more = ready.more
        self._take()

    def _take(self) -> None:
        """Open (or mask) the waiting events into the batch, up to a page."""
        while self.waiting and len(self.held) < self.page:
            event = self.waiting.popleft()
            event.data = self.opening.protect(event.item_id, event.data)
            self.held.append(event)

    def due(self) -> bool:
        """Whether the batch is to be sent now."""
        if not self.held:
            return False
        if len(self.held) >= self.page or not self.opening.unrecorded:
            return True
        return not self.waiting and not self.more and not self.too_soon()

    def too_soon(self) -> bool:
        """Whether a Disclosure was recorded less than the interval ago."""
        return self.quiet is not None and not self.quiet.done()

    async def send(self) -> list[Event]:
        """Record the batch's Disclosure (if it shows anything in clear); its events."""
        if self.opening.unrecorded:
            await self.opening.record()
            self.quiet = asyncio.ensure_future(self.pause(self.interval))
        sent, self.held = self.held, []
        self._take()
        return sent

    def close(self) -> None:
        if self.quiet is not None:
            self.quiet.cancel()


async def disclosed(
    opening: Shown,
    source: AsyncGenerator[Ready, None],
    *,
    page: int = PAGE,
    interval: float = INTERVAL_SECONDS,
    pause: Pause = asyncio.sleep,
) -> AsyncGenerator[Event, None]:
    """``source``'s events, protected by ``opening``, each sent only once the Disclosure
    covering it is recorded, in batches (see the module)."""
    if not opening.clear:  # masked throughout: nothing to record, nothing held
        async for event in _masked(opening, source):
            yield event
        return
    batch = _Batch(opening, page, interval, pause)
    following: asyncio.Future[Ready] | None = None
    try:
        while True:
            if batch.due():
                for event in await batch.send():
                    yield event
                continue
            if following is None:
                following = asyncio.ensure_future(anext(source))
            await _ready_or_quiet(following, batch)
            if not following.done():
                continue  # the interval has passed: the held batch is due
            ready, following = following, None
            try:
                batch.add(ready.result())
            except StopAsyncIteration:
                break
        while batch.held:  # the feed ended (the server stops): what is held, recorded first
            for event in await batch.send():
                yield event
    finally:
        batch.close()
        await _cancelled(following)
        await source.aclose()


async def _masked(opening: Shown, source: AsyncGenerator[Ready, None]) -> AsyncGenerator[Event]:
    """``source``'s events as they come, personal data masked."""
    try:
        async for ready in source:
            for event in ready.events:
                event.data = opening.protect(event.item_id, event.data)
                yield event
    finally:
        await source.aclose()


async def _ready_or_quiet(following: asyncio.Future[Ready], batch: _Batch) -> None:
    """Wait for the source's next events, or for the interval to pass when a batch is
    held only for it."""
    waits: set[asyncio.Future[Any]] = {following}
    if batch.held and not batch.more and batch.quiet is not None and batch.too_soon():
        waits.add(batch.quiet)
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)


async def _cancelled(following: asyncio.Future[Ready] | None) -> None:
    if following is not None and not following.done():
        following.cancel()  # stop the pending read before closing what it reads
        with suppress(asyncio.CancelledError, StopAsyncIteration):
            await following
