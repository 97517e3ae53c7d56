"""Working days on the official Chinese calendar (法定节假日 and 调休 make-up days).

Within the years the ``chinese_calendar`` data covers, a day is a working day
exactly when the State Council's schedule says so. Outside them only weekends
are days off, and a ``CalendarCoverageWarning`` says so once per year.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta, timezone

import chinese_calendar

CHINA_TIME = timezone(timedelta(hours=8), "CST")
"""Beijing time, in which business dates are reckoned."""


class CalendarCoverageWarning(UserWarning):
    """A date lies outside the years the official holiday data covers."""


class WorkingDayCalendar:
    """Counts and adds working days."""

    def __init__(self) -> None:
        self._warned_years: set[int] = set()
        self._known: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: date) -> bool:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            self._warn_uncovered(day.year)
            return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The day that ends ``days`` working days after ``start`` (start not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if reversed."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def _warn_uncovered(self, year: int) -> None:
        if year in self._warned_years:
            return
        self._warned_years.add(year)
        warnings.warn(
            f"the official holiday calendar does not cover {year}; "
            "counting only weekends as days off",
            CalendarCoverageWarning,
            stacklevel=3,
        )
