"""Shared live views: each distinct view followed live is worked out once per change, and
the result handed to every subscriber of it.

A view's key says everything its answer depends on besides the read models and the date
(which view, the document and variables asked, what the role may see). The first
subscriber to a key starts its ``SharedView``: one task that works the answer out, then
waits for the projections to move (or for a new day by the ledger's clock, or a moment a
view named, either of which changes figures with nothing written), lets a burst settle for
the coalescing interval, works it out again and hands it out when it differs. The last
subscriber to leave stops it.

Each subscriber holds a ``Mailbox`` of one: a snapshot it has not taken yet is replaced by
the next (counted as dropped), so a slow subscriber always gets the latest snapshot and
never holds the others up, and nothing queues without bound.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

LOG = logging.getLogger("ledger.live_views")


class Snapshot(Protocol):
    """What a view's computation gives: compared to the last one, then handed out."""

    def same_as(self, other: Any) -> bool: ...


class Changes(Protocol):
    """What wakes the views: the projections moving on, and the date changing."""

    @property
    def position(self) -> int: ...

    async def next_change(self, seen: int) -> int: ...


class Watcher(Protocol):
    """Told about the views: opened and closed subscriptions, computations, fan-outs."""

    def subscription_opened(self, view: str) -> None: ...

    def subscription_closed(self, view: str) -> None: ...

    def view_computed(self, view: str, seconds: float) -> None: ...

    def fanned_out(self, view: str, seconds: float, subscribers: int) -> None: ...

    def snapshot_dropped(self, view: str) -> None: ...


class Unwatched:
    """A watcher that notes nothing."""

    def subscription_opened(self, view: str) -> None:
        pass

    def subscription_closed(self, view: str) -> None:
        pass

    def view_computed(self, view: str, seconds: float) -> None:
        pass

    def fanned_out(self, view: str, seconds: float, subscribers: int) -> None:
        pass

    def snapshot_dropped(self, view: str) -> None:
        pass


@dataclass(frozen=True)
class ViewKey:
    """One distinct live view: subscribers with equal keys get the same snapshots."""

    view: str
    """The root field followed (``supervisionOverview``), for the metrics."""
    asked: Hashable
    """The document, operation and variables as asked."""
    sees: Hashable
    """What the subscriber's role may see."""


Compute = Callable[[], Awaitable[Any]]


class Mailbox:
    """One subscriber's snapshot not yet taken: at most one; a newer one replaces it."""

    def __init__(self, on_drop: Callable[[], None]) -> None:
        self._value: Any = None
        self._ready = asyncio.Event()
        self._on_drop = on_drop

    def put(self, snapshot: Any) -> None:
        if self._ready.is_set():
            self._on_drop()  # the subscriber did not take the last one: it gets this instead
        self._value = snapshot
        self._ready.set()

    async def take(self) -> Any:
        await self._ready.wait()
        self._ready.clear()
        snapshot, self._value = self._value, None
        return snapshot


@dataclass(eq=False)
class SharedView:
    """One key's computation and its subscribers."""

    key: ViewKey
    compute: Compute
    hub: LiveViews
    subscribers: set[Mailbox] = field(default_factory=set)
    latest: Any = None
    task: asyncio.Task[None] | None = None

    def join(self) -> Mailbox:
        watcher = self.hub.watcher
        mailbox = Mailbox(lambda: watcher.snapshot_dropped(self.key.view))
        if self.latest is not None:
            mailbox.put(self.latest)  # a screen joining sees the view at once
        self.subscribers.add(mailbox)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(
                self._run(), name=f"live view {self.key.view}"
            )
        return mailbox

    def leave(self, mailbox: Mailbox) -> None:
        self.subscribers.discard(mailbox)
        if not self.subscribers and self.task is not None:
            self.task.cancel()
            self.task = None
            self.hub.forget(self)

    async def _run(self) -> None:
        hub = self.hub
        seen, looks = hub.changes.position, hub.looks
        await self._work_out(time.perf_counter())
        while True:
            moved = asyncio.ensure_future(hub.changes.next_change(seen))
            looked = asyncio.ensure_future(hub.next_look(looks))  # a new day, a moment passed
            try:
                await asyncio.wait({moved, looked}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                moved.cancel()
                looked.cancel()
            woken = time.perf_counter()
            if moved.done() and not moved.cancelled():
                seen = moved.result()
                await asyncio.sleep(hub.coalesce_seconds)  # a burst settles into one update
            seen, looks = max(seen, hub.changes.position), hub.looks
            await self._work_out(woken)

    async def _work_out(self, woken: float) -> None:
        started = time.perf_counter()
        try:
            snapshot = await self.compute()
        except asyncio.CancelledError:
            raise
        except Exception:  # told in the log; the subscribers keep the last snapshot
            LOG.exception("working out the live view %s failed", self.key.view)
            return
        watcher = self.hub.watcher
        watcher.view_computed(self.key.view, time.perf_counter() - started)
        if self.latest is not None and snapshot.same_as(self.latest):
            return
        self.latest = snapshot
        for mailbox in list(self.subscribers):
            mailbox.put(snapshot)
        watcher.fanned_out(self.key.view, time.perf_counter() - woken, len(self.subscribers))


class LiveViews:
    """The shared views of one process, by key."""

    def __init__(
        self,
        changes: Changes,
        today: Callable[[], date],
        coalesce_seconds: float,
        watcher: Watcher | None = None,
    ) -> None:
        self.changes, self.today, self.coalesce_seconds = changes, today, coalesce_seconds
        self.watcher: Watcher = watcher or Unwatched()
        self._views: dict[ViewKey, SharedView] = {}
        self._dawn: asyncio.Event | None = None
        self._look: asyncio.Event | None = None
        self.looks = 0
        """How many times the views were told to look again (``time_passed``)."""

    def join(self, key: ViewKey, compute: Compute) -> tuple[SharedView, Mailbox]:
        """Subscribe to ``key``'s view (started with ``compute`` if nobody follows it yet)."""
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = SharedView(key, compute, self)
        self.watcher.subscription_opened(key.view)
        return view, view.join()

    def leave(self, view: SharedView, mailbox: Mailbox) -> None:
        if mailbox in view.subscribers:
            self.watcher.subscription_closed(view.key.view)
        view.leave(mailbox)

    def forget(self, view: SharedView) -> None:
        if self._views.get(view.key) is view:
            del self._views[view.key]

    @property
    def views(self) -> int:
        """How many distinct views are being followed."""
        return len(self._views)

    def new_day(self) -> None:
        """The date by the ledger's clock may have changed (the clock's thread says so,
        through the event loop): every view looks again."""
        if self._dawn is not None:
            self._dawn.set()
            self._dawn = None
        self.time_passed()

    def time_passed(self) -> None:
        """A moment a view named for its figures to change has passed (the clock's thread
        says so), or a new day began: every view looks again, and sends what changed."""
        self.looks += 1
        if self._look is not None:
            self._look.set()
            self._look = None

    async def next_look(self, seen: int) -> None:
        """Return once the views are to look again with nothing written since ``seen``
        (``looks`` then): at once if they were told while working a view out."""
        while self.looks == seen:
            if self._look is None:
                self._look = asyncio.Event()
            await self._look.wait()

    async def new_day_after(self, day: date) -> None:
        """Return once the date is past ``day``."""
        while self.today() <= day:
            if self._dawn is None:
                self._dawn = asyncio.Event()
            await self._dawn.wait()
