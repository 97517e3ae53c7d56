"""The views' answers, worked out once for each position of the read models.

An answer of a view (the overview, the legacy totals, the scorecards...) as of a day
depends on the read models, which change only when the projections move, and on the day;
a few figures also on the moment within the day (an intake's receipt falls late at the
hour it is due), which the view then says (``until``). So an answer is kept, by view and
arguments, for the position the projections stood at when it was worked out, and given to
every request asking the same until they move on (or that moment passes): a thousand
screens polling the overview cost one computation per change, not a thousand. Requests
asking at once while it is being worked out wait for that one computation.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from domain.clock import Clock

T = TypeVar("T")
SIZE = 256
"""Answers kept at most (views × arguments × days asked); the least recently asked go."""


@dataclass
class _Answer:
    position: int
    pending: asyncio.Future[Any]
    until: datetime | None = None


class ViewCache:
    """Answers by key, each valid at one position of the read models."""

    def __init__(self, position: Callable[[], int], clock: Clock, size: int = SIZE) -> None:
        self._position, self._clock, self._size = position, clock, size
        self._answers: OrderedDict[Hashable, _Answer] = OrderedDict()
        self._moments: list[datetime] = []
        self._moments_lock = threading.Lock()  # read by the ledger's clock thread
        self.noted: Callable[[], object] = lambda: None
        """Called when a new moment is kept (the ledger's clock looks again at its moments)."""

    async def answer(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        until: Callable[[T], datetime | None] = lambda _answer: None,
    ) -> T:
        """``compute()``'s answer for ``key``, worked out again only if the projections
        have moved since (or its ``until`` moment has passed)."""
        position = self._position()
        kept = self._answers.get(key)
        if kept is not None and self._valid(kept, position):
            self._answers.move_to_end(key)
            found: T = await asyncio.shield(kept.pending)
            return found
        answer = _Answer(position, asyncio.ensure_future(compute()))
        self._keep(key, answer)
        try:
            value: T = await asyncio.shield(answer.pending)
        except BaseException:
            if self._answers.get(key) is answer and answer.pending.done():
                del self._answers[key]  # a failure is not kept: the next request tries again
            raise
        answer.until = until(value)
        if answer.until is not None:
            self._note(answer.until)
        return value

    def _note(self, moment: datetime) -> None:
        with self._moments_lock:
            if moment in self._moments:
                return
            self._moments = sorted([*self._moments, moment])[: self._size]
        self.noted()

    def next_moment(self) -> datetime | None:
        """The earliest moment not yet told at which a kept answer changes with nothing
        written (an intake's receipt falling late): the live views look again then. Any
        thread may ask (the ledger's clock does)."""
        with self._moments_lock:
            return self._moments[0] if self._moments else None

    def passed(self, now: datetime) -> bool:
        """Whether any moment not yet told is at or before ``now``; those are told now, and
        forgotten."""
        with self._moments_lock:
            left = [m for m in self._moments if m > now]
            told, self._moments = len(left) < len(self._moments), left
        return told

    def _valid(self, kept: _Answer, position: int) -> bool:
        if kept.position != position:
            return False
        if kept.pending.done() and kept.pending.cancelled():
            return False
        return kept.until is None or self._clock() < kept.until

    def _keep(self, key: Hashable, answer: _Answer) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
