"""Adopting a year's holiday schedule, and what follows from it.

The adoption is an event on the ledger's ``HolidayCalendar``; then every open
complaint whose deadlines ignored the schedule gets them worked out again by a
system event. Running the same adoption again writes nothing new and finishes a
sweep that was cut short.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from api.cli.holiday_file import read_holiday_file
from domain.calendar import CHINA_TIME, CalendarSource, package_years
from domain.errors import ConcurrencyConflict, LedgerError
from domain.holiday_calendar import HolidayCalendar
from domain.ids import ComplaintId
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.ledger_calendar import SYSTEM
from domain.meta import Actor

RECOMPUTE_TRIES = 5
UNCOVERED = "NOT COVERED: only weekends are days off; deadlines reaching it are provisional"


@dataclass(frozen=True)
class AdoptionReport:
    """What adopting a file did."""

    year: int
    adopted: bool
    """False: exactly these days were already in force."""
    recomputed: int
    open_complaints: int
    failed: tuple[str, ...] = ()
    """Complaints whose deadlines could not be worked out again (adopt again to retry)."""


def adopt_holiday_file(ledger: Ledger, path: Path, actor: Actor) -> AdoptionReport:
    """Adopt the schedule in ``path`` as ``actor``, then bring open deadlines in line."""
    found = read_holiday_file(path)
    written = ledger.adopt_holiday_schedule(
        CommandContext(actor), schedule=found.schedule, source=found.source, digest=found.digest
    )
    year = found.schedule.year
    open_complaints = ledger.open_complaints()
    recomputed, failed = 0, []
    for complaint in open_complaints:
        try:
            recomputed += _recompute(ledger, complaint, year)
        except LedgerError as error:
            failed.append(f"{complaint}: {error}")
    return AdoptionReport(
        year, written is not None, recomputed, len(open_complaints), tuple(failed)
    )


def _recompute(ledger: Ledger, complaint: ComplaintId, year: int) -> bool:
    """One complaint's deadlines, again; a write racing it is waited out by trying again
    (the recount is the same each time, so a second try writes nothing twice)."""
    for attempt in range(RECOMPUTE_TRIES):
        try:
            written = ledger.recompute_complaint_deadlines(
                CommandContext(SYSTEM, request_id=f"calendar-{year}"), complaint, year=year
            )
            return written is not None
        except ConcurrencyConflict:
            if attempt + 1 == RECOMPUTE_TRIES:
                raise
    return False


def coverage_lines(ledger: Ledger, today: date) -> Iterator[str]:
    """Which years the calendar covers, from last year (or the package's last) on, and
    from where; the first year from which nothing is covered."""
    calendar = ledger.current_rules().calendar
    book = ledger.holiday_calendar()
    covered = calendar.coverage()
    low, high = package_range()
    yield f"the package chinesecalendar {_package_version()} covers {low}-{high}"
    last = max(covered)
    for year in range(min(today.year - 1, high), last + 1):
        source = covered.get(year)
        if source is CalendarSource.ADOPTED and book is not None:
            yield f"{year}  adopted  {_adoption(ledger, book, year)}"
        elif source is CalendarSource.PACKAGE:
            yield f"{year}  package  chinesecalendar {_package_version()}"
        else:
            yield f"{year}  {UNCOVERED}"
    yield f"from {last + 1}: {UNCOVERED} (adopt each year's schedule: `ledger calendar adopt FILE`)"


def _adoption(ledger: Ledger, book: HolidayCalendar, year: int) -> str:
    event = ledger.item_events(book.id)[book.adopted_at[year] - 1]
    assert isinstance(event, HolidayCalendar.ScheduleAdopted)
    when = event.recorded_at.astimezone(CHINA_TIME)
    return (
        f"{when:%Y-%m-%d %H:%M} by {event.actor.id}: {event.source} "
        f"({len(event.days_off)} days off, {len(event.working_days)} make-up working days, "
        f"file sha256 {event.digest[:12]})"
    )


def _package_version() -> str:
    import chinese_calendar

    return str(chinese_calendar.__version__)


def package_range() -> tuple[int, int]:
    """The first and last year the calendar package covers."""
    years = package_years()
    return min(years), max(years)
