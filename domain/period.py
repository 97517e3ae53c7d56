"""Assessment periods: a year (2021) or a quarter (2021-Q2), compared as periods.

Periods are ordered by the day they end, and a longer period after a shorter one
ending the same day: 2021-Q3 < 2021-Q4 < 2021 < 2022-Q1. A year is never "smaller"
than its quarters, as the text "2021" is smaller than "2021-Q1".
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from domain.errors import ValidationError

PERIOD_TEXT = re.compile(r"(20\d\d)(?:-Q([1-4]))?")


@total_ordering
@dataclass(frozen=True, eq=True)
class Period:
    """A calendar year, or one quarter of it (``quarter`` 1-4)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2021`` or ``2021-Q2``; anything else is a ``ValidationError`` naming ``period``."""
        match = PERIOD_TEXT.fullmatch(text)
        if match is None:
            raise ValidationError("period", "must be a year (2021) or a quarter (2021-Q2)")
        quarter = match.group(2)
        return cls(int(match.group(1)), None if quarter is None else int(quarter))

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def start(self) -> date:
        """The period's first day."""
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        month = 12 if self.quarter is None else 3 * self.quarter
        return date(self.year, month, monthrange(self.year, month)[1])

    @property
    def quarters(self) -> tuple[Period, ...]:
        """The quarters the period is made of (a quarter: itself)."""
        if self.quarter is not None:
            return (self,)
        return tuple(Period(self.year, q) for q in range(1, 5))

    def contains(self, other: Period) -> bool:
        """Whether every day of ``other`` falls in this period."""
        return self.start <= other.start and other.end <= self.end

    def has_begun_by(self, day: date) -> bool:
        return self.start <= day

    def has_ended_by(self, day: date) -> bool:
        return self.end <= day

    def _key(self) -> tuple[date, int]:
        return self.end, (self.end - self.start).days

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()


def latest_begun(periods: list[str], day: date) -> Period | None:
    """The latest of ``periods`` (texts) that had begun by ``day``: the period completed or
    under way whose results stand (a period not begun yet never does)."""
    begun = [p for p in map(Period.parse, periods) if p.has_begun_by(day)]
    return max(begun, default=None)


def check_begun(period: Period, day: date) -> Period:
    """``period`` if it had begun by ``day``; a future period is a ``ValidationError``."""
    if not period.has_begun_by(day):
        raise ValidationError("period", f"{period} has not begun yet (it starts {period.start})")
    return period
