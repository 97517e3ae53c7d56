"""The log, as a live feed: every new event handed to each subscriber, in order.

One task reads what was appended since it last looked (woken by the server's own
commits, by LISTEN/NOTIFY on PostgreSQL, or by its poll interval) and hands each
event to every subscriber's queue. A subscriber notes where the feed stood when
it joined: it replays the log up to there itself, then takes the queue, so it
sees every event exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from eventsourcing.persistence import Notification

from domain.ledger import Ledger
from projections.follow import Wakeup

PAGE = 500
RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 5.0
LOG = logging.getLogger("ledger.live_feed")
QUEUE_LIMIT = 10_000
DECODED = 2 * PAGE
"""The latest events kept decoded for every subscriber (``decoded``)."""
RECENT = 2 * PAGE
"""The latest events kept as read, for replays that start among them (``recent``)."""
T = TypeVar("T")


@dataclass(eq=False)
class Subscriber:
    """One subscriber's queue, and the position the feed had reached when it joined."""

    joined_at: int
    queue: asyncio.Queue[Notification | None] = field(default_factory=asyncio.Queue)
    overflowed: bool = False
    shared: bool = False
    """A shared feed's (``api.runtime.live_feeds``): it counts its members instead."""


class LogTail:
    """Reads the log as it grows and fans each new event out to the subscribers."""

    def __init__(self, ledger: Ledger, poll_seconds: float = 0.5) -> None:
        self.ledger = ledger
        self.position = 0
        self._subscribers: set[Subscriber] = set()
        self._watchers: list[tuple[str, Callable[[Notification], None]]] = []
        self._wakeup = Wakeup(ledger, poll_seconds)
        self._stop = threading.Event()
        self._reading = threading.Lock()  # held by a worker thread while it reads the log
        self._task: asyncio.Task[None] | None = None
        self._decoded: OrderedDict[int, object] = OrderedDict()
        self._recent: deque[Notification] = deque(maxlen=RECENT)

    def decoded(self, notification: Notification, decode: Callable[[Notification], T]) -> T:
        """``decode(notification)``, worked out once for every subscriber of the feed while
        it is among the latest ``DECODED`` (a thousand screens, one decoding)."""
        key = notification.id
        if key in self._decoded:
            found: T = self._decoded[key]  # type: ignore[assignment]
            return found
        made = decode(notification)
        self._decoded[key] = made
        if len(self._decoded) > DECODED:
            self._decoded.popitem(last=False)
        return made

    def start(self) -> None:
        self.position = self.ledger.recorder.max_notification_id() or 0
        self._task = asyncio.get_running_loop().create_task(self._run(), name="log-tail")

    async def stop(self) -> None:
        """End the feed. Cancelling the task does not stop a read already running in a
        worker thread: that read is waited for (the ledger's connection is closed next,
        and closing an SQLite connection another thread is using crashes the process),
        and no read starts after it."""
        self._stop.set()
        self._wakeup.set()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            except Exception:  # it had failed before it was stopped: say so, then stop
                LOG.exception("the live feed had failed")
        await asyncio.to_thread(self._no_read_running)
        self._wakeup.close()
        for subscriber in self._subscribers:
            subscriber.queue.put_nowait(None)

    def watch(self, topic: str, seen: Callable[[Notification], None]) -> None:
        """Call ``seen`` with every new row of ``topic`` (before subscribers get it)."""
        self._watchers.append((topic, seen))

    @property
    def subscriber_count(self) -> int:
        """How many subscribers the feed has now, shared feeds aside (``/metrics``)."""
        return sum(not s.shared for s in self._subscribers)

    def subscribe(self, *, shared: bool = False) -> Subscriber:
        subscriber = Subscriber(self.position, shared=shared)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def read(self, after: int, upto: int) -> Sequence[Notification]:
        """The stored events after ``after`` up to ``upto`` (inclusive), at most a page."""
        return self.ledger.recorder.select_notifications(start=after + 1, stop=upto, limit=PAGE)

    def recent(self, after: int, upto: int) -> Sequence[Notification] | None:
        """``read(after, upto)`` from the latest events the feed handed out, when they hold
        every event after ``after`` up to ``upto`` (a screen reconnecting, thousands of
        subscribers joining at once: no read of the log); None when they do not."""
        kept = self._recent
        if not kept or kept[0].id > after + 1 or upto > self.position:
            return None
        return [n for n in kept if after < n.id <= upto][:PAGE]

    async def _run(self) -> None:
        """Read on, whatever happens: a failed read (a lock, a dropped connection) is
        logged and tried again after a pause, never the end of the feed."""
        pause = RETRY_SECONDS
        while not self._stop.is_set():
            try:
                await self._read_on()
                pause = RETRY_SECONDS
            except Exception:
                LOG.exception("reading the log for the live feed failed; retrying")
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_RETRY_SECONDS)
                continue
            await asyncio.to_thread(self._wakeup.wait)

    async def _read_on(self) -> None:
        head = await asyncio.to_thread(self._unless_stopped, self._head) or 0
        while self.position < head:
            page = await asyncio.to_thread(self._unless_stopped, self.read, self.position, head)
            if not page:
                break
            self._hand_out(page)
            self.position = page[-1].id

    def _head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def _unless_stopped(self, read: Callable[..., T], *args: object) -> T | None:
        """``read(*args)`` in a worker thread, unless the feed has stopped (None)."""
        with self._reading:
            return None if self._stop.is_set() else read(*args)

    def _no_read_running(self) -> None:
        with self._reading:
            pass

    def _hand_out(self, page: Sequence[Notification]) -> None:
        self._recent.extend(page)
        for topic, seen in self._watchers:
            for notification in page:
                if notification.topic == topic:
                    seen(notification)
        for subscriber in list(self._subscribers):
            if subscriber.queue.qsize() + len(page) > QUEUE_LIMIT:
                # too slow a reader: its feed ends, and it may resume from its last position
                subscriber.overflowed = True
                self._subscribers.discard(subscriber)
                subscriber.queue.put_nowait(None)
                continue
            for notification in page:
                subscriber.queue.put_nowait(notification)
