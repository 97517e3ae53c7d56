"""Ledger commands on the holiday calendar: adopting a year's schedule, and working the
deadlines of open complaints out again on it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.calendar import HolidaySchedule
from domain.commands import command
from domain.complaint import Complaint
from domain.errors import AlreadyExists, ConcurrencyConflict, NotFound, ValidationError
from domain.holiday_calendar import HOLIDAY_CALENDAR_ID, HolidayCalendar
from domain.ids import ComplaintId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.meta import Actor, EventMeta, Role

SYSTEM = Actor("system", Role.OFFICE)
"""The actor of acts the ledger's own rules perform (the office's rules acting)."""

RECEIVED_TOPICS = (get_topic(Complaint.Received),)
CLOSED_TOPICS = (get_topic(Complaint.Closed),)
SCAN_BATCH = 5000


class CalendarCommands(LedgerBase):
    """The office adopts a year's holiday schedule; open deadlines follow it."""

    @command(creates=HolidayCalendar, service=True)
    def adopt_holiday_schedule(
        self, ctx: CommandContext, *, schedule: HolidaySchedule, source: str, digest: str
    ) -> Written | None:
        """Record ``schedule`` as its year's official calendar; None when exactly these
        days are already in force for that year (nothing is written). Two processes
        adopting at once: one records it, the other finds it in force."""
        problems = schedule.problems()
        if problems:
            raise ValidationError("schedule", "; ".join(problems))
        try:
            return self._adopt(ctx, schedule, source, digest)
        except (AlreadyExists, ConcurrencyConflict):  # another adoption came first
            return self._adopt(ctx, schedule, source, digest)

    def _adopt(
        self, ctx: CommandContext, schedule: HolidaySchedule, source: str, digest: str
    ) -> Written | None:
        if self._holiday_calendar() is None:
            return self._create(ctx, lambda m: _opened(schedule, source, digest, m))
        return self._change_if_any(
            HolidayCalendar,
            HOLIDAY_CALENDAR_ID,
            ctx,
            lambda b, m: b.adopt(schedule, source, digest, m),
        )

    def holiday_calendar(self) -> HolidayCalendar | None:
        """The adopted schedules as the log has them; None before the first adoption."""
        return self._holiday_calendar()

    @command(service=True)
    def recompute_complaint_deadlines(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, year: int
    ) -> Written | None:
        """Work an open complaint's deadlines out again on the calendar as the log has it,
        after ``year``'s schedule was adopted; None when none of them moves (nothing is
        written, so doing it again is harmless)."""
        rules = self.current_rules()
        return self._change_if_any(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.recompute_deadlines(year, rules, m),
        )

    def open_complaints(self) -> list[ComplaintId]:
        """Every complaint received and not closed, in the order received."""
        received = dict.fromkeys(self._originators(RECEIVED_TOPICS))
        for closed in self._originators(CLOSED_TOPICS):
            received.pop(closed, None)
        return list(received)

    def _originators(self, topics: tuple[str, ...]) -> Iterator[ComplaintId]:
        """The complaints that have events of these topics."""
        start = 1
        while page := self.recorder.select_notifications(start, SCAN_BATCH, topics=topics):
            for notification in page:
                yield ComplaintId(UUID(str(notification.originator_id)))
            start = page[-1].id + 1

    def _holiday_calendar(self) -> HolidayCalendar | None:
        try:
            return self.get(HolidayCalendar, HOLIDAY_CALENDAR_ID)
        except NotFound:
            return None


def _opened(
    schedule: HolidaySchedule, source: str, digest: str, meta: EventMeta
) -> HolidayCalendar:
    book = HolidayCalendar.open(meta)
    book.adopt(schedule, source, digest, meta)
    return book
