"""Adopting a year's holiday schedule: what makes one sound, how the calendar takes it, and
how an open complaint's deadlines follow it (a closed one keeps what was true)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from eventsourcing.utils import get_topic
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import CalendarSource, HolidaySchedule, WorkingDayCalendar
from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.holiday_calendar import HolidayCalendar
from domain.meta import Actor, EventMeta, Role
from domain.policy import Policy
from domain.timeliness import TimeRules
from tests.domain.builders import FIRST_RESPONDER, LEAD, event_names, rules

NEW_YEAR_2027 = HolidaySchedule(
    2027,
    days_off=(date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)),
    working_days=(),
)
SPRING_2027 = HolidaySchedule(
    2027,
    days_off=tuple(date(2027, 2, d) for d in range(5, 14)),
    working_days=(date(2027, 2, 14),),
)


def meta_on(day: date, hour: int = 9) -> EventMeta:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return EventMeta(Actor("office-1", Role.OFFICE), moment, moment, "r", imported=True)


def test_an_adopted_year_is_covered_and_its_days_off_are_not_working_days() -> None:
    calendar = WorkingDayCalendar()
    assert calendar.is_working_day(date(2027, 1, 1)) is True  # Friday, not known yet
    calendar = calendar.with_schedules({2027: NEW_YEAR_2027})
    assert calendar.is_working_day(date(2027, 1, 1)) is False
    assert calendar.source_of(2027) is CalendarSource.ADOPTED
    assert calendar.is_provisional(date(2026, 12, 20), date(2027, 1, 8)) is False


def test_a_make_up_day_on_a_weekend_is_a_working_day() -> None:
    calendar = WorkingDayCalendar({2027: SPRING_2027})
    assert calendar.is_working_day(date(2027, 2, 14)) is True  # Sunday, worked in lieu
    assert calendar.is_working_day(date(2027, 2, 8)) is False  # Monday, Spring Festival
    assert calendar.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 14)


def test_an_adopted_year_overrides_the_package() -> None:
    revised = HolidaySchedule(2026, days_off=(date(2026, 3, 2),), working_days=())
    calendar = WorkingDayCalendar({2026: revised})
    assert calendar.source_of(2026) is CalendarSource.ADOPTED
    assert calendar.is_working_day(date(2026, 3, 2)) is False
    assert calendar.is_working_day(date(2026, 10, 1)) is True  # not in the revised schedule


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        (HolidaySchedule(2027, (), ()), "names no day off"),
        (HolidaySchedule(2027, (date(2027, 5, 3),), (date(2027, 5, 6),)), "is a weekday"),
        (HolidaySchedule(2027, (date(2027, 5, 1),), (date(2027, 5, 1),)), "both"),
        (HolidaySchedule(2027, (date(2027, 5, 3), date(2027, 5, 3)), ()), "named twice"),
        (HolidaySchedule(2027, (date(2029, 5, 3),), ()), "outside 2027"),
        (HolidaySchedule(1900, (date(1900, 5, 3),), ()), "not a year"),
    ],
)
def test_an_unsound_schedule_is_refused_naming_the_problem(
    schedule: HolidaySchedule, problem: str
) -> None:
    book = HolidayCalendar.open(meta_on(date(2026, 12, 1)))
    with pytest.raises(ValidationError, match=problem):
        book.adopt(schedule, "国办发明电", "digest", meta_on(date(2026, 12, 1)))
    assert event_names(book) == ["Opened"]


def test_adopting_the_same_days_again_records_nothing() -> None:
    book = HolidayCalendar.open(meta_on(date(2026, 12, 1)))
    assert book.adopt(NEW_YEAR_2027, "通知", "a", meta_on(date(2026, 12, 1))) is True
    assert book.adopt(NEW_YEAR_2027, "通知（重发）", "b", meta_on(date(2026, 12, 2))) is False
    assert event_names(book) == ["Opened", "ScheduleAdopted"]
    assert book.adopted_at == {2027: 2}


def _complaint_received(
    day: date, time_rules: TimeRules, channel: Channel = Channel.HOTLINE_12345
) -> Complaint:
    return Complaint.receive(
        Complaint.create_id(),
        channel=channel,
        summary="办事难",
        complainant_name="",
        complainant_phone="",
        subject_unit=None,
        first_responder=FIRST_RESPONDER,
        rules=time_rules,
        meta=meta_on(day),
    )


def _rules_on(calendar: WorkingDayCalendar) -> TimeRules:
    policy: Policy = rules().policy
    return TimeRules(policy, calendar)


def test_a_deadline_reaching_an_uncovered_year_is_provisional_until_its_schedule_comes() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 28), _rules_on(before))
    # 5 working days from Monday 12-28, 1-1 taken as worked: Monday 2027-01-04
    assert (c.close_by, c.deadline_provisional) == (date(2027, 1, 4), True)
    after = WorkingDayCalendar({2027: NEW_YEAR_2027})
    assert c.recompute_deadlines(2027, _rules_on(after), meta_on(date(2026, 12, 29)))
    assert (c.close_by, c.deadline_provisional) == (date(2027, 1, 5), False)
    assert event_names(c)[-1] == "DeadlinesRecomputed"


def test_dispatch_deadlines_are_counted_again_from_the_dispatch() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 30), _rules_on(before))
    c.dispatch(LEAD, _rules_on(before), meta_on(date(2026, 12, 31)))
    assert (c.sign_by, c.return_by) == (date(2027, 1, 1), date(2027, 1, 4))
    after = WorkingDayCalendar({2027: NEW_YEAR_2027})
    c.recompute_deadlines(2027, _rules_on(after), meta_on(date(2026, 12, 31), 10))
    assert (c.sign_by, c.return_by) == (date(2027, 1, 4), date(2027, 1, 5))


def test_a_closed_complaint_keeps_the_deadlines_it_closed_under() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 28), _rules_on(before))
    c._emit(Complaint.Closed, meta_on(date(2026, 12, 29)), note="")
    after = WorkingDayCalendar({2027: NEW_YEAR_2027})
    assert not c.recompute_deadlines(2027, _rules_on(after), meta_on(date(2026, 12, 30)))
    assert c.close_by == date(2027, 1, 4)


def test_deadlines_that_do_not_move_are_not_recorded_again() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 1), _rules_on(before))
    after = WorkingDayCalendar({2027: NEW_YEAR_2027})
    assert not c.recompute_deadlines(2027, _rules_on(after), meta_on(date(2026, 12, 2)))
    assert event_names(c) == ["Received"]


def test_working_deadlines_out_again_twice_moves_them_once() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 28), _rules_on(before))
    after = _rules_on(WorkingDayCalendar({2027: NEW_YEAR_2027}))
    assert c.recompute_deadlines(2027, after, meta_on(date(2026, 12, 29)))
    assert not c.recompute_deadlines(2027, after, meta_on(date(2026, 12, 29), 10))
    assert c.close_by == date(2027, 1, 5)


def test_a_deadline_counted_after_the_adoption_is_not_moved_again() -> None:
    before = WorkingDayCalendar()
    c = _complaint_received(date(2026, 12, 30), _rules_on(before))
    after = _rules_on(WorkingDayCalendar({2027: NEW_YEAR_2027}))
    c.dispatch(LEAD, after, meta_on(date(2026, 12, 31)))  # already on the new calendar
    assert c.return_by == date(2027, 1, 5)
    c.recompute_deadlines(2027, after, meta_on(date(2026, 12, 31), 10))
    assert (c.close_by, c.return_by) == (date(2027, 1, 7), date(2027, 1, 5))


def test_a_complaint_recorded_before_counts_were_kept_is_counted_on_the_early_calendar() -> None:
    early = Complaint.Received(
        originator_id=Complaint.create_id(),
        originator_version=1,
        originator_topic=get_topic(Complaint),
        timestamp=datetime(2026, 12, 28, 2, tzinfo=UTC),
        actor=Actor("office-1", Role.OFFICE),
        occurred_at=datetime(2026, 12, 28, 2, tzinfo=UTC),
        request_id="r",
        imported=False,
        channel=Channel.HOTLINE_12345,
        summary="办事难",
        complainant_name="",
        complainant_phone="",
        subject_unit=None,
        first_responder=FIRST_RESPONDER,
        first_reply_by=date(2027, 1, 4),
        close_by=date(2027, 1, 4),
    )
    c = early.mutate(None)
    assert (c.close_days, c.deadline_provisional) == (5, True)
    after = _rules_on(WorkingDayCalendar({2027: NEW_YEAR_2027}))
    c.recompute_deadlines(2027, after, meta_on(date(2026, 12, 29)))
    assert c.close_by == date(2027, 1, 5)


@pytest.mark.slow
@given(
    start=st.dates(date(2026, 10, 1), date(2027, 12, 31)),
    extensions=st.lists(st.integers(1, 5), max_size=2),
    off=st.sets(st.dates(date(2027, 1, 1), date(2027, 12, 31)), min_size=1, max_size=30),
)
def test_deadlines_worked_out_again_are_their_limits_counted_on_the_new_calendar(
    start: date, extensions: list[int], off: set[date]
) -> None:
    policy = rules().policy
    before = _rules_on(WorkingDayCalendar())
    meta = meta_on(start)
    c = _complaint_received(start, before, Channel.MEDIA)
    for days in extensions:
        c.extend_deadline(days, "会商", before, meta)
    after = WorkingDayCalendar({2027: HolidaySchedule(2027, tuple(sorted(off)), ())})
    c.recompute_deadlines(2027, _rules_on(after), meta)
    close = policy.limits(Channel.MEDIA).close + sum(extensions)
    assert after.working_days_between(start, c.close_by) == close
    assert after.is_working_day(c.close_by)
    assert c.deadline_provisional is (c.close_by.year > 2027)  # 2028 is not covered
