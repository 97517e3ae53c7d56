"""The holiday calendar as the log has it: an adoption made by one process is used by every
other at once, and adopting a file twice writes nothing new."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from api.bootstrap import open_ledger
from api.cli.calendar_adoption import adopt_holiday_file
from api.cli.holiday_file import HolidayFileError
from domain.channels import Channel
from domain.complaint import Complaint
from domain.ledger import Ledger
from domain.ledger_calendar import SYSTEM
from domain.meta import Actor, Role
from tests.conftest import settings_for
from tests.integration.builders import office, unit

SCHEDULE_2027 = Path(__file__).parents[1] / "fixtures" / "holidays-2027-test.toml"
ADOPTER = Actor("cli:office-li", Role.OFFICE)


def ledger_at(database_url: str, moment: datetime) -> Ledger:
    """A ledger process whose clock stands at ``moment``."""
    return open_ledger(replace(settings_for(database_url), clock=lambda: moment))


def received_on_monday_28_december(ledger: Ledger) -> Complaint:
    written = ledger.receive_complaint(
        office(),
        channel=Channel.HOTLINE_12345,
        summary="不动产登记排队时间长",
        first_responder=unit(ledger),
    )
    return ledger.get(Complaint, written.item_id)


DECEMBER_28 = datetime(2026, 12, 28, 2, tzinfo=UTC)


def test_without_the_2027_schedule_a_deadline_reaching_it_is_provisional(
    database_url: str,
) -> None:
    complaint = received_on_monday_28_december(ledger_at(database_url, DECEMBER_28))
    # five working days, New Year's Day counted as one: Monday 2027-01-04
    assert (complaint.close_by, complaint.deadline_provisional) == (date(2027, 1, 4), True)


def test_a_schedule_adopted_by_one_process_is_used_by_another_at_once(
    database_url: str,
) -> None:
    other_process = ledger_at(database_url, DECEMBER_28)
    other_process.current_rules()  # it has read the calendar before the adoption
    adopt_holiday_file(ledger_at(database_url, DECEMBER_28), SCHEDULE_2027, ADOPTER)
    complaint = received_on_monday_28_december(other_process)
    assert (complaint.close_by, complaint.deadline_provisional) == (date(2027, 1, 5), False)


def test_adopting_moves_open_deadlines_by_a_system_act_and_again_writes_nothing(
    database_url: str,
) -> None:
    ledger = ledger_at(database_url, DECEMBER_28)
    complaint = received_on_monday_28_december(ledger)
    first = adopt_holiday_file(ledger, SCHEDULE_2027, ADOPTER)
    head = ledger.recorder.max_notification_id()
    again = adopt_holiday_file(ledger, SCHEDULE_2027, ADOPTER)

    assert (first.adopted, first.recomputed, first.open_complaints) == (True, 1, 1)
    assert (again.adopted, again.recomputed) == (False, 0)
    assert ledger.recorder.max_notification_id() == head
    last = ledger.item_events(complaint.id)[-1]
    assert isinstance(last, Complaint.DeadlinesRecomputed)
    assert (last.actor, last.close_by, last.provisional) == (SYSTEM, date(2027, 1, 5), False)
    book = ledger.holiday_calendar()
    assert book is not None
    adoption = ledger.item_events(book.id)[-1]
    assert adoption.actor == ADOPTER


def test_an_unsound_file_is_refused_naming_the_problem_and_writes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    ledger = ledger_at(database_url, DECEMBER_28)
    received_on_monday_28_december(ledger)
    head = ledger.recorder.max_notification_id()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'year = 2027\nsource = "通知"\n[[holidays]]\nname = "劳动节"\n'
        'days_off = ["2027-05-01..2027-05-05"]\nworking_days = ["2027-04-26"]\n',
        encoding="utf-8",
    )
    with pytest.raises(HolidayFileError, match=r"劳动节|2027-04-26 is a weekday"):
        adopt_holiday_file(ledger, bad, ADOPTER)
    assert ledger.recorder.max_notification_id() == head


def test_two_processes_adopting_the_first_schedule_at_once_record_it_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = ledger_at(database_url, DECEMBER_28), ledger_at(database_url, DECEMBER_28)
    looked = second._holiday_calendar

    def before_the_first_committed() -> object:  # what `second` saw an instant earlier
        monkeypatch.setattr(second, "_holiday_calendar", looked)
        return None

    monkeypatch.setattr(second, "_holiday_calendar", before_the_first_committed)
    adopt_holiday_file(first, SCHEDULE_2027, ADOPTER)
    report = adopt_holiday_file(second, SCHEDULE_2027, ADOPTER)
    assert report.adopted is False
    book = first.holiday_calendar()
    assert book is not None
    assert [type(e).__name__ for e in first.item_events(book.id)] == [
        "Opened",
        "ScheduleAdopted",
    ]
