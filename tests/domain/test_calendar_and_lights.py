"""Working days on the official Chinese calendar, and the green / yellow / red light.

2021 National Day: 10-1..10-7 off, make-up working days Sunday 9-26 and Saturday 10-9.
2021 Spring Festival: 2-11..2-17 off, make-up working days Sunday 2-7 and Saturday 2-20.
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from domain.calendar import CalendarSource, WorkingDayCalendar
from domain.timeliness import Light, TimeRules


@pytest.fixture
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2021, 10, 1), False),
        (date(2021, 10, 7), False),
        (date(2021, 9, 26), True),
        (date(2021, 10, 9), True),
        (date(2021, 10, 10), False),
        (date(2021, 2, 7), True),
        (date(2021, 2, 12), False),
        (date(2021, 2, 17), False),
        (date(2021, 2, 20), True),
        (date(2021, 2, 18), True),
    ],
)
def test_holidays_are_days_off_and_make_up_weekend_days_are_worked(
    calendar: WorkingDayCalendar, day: date, working: bool
) -> None:
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2021, 9, 30), 1, date(2021, 10, 8)),
        (date(2021, 9, 30), 2, date(2021, 10, 9)),
        (date(2021, 9, 30), 3, date(2021, 10, 11)),
        (date(2021, 9, 24), 1, date(2021, 9, 26)),
        (date(2021, 10, 1), 0, date(2021, 10, 1)),
        (date(2021, 2, 10), 1, date(2021, 2, 18)),
        (date(2021, 2, 5), 1, date(2021, 2, 7)),
        (date(2021, 2, 19), 1, date(2021, 2, 20)),
        (date(2021, 2, 5), 5, date(2021, 2, 18)),
    ],
)
def test_adding_working_days_skips_holidays_and_counts_make_up_days(
    calendar: WorkingDayCalendar, start: date, days: int, due: date
) -> None:
    assert calendar.add_working_days(start, days) == due


def test_adding_a_negative_number_of_working_days_is_an_error(
    calendar: WorkingDayCalendar,
) -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(date(2021, 9, 30), -1)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2021, 9, 30), date(2021, 10, 8), 1),
        (date(2021, 9, 24), date(2021, 10, 10), 7),  # 9-26, 9-27..9-30, 10-8, 10-9
        (date(2021, 10, 10), date(2021, 9, 24), -7),
        (date(2021, 2, 10), date(2021, 2, 20), 3),
        (date(2021, 10, 3), date(2021, 10, 3), 0),
    ],
)
def test_working_days_between_counts_the_end_but_not_the_start(
    calendar: WorkingDayCalendar, start: date, end: date, count: int
) -> None:
    assert calendar.working_days_between(start, end) == count


def test_outside_the_covered_years_only_weekends_are_days_off(
    calendar: WorkingDayCalendar,
) -> None:
    # Tuesday 2030-01-01 would be New Year's Day; without its schedule it counts as worked.
    assert calendar.is_working_day(date(2030, 1, 1)) is True
    assert calendar.add_working_days(date(2003, 10, 3), 1) == date(2003, 10, 6)
    # Friday 2030-01-04 + 1 working day: Monday 2030-01-07 (Saturday and Sunday off)
    assert calendar.add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)
    assert calendar.working_days_between(date(2030, 1, 4), date(2030, 1, 14)) == 6


def test_a_count_reaching_into_an_uncovered_year_is_provisional(
    calendar: WorkingDayCalendar,
) -> None:
    assert calendar.is_provisional(date(2026, 12, 20), date(2027, 1, 8)) is True
    assert calendar.is_provisional(date(2026, 1, 5), date(2026, 12, 31)) is False
    assert calendar.source_of(2026) is CalendarSource.PACKAGE
    assert calendar.source_of(2027) is None


def test_counting_outside_the_covered_years_warns_nobody(calendar: WorkingDayCalendar) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert calendar.is_working_day(date(2031, 3, 3)) is True
        assert calendar.is_working_day(date(2004, 1, 1)) is False


# Lights: deadline Friday 2021-10-29, work started Wednesday 2021-09-01.
START, DEADLINE = date(2021, 9, 1), date(2021, 10, 29)


def test_open_work_past_its_deadline_is_red(time_rules: TimeRules) -> None:
    light = time_rules.light(start=START, deadline=DEADLINE, today=date(2021, 10, 30))
    assert light is Light.RED
    assert time_rules.is_overdue(DEADLINE, date(2021, 10, 30)) is True


def test_work_done_on_its_deadline_is_not_overdue(time_rules: TimeRules) -> None:
    assert time_rules.is_overdue(DEADLINE, date(2021, 11, 5), done_on=DEADLINE) is False
    assert time_rules.is_overdue(DEADLINE, DEADLINE) is False


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (DEADLINE, Light.YELLOW),  # 0 working days left
        (date(2021, 10, 26), Light.YELLOW),  # 10-27, 10-28, 10-29: 3 left
        (date(2021, 10, 25), Light.GREEN),  # 4 left
        (date(2021, 10, 23), Light.GREEN),  # Saturday: 10-25..10-29, 5 left
    ],
)
def test_open_work_within_three_working_days_of_its_deadline_is_yellow(
    time_rules: TimeRules, today: date, light: Light
) -> None:
    assert time_rules.light(start=START, deadline=DEADLINE, today=today) is light


def test_the_yellow_window_counts_working_days_across_national_day(
    time_rules: TimeRules,
) -> None:
    # From 9-30 to 10-11: 10-8, 10-9 (make-up), 10-11: 3 working days though 11 calendar days.
    light = time_rules.light(start=START, deadline=date(2021, 10, 11), today=date(2021, 9, 30))
    assert light is Light.YELLOW
    light = time_rules.light(start=START, deadline=date(2021, 10, 12), today=date(2021, 9, 30))
    assert light is Light.GREEN


@pytest.mark.parametrize(("progress", "light"), [(45, Light.YELLOW), (46, Light.GREEN)])
def test_open_work_whose_progress_lags_the_time_elapsed_is_yellow(
    time_rules: TimeRules, progress: int, light: Light
) -> None:
    # 9-1..9-30: 21 working days elapsed (with make-up 9-18 and 9-26) of 38 up to 10-29;
    # 100 * 21 / 38 = 55.3%, and a lag of more than 10 points turns the light yellow.
    today = date(2021, 9, 30)
    assert time_rules.calendar.working_days_between(START, today) == 21
    assert time_rules.calendar.working_days_between(START, DEADLINE) == 38
    assert time_rules.light(start=START, deadline=DEADLINE, today=today, progress=progress) is light


def test_work_on_track_and_far_from_its_deadline_is_green(time_rules: TimeRules) -> None:
    today = date(2021, 9, 15)
    assert time_rules.light(start=START, deadline=DEADLINE, today=today, progress=30) is Light.GREEN
    assert time_rules.light(start=START, deadline=DEADLINE, today=today) is Light.GREEN


def test_progress_is_not_judged_before_the_work_starts(time_rules: TimeRules) -> None:
    light = time_rules.light(start=START, deadline=DEADLINE, today=date(2021, 8, 20), progress=0)
    assert light is Light.GREEN
