"""HolidayCalendar: the holiday schedules the office has adopted (放假安排).

The State Council publishes each year's schedule late in the year before, often
after the calendar package's last release; the office adopts it from a file. One
item holds every adoption, so its history is the audit trail of who adopted which
schedule when, and every replica and replay reads the same calendar from the log.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.calendar import HolidaySchedule
from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem

HOLIDAY_CALENDAR_ID: UUID = uuid5(NAMESPACE_URL, "ledger:holiday-calendar")


class CalendarState(Enum):
    OPEN = "open"


class HolidayCalendar(LedgerItem):
    """Every adopted schedule, by year; a later adoption of a year replaces the earlier."""

    item_type = "HolidayCalendar"

    class Opened(LedgerCreated):
        def apply(self, book: HolidayCalendar) -> None:
            book.schedules, book.sources, book.adopted_at = {}, {}, {}
            book.state = CalendarState.OPEN

    class ScheduleAdopted(LedgerEvent):
        """A year's schedule adopted, with where it came from (the notice, the file's digest)."""

        year: int
        days_off: list[date]
        working_days: list[date]
        source: str
        digest: str

        def apply(self, book: HolidayCalendar) -> None:
            book.schedules = {**book.schedules, self.year: self.schedule}
            book.sources = {**book.sources, self.year: self.source}
            book.adopted_at = {**book.adopted_at, self.year: self.originator_version}

        @property
        def schedule(self) -> HolidaySchedule:
            return HolidaySchedule(self.year, tuple(self.days_off), tuple(self.working_days))

    if TYPE_CHECKING:
        schedules: dict[int, HolidaySchedule]
        sources: dict[int, str]
        adopted_at: dict[int, int]
        """The version of the event that adopted each year's schedule in force."""
        state: CalendarState

    @classmethod
    def open(cls, meta: EventMeta) -> HolidayCalendar:
        return cls._start(cls.Opened, meta, HOLIDAY_CALENDAR_ID)

    def adopt(self, schedule: HolidaySchedule, source: str, digest: str, meta: EventMeta) -> bool:
        """Record ``schedule``; False (nothing recorded) when the same days are already in force."""
        problems = schedule.problems()
        if problems:
            raise ValidationError("schedule", "; ".join(problems))
        if self.in_force(schedule):
            return False
        self._emit(
            self.ScheduleAdopted,
            meta,
            year=schedule.year,
            days_off=sorted(schedule.days_off),
            working_days=sorted(schedule.working_days),
            source=require_text("source", source),
            digest=digest,
        )
        return True

    def in_force(self, schedule: HolidaySchedule) -> bool:
        """Exactly these days are already adopted for the schedule's year."""
        old = self.schedules.get(schedule.year)
        return (
            old is not None
            and set(old.days_off) == set(schedule.days_off)
            and set(old.working_days) == set(schedule.working_days)
        )
