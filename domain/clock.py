"""The one clock the ledger reads "now" from.

Every "now" of the product (the moment an act is recorded, the day a light is
worked out for, a token's expiry) comes from one ``Clock``: the system clock in
service, or a ``ShiftedClock`` that reads a chosen moment at a chosen instant and
runs on from there, so that a whole test suite, with every process it starts,
can be run as of another day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.calendar import CHINA_TIME

Clock = Callable[[], datetime]
"""A function answering the current moment, time-zone aware."""


def system_now() -> datetime:
    """The machine's clock, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ShiftedClock:
    """A clock that read ``start`` at the wall-clock instant ``anchor`` (seconds since
    the epoch) and has run on since: every process sharing both reads the same time."""

    start: datetime
    anchor: float

    def __call__(self) -> datetime:
        return (self.start + timedelta(seconds=time.time() - self.anchor)).astimezone(UTC)


def china_today(clock: Clock) -> date:
    """Today's date in Beijing time, by ``clock``."""
    return clock().astimezone(CHINA_TIME).date()
