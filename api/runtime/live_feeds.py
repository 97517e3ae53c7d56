"""Shared live feeds: the log's new events answered once for every subscriber asking alike.

A feed's key says everything its answers depend on besides the event (for ``ledgerEvents``:
the document and variables asked, ``after`` aside, and what the subscriber's role and unit
may see). The first subscriber to a key starts its ``SharedFeed``: one task that takes each
new event the key's subscribers are to see, answers it once and hands the answer to every
member's mailbox.

A member joins at the feed's ``boundary``: every event up to there has been handed out (or
was not for this key), every later one will reach its mailbox. So the subscriber replays
the log up to the boundary itself, then takes its mailbox: every event once, in order.

A mailbox holds at most ``QUEUE_LIMIT`` answers: a member that falls that far behind ends
with an error saying so (it may subscribe again from its last position), and never holds
the feed or the other members up. The last member to leave stops the feed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from api.runtime.identity import Unauthenticated
from api.runtime.live_views import Unwatched, Watcher
from api.runtime.log_tail import QUEUE_LIMIT

LOG = logging.getLogger("ledger.live_feeds")
VIEW = "ledgerEvents"
"""What the feeds are counted as in the metrics."""

Answer = tuple[int, Any]
"""An event's position, and its answer."""


class Answered(NamedTuple):
    """An event's answer, as a feed's source gives it."""

    position: int
    answer: Any
    since: float
    """When the event was taken up (``time.perf_counter()``), for the fan-out's figure."""


Source = Callable[[int], AsyncIterator[Answered]]
"""The answers of a key's events after a position, as they come."""


EXPIRY_CHECK_SECONDS = 1.0
"""How often the members' tokens are looked at again (the clock may move)."""
REVOKED = "this subscription's token was revoked"
EXPIRED = "this subscription's token has expired"


class FellBehind(Exception):
    """A member's mailbox was full: its subscriber took too long over what it was sent."""


@dataclass(frozen=True)
class Token:
    """What ends a member whatever the feed does: its token revoked, or expired."""

    revoked: asyncio.Event
    expires_at: datetime


class Member:
    """One subscriber of a shared feed: the answers not yet taken, and how it ended."""

    def __init__(self, boundary: int, token: Token, limit: int = QUEUE_LIMIT) -> None:
        self.boundary = boundary
        """Every event up to here is the subscriber's own to replay; later ones come here."""
        self.token, self.limit = token, limit
        self._waiting: deque[Answer] = deque()
        self._ready = asyncio.Event()
        self._ended = False
        self._reason: BaseException | None = None
        self.cut = False
        """Ended at once: what its subscriber took and has not sent yet is not sent."""

    def deliver(self, answer: Answer, now: datetime) -> None:
        """Queue ``answer`` (its event read at ``now`` by the ledger's clock), unless the
        member's token was revoked (its revocation is seen before any later event is
        read) or has expired: then the member ends at once."""
        if self._ended:
            return
        self.look_again(now)
        if self._ended:
            return
        if len(self._waiting) >= self.limit:
            self.end(FellBehind(), at_once=True)
            return
        self._waiting.append(answer)
        self._ready.set()

    def end(self, reason: BaseException | None = None, *, at_once: bool = False) -> None:
        """No more answers: ``reason`` (None: the feed is over) once those waiting are
        taken, or ``at_once``, dropping them (a revoked token sees nothing more)."""
        if self._ended:
            return
        self._ended, self._reason = True, reason
        if at_once:
            self._waiting.clear()
            self.cut = True
        self._ready.set()

    def look_again(self, now: datetime) -> None:
        """End the member if its token was revoked or has expired by ``now``."""
        if self.token.revoked.is_set():
            self.end(Unauthenticated(REVOKED), at_once=True)
        elif self.token.expires_at <= now:
            self.end(Unauthenticated(EXPIRED), at_once=True)

    async def take(self) -> list[Answer]:
        """Every answer waiting, waiting for one if none is; [] once the feed is over. Raises
        the reason it ended with, once the answers before it are taken."""
        while not self._waiting:
            if self._ended:
                if self._reason is not None:
                    raise self._reason
                return []
            self._ready.clear()
            await self._ready.wait()
        taken = list(self._waiting)
        self._waiting.clear()
        return taken


@dataclass(eq=False)
class SharedFeed:
    """One key's reading of the feed, and its members."""

    key: Hashable
    source: Source
    hub: LiveFeeds
    boundary: int
    members: set[Member] = field(default_factory=set)
    task: asyncio.Task[None] | None = None

    def join(self, token: Token) -> Member:
        member = Member(self.boundary, token)
        self.members.add(member)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run(), name="shared feed")
        return member

    def leave(self, member: Member) -> None:
        self.members.discard(member)
        if not self.members and self.task is not None:
            self.task.cancel()
            self.task = None
            self.hub.forget(self)

    async def _run(self) -> None:
        answers = self.source(self.boundary)
        reason: BaseException | None = None
        try:
            await self._hand_out(answers)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the source says what its subscribers are to be told
            reason = error
        finally:
            with suppress(Exception):
                await aclose(answers)
        self.hub.forget(self)
        for member in list(self.members):
            member.end(reason)

    async def _hand_out(self, answers: AsyncIterator[Answered]) -> None:
        watcher = self.hub.watcher
        async for answered in answers:
            answer, now = (answered.position, answered.answer), self.hub.clock()
            for member in list(self.members):
                member.deliver(answer, now)
            self.boundary = answered.position
            watcher.fanned_out(VIEW, time.perf_counter() - answered.since, len(self.members))


async def aclose(answers: AsyncIterator[Answered]) -> None:
    closing = getattr(answers, "aclose", None)
    if closing is not None:
        await closing()


class LiveFeeds:
    """The shared feeds of one process, by key."""

    def __init__(
        self,
        head: Callable[[], int],
        clock: Callable[[], datetime],
        watcher: Watcher | None = None,
    ) -> None:
        self.head, self.clock = head, clock
        """Where a new feed starts (the live feed's position); the ledger's clock."""
        self.watcher: Watcher = watcher or Unwatched()
        self._feeds: dict[Hashable, SharedFeed] = {}
        self._sweeping: asyncio.Task[None] | None = None

    def join(self, key: Hashable, source: Source, token: Token) -> tuple[SharedFeed, Member]:
        """Follow ``key``'s feed (started from ``source`` if nobody follows it yet), until
        ``token`` ends the member."""
        feed = self._feeds.get(key)
        if feed is None:
            feed = SharedFeed(key, source, self, self.head())
            self._feeds[key] = feed
        if self._sweeping is None or self._sweeping.done():
            self._sweeping = asyncio.get_running_loop().create_task(self._sweep(), name="tokens")
        return feed, feed.join(token)

    async def _sweep(self) -> None:
        """Every member's token looked at again each ``EXPIRY_CHECK_SECONDS``, while any
        feed runs (a feed quiet for an hour still ends a revoked or expired member)."""
        while self._feeds:
            await asyncio.sleep(EXPIRY_CHECK_SECONDS)
            now = self.clock()
            for feed in list(self._feeds.values()):
                for member in list(feed.members):
                    member.look_again(now)

    def leave(self, feed: SharedFeed, member: Member) -> None:
        feed.leave(member)

    async def stop(self) -> None:
        """The server stops: every feed and the sweep of the tokens end (their members
        with nothing more)."""
        tasks = [feed.task for feed in self._feeds.values() if feed.task is not None]
        if self._sweeping is not None:
            tasks.append(self._sweeping)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for feed in list(self._feeds.values()):
            for member in list(feed.members):
                member.end()
        self._feeds.clear()

    def forget(self, feed: SharedFeed) -> None:
        if self._feeds.get(feed.key) is feed:
            del self._feeds[feed.key]

    @property
    def feeds(self) -> int:
        """How many shared feeds run (``/metrics``)."""
        return len(self._feeds)

    @property
    def members(self) -> int:
        """How many subscribers the shared feeds serve (``/metrics``)."""
        return sum(len(feed.members) for feed in self._feeds.values())
