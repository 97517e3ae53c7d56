"""Working days on the official Chinese calendar (法定节假日 and 调休 make-up days).

A year is covered when the State Council's schedule for it is known: shipped in the
``chinese_calendar`` package, or adopted by the office from a file (recorded as an
event, so every replica and replay agrees; an adopted year overrides the package).
Within a covered year a day is a working day exactly when the schedule says so.
In a year that is not covered only weekends are days off, and a deadline reaching
into it is provisional until its schedule is adopted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from enum import Enum
from functools import cache

import chinese_calendar

CHINA_TIME = timezone(timedelta(hours=8), "CST")
"""Beijing time, in which business dates are reckoned."""

NEIGHBOUR_DAYS = 31
"""How far outside its year a schedule may name a day (元旦 may start on 31 December)."""


class CalendarSource(Enum):
    """Where the schedule of a covered year comes from."""

    PACKAGE = "package"
    ADOPTED = "adopted"


@dataclass(frozen=True)
class HolidaySchedule:
    """One year's official schedule (放假安排): the days off (放假) and the weekend days
    worked in lieu (调休上班). ``problems`` says what is wrong with it, if anything."""

    year: int
    days_off: tuple[date, ...]
    working_days: tuple[date, ...]

    def problems(self) -> list[str]:
        """Every reason this schedule cannot be the official one; empty when sound."""
        found: list[str] = []
        if not 2000 <= self.year <= 2200:
            found.append(f"year {self.year} is not a year the ledger can keep (2000-2200)")
            return found
        if not self.days_off:
            found.append("names no day off")
        for label, days in (("day off", self.days_off), ("make-up working day", self.working_days)):
            found += [f"{label} {d} is named twice" for d in _twice(days)]
            found += [f"{label} {d} lies outside {self.year}" for d in days if not self._near(d)]
        found += [f"{d} is both a day off and a working day" for d in _both(self)]
        found += [
            f"make-up working day {d} is a weekday (only a weekend day can be worked in lieu)"
            for d in self.working_days
            if d.weekday() < 5
        ]
        return found

    def _near(self, day: date) -> bool:
        first, last = date(self.year, 1, 1), date(self.year, 12, 31)
        return first - timedelta(NEIGHBOUR_DAYS) <= day <= last + timedelta(NEIGHBOUR_DAYS)


def _twice(days: Iterable[date]) -> list[date]:
    seen: set[date] = set()
    twice: list[date] = []
    for day in days:
        if day in seen and day not in twice:
            twice.append(day)
        seen.add(day)
    return twice


def _both(schedule: HolidaySchedule) -> list[date]:
    return sorted(set(schedule.days_off) & set(schedule.working_days))


@cache
def package_years() -> frozenset[int]:
    """The years whose schedule the installed ``chinese_calendar`` carries."""
    return frozenset(day.year for day in chinese_calendar.holidays)


class WorkingDayCalendar:
    """Counts and adds working days, on the package's data and the adopted schedules.

    A calendar never changes: a newly adopted schedule makes a new one
    (``with_schedules``), so a count running in one thread never mixes two calendars.
    ``package_until`` leaves the package's years after it uncovered.
    """

    def __init__(
        self,
        adopted: Mapping[int, HolidaySchedule] | None = None,
        *,
        package_until: int | None = None,
    ) -> None:
        self._adopted: dict[int, HolidaySchedule] = dict(adopted or {})
        self._package = frozenset(
            year for year in package_years() if package_until is None or year <= package_until
        )
        self._known: dict[date, bool] = {}

    def with_schedules(self, adopted: Mapping[int, HolidaySchedule]) -> WorkingDayCalendar:
        """This calendar with ``adopted`` in force (each overriding the package's year)."""
        return WorkingDayCalendar(
            {**self._adopted, **adopted}, package_until=max(self._package, default=None)
        )

    def adopted(self) -> dict[int, HolidaySchedule]:
        """The adopted schedules, by year."""
        return dict(self._adopted)

    def source_of(self, year: int) -> CalendarSource | None:
        """Where ``year``'s schedule comes from; None when it is not covered."""
        if year in self._adopted:
            return CalendarSource.ADOPTED
        if year in self._package:
            return CalendarSource.PACKAGE
        return None

    def coverage(self) -> dict[int, CalendarSource]:
        """Every covered year and where its schedule comes from."""
        years = sorted(self._package | set(self._adopted))
        return {year: source for year in years if (source := self.source_of(year))}

    def is_provisional(self, start: date, end: date) -> bool:
        """True when a count of working days from ``start`` to ``end`` reaches into a year
        whose schedule is not known: only weekends were taken as days off there."""
        low, high = min(start, end), max(start, end)
        return any(self.source_of(year) is None for year in range(low.year, high.year + 1))

    def is_working_day(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: date) -> bool:
        for year in (day.year, day.year + 1, day.year - 1):
            schedule = self._adopted.get(year)
            if schedule is not None and day in schedule.days_off:
                return False
            if schedule is not None and day in schedule.working_days:
                return True
        if day.year in self._adopted or day.year not in self._package:
            return day.weekday() < 5
        return bool(chinese_calendar.is_workday(day))

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


LAST_YEAR_BEFORE_ADOPTIONS = 2026
"""The last year of the package (chinesecalendar 1.11.0) when the ledger began to record
working-day counts with its deadlines."""


@cache
def calendar_of_early_deadlines() -> WorkingDayCalendar:
    """The calendar every deadline recorded before the counts were kept was worked out on:
    the package's years up to 2026, weekends only after (whatever package is installed)."""
    return WorkingDayCalendar(package_until=LAST_YEAR_BEFORE_ADOPTIONS)
