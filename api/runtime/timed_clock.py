"""The ledger's clock: records the timed acts (限时办结, 超时默许) as their days pass.

``step`` is one look: what the read models show left to do (``projections.views.due_acts``),
what of it is due by the ledger's clock (``domain.timed_acts``), each recorded by the
ledger as ``system`` under its item's and day's idempotency key: several processes running
a clock on one database (replicas of ``ledger serve``, ``ledger project``) record each act
once; a clock that was stopped records what it missed at the acts' own moments when it
starts again. A step that finds neither the date nor the read models moved since the last
one reads nothing more. ``start`` runs steps in a daemon thread every ``tick_seconds``;
``stop`` ends it at once.

The same thread tells the live views when a new day begins in Beijing (``on_new_day``): it
wakes at midnight by the ledger's clock whatever its tick, for lights turn red and cases
fall overdue at midnight with nothing written. It wakes too at the moments a view named for
its figures to change within the day (an intake's receipt falling late, ``on_moment``). A
process that records no timed acts (another runs the clock) starts it with
``record=False``, to watch the date alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from typing import Protocol

from sqlalchemy import Connection, Engine, select

from domain.calendar import CHINA_TIME
from domain.clock import Clock, china_today
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.ledger_base import Written
from domain.timed_acts import due_as_of
from projections import tables as t
from projections.views.due_acts import acts_to_do

LOG = logging.getLogger("ledger.clock")


class Moments(Protocol):
    """Moments at which something is to be told (``ViewCache``'s)."""

    def next_moment(self) -> datetime | None:
        """The earliest not yet told."""

    def passed(self, now: datetime) -> bool:
        """Whether any not yet told is at or before ``now`` (told now, and forgotten)."""


WATCHED = ("tasks", "complaints")
"""The projections whose tables say what is left to do."""


class TimedActs:
    """Finds the timed acts due by the ledger's clock and records them, once."""

    def __init__(self, ledger: Ledger, engine: Engine, *, tick_seconds: float = 30.0) -> None:
        self.ledger, self.engine, self.tick_seconds = ledger, engine, tick_seconds
        self._looked: object = None
        self._stop = threading.Event()
        self._nudged = threading.Event()
        self._thread: threading.Thread | None = None
        self._record = True
        self._day_listeners: list[Callable[[date], object]] = []
        self._moments: list[tuple[Moments, Callable[[datetime], object]]] = []

    def on_new_day(self, listener: Callable[[date], object]) -> None:
        """Call ``listener`` with the new date, from the clock's thread, each time the date
        by the ledger's clock changes while the clock runs."""
        self._day_listeners.append(listener)

    def on_moment(self, moments: Moments, listener: Callable[[datetime], object]) -> None:
        """Call ``listener`` from the clock's thread once the ledger's clock has passed a
        moment of ``moments``."""
        self._moments.append((moments, listener))

    def nudge(self) -> None:
        """Look at the moments again now (one sooner than the next wake may have come);
        any thread may call it."""
        self._nudged.set()

    def step(self) -> list[Written]:
        """Record every timed act due now that the read models show left to do; what was
        recorded here (an act another process recorded first is not among it)."""
        now = self.ledger.clock()
        today = china_today(self.ledger.clock)
        with self.engine.connect() as conn:
            looked = (today, self._positions(conn))
            if looked == self._looked:
                return []
            candidates = acts_to_do(conn, today, self.ledger.policy.timed_acts)
        recorded = []
        for act in due_as_of(candidates, now):
            try:
                written = self.ledger.record_timed_act(act)
            except LedgerError as refusal:  # told in the log; tried again when things move
                LOG.error("the clock could not record %s: %s", act.idempotency_key, refusal)
                continue
            if written is not None:
                recorded.append(written)
        self._looked = looked
        return recorded

    def _positions(self, conn: Connection) -> tuple[int, ...]:
        status = t.projection_status
        rows = conn.execute(
            select(status.c.position).where(status.c.name.in_(WATCHED)).order_by(status.c.name)
        )
        return tuple(int(p) for (p,) in rows)

    def start(self, *, record: bool = True) -> None:
        """Run the clock's thread; ``record=False``: only to watch the date."""
        self._record = record
        self._thread = threading.Thread(target=self._run, name="timed-acts", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._nudged.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        day, step_at = china_today(self.ledger.clock), 0.0
        while not self._stop.is_set():
            if self._record and time.monotonic() >= step_at:  # not at each nudge
                step_at = time.monotonic() + self.tick_seconds
                try:
                    self.step()
                except Exception:  # a database that went away: tried again at the next tick
                    LOG.exception("the clock's step failed; trying again")
            self._nudged.wait(self._sleep())
            self._nudged.clear()
            today = china_today(self.ledger.clock)
            if today != day:
                day, step_at = today, 0.0  # what falls due at midnight is recorded then
                self._tell_new_day(today)
            self._tell_moments()

    def _sleep(self) -> float:
        """Seconds to the next tick, midnight or moment, whichever comes first."""
        seconds = min(self.tick_seconds, seconds_to_midnight(self.ledger.clock))
        now = self.ledger.clock()
        for moments, _ in self._moments:
            moment = moments.next_moment()
            if moment is not None:
                left = (moment - now).total_seconds() + MIDNIGHT_MARGIN_SECONDS
                seconds = min(seconds, max(left, 0.0))
        return seconds

    def _tell_moments(self) -> None:
        """Tell each listener whose moments have a moment passed."""
        now = self.ledger.clock()
        for moments, listener in self._moments:
            if not moments.passed(now):
                continue
            try:
                listener(now)
            except Exception:
                LOG.exception("a listener to a moment failed")

    def _tell_new_day(self, day: date) -> None:
        for listener in self._day_listeners:
            try:
                listener(day)
            except Exception:
                LOG.exception("a listener to the new day failed")


MIDNIGHT_MARGIN_SECONDS = 0.05
"""Woken this long past midnight, so that the date read then is the new one."""


def seconds_to_midnight(clock: Clock) -> float:
    """Seconds until just past the next midnight in Beijing by ``clock``."""
    now: datetime = clock().astimezone(CHINA_TIME)
    midnight = datetime.combine(now.date() + timedelta(days=1), time_of_day(), CHINA_TIME)
    return max((midnight - now).total_seconds(), 0.0) + MIDNIGHT_MARGIN_SECONDS
