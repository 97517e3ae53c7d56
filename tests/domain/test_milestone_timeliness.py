"""A plan's dated milestone (节点): its light and whether it is missed, as of a day.

November 2021 has no holiday: its working days are Mon-Fri (11-01 is a Monday). The
milestone below is due Fri 11-19, its task assigned Mon 11-01. Yellow within 3 working days
of its day, red after it; none once reached. Missed once its day has passed without its
being reached by then; reached late, it stays missed.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.timeliness import Light
from tests.domain.builders import rules

RULES = rules()
ASSIGNED, DUE = date(2021, 11, 1), date(2021, 11, 19)


def d(month: int, day: int) -> date:
    return date(2021, month, day)


def light(today: date, reached_on: date | None = None) -> Light | None:
    return RULES.milestone_light(start=ASSIGNED, due=DUE, today=today, reached_on=reached_on)


def missed(today: date, reached_on: date | None = None, closed_on: date | None = None) -> bool:
    return RULES.milestone_missed(due=DUE, today=today, reached_on=reached_on, closed_on=closed_on)


def test_an_open_milestone_is_lit_by_its_own_day_as_a_task_by_its_deadline() -> None:
    # 11-10: 7 working days left (11-11..11-19); 11-16: 3 left; 11-19: its day; 11-20: past.
    assert [light(day) for day in (d(11, 10), d(11, 16), d(11, 19), d(11, 20))] == [
        Light.GREEN,
        Light.YELLOW,
        Light.YELLOW,
        Light.RED,
    ]
    assert light(d(11, 16)) is RULES.light(start=ASSIGNED, deadline=DUE, today=d(11, 16))


def test_a_reached_milestone_has_no_light_from_the_day_it_was_reached() -> None:
    assert light(d(11, 17), reached_on=d(11, 18)) is Light.YELLOW  # not yet reached then
    assert light(d(11, 18), reached_on=d(11, 18)) is None
    assert light(d(11, 30), reached_on=d(11, 24)) is None  # reached late: no light either


def test_a_milestone_not_reached_is_missed_only_once_its_day_has_passed() -> None:
    assert [missed(day) for day in (d(11, 18), d(11, 19), d(11, 20), d(12, 31))] == [
        False,
        False,
        True,
        True,
    ]


def test_a_milestone_reached_on_or_before_its_day_is_never_missed() -> None:
    for reached in (d(11, 5), d(11, 19)):
        assert not any(missed(day, reached) for day in (d(11, 19), d(11, 22), d(12, 31)))


def test_a_milestone_reached_late_was_missed_and_stays_missed() -> None:
    late = d(11, 24)
    assert [missed(day, late) for day in (d(11, 19), d(11, 22), d(11, 24), d(12, 31))] == [
        False,
        True,
        True,
        True,
    ]


def test_a_task_closed_by_a_milestones_day_settles_it_and_one_closed_later_does_not() -> None:
    assert not missed(d(11, 30), closed_on=d(11, 12))
    assert missed(d(11, 30), closed_on=d(11, 25))
    assert missed(d(11, 22), closed_on=d(11, 25))  # the closing is not known on 11-22


days = st.dates(date(2021, 1, 1), date(2022, 12, 31))


@given(due=days, reached_on=st.none() | days, today=days, later=st.integers(0, 400))
def test_a_milestone_once_missed_stays_missed_and_is_red_while_not_reached(
    due: date, reached_on: date | None, today: date, later: int
) -> None:
    was = RULES.milestone_missed(due=due, today=today, reached_on=reached_on)
    after = RULES.milestone_missed(
        due=due, today=today + timedelta(days=later), reached_on=reached_on
    )
    assert after or not was
    shown = RULES.milestone_light(start=due, due=due, today=today, reached_on=reached_on)
    if shown is not None:  # not reached by today
        assert (shown is Light.RED) == was
    if reached_on is not None and reached_on <= due:
        assert not was
