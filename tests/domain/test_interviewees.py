"""Who is interviewed (约谈对象): people with posts; and an interview is held once it is due."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.interview import Interview, InterviewState
from domain.person import Person
from tests.domain.builders import ITEM_ID, LEAD, T0, Clock, assert_refused, meta
from tests.domain.builders_oversight import scheduled_interview


def schedule(**people: object) -> Interview:
    return Interview.schedule(
        ITEM_ID,
        unit=LEAD,
        reason="督办事项连续两月红灯",
        cited_items=[UUID(int=7)],
        scheduled_for=T0 + timedelta(days=1),
        meta=meta(T0),
        **people,  # type: ignore[arg-type]
    )


def hold_at(iv: Interview, clock: Clock, offset: timedelta) -> date:
    """Hold ``iv`` ``offset`` after its scheduled time; the business day it was held."""
    m = clock.on(iv.scheduled_for + offset)
    day_after = m.business_date + timedelta(days=1)
    iv.hold(facts="进度滞后", commitments=[], demands=[], rectify_by=day_after, meta=m)
    return m.business_date


def test_an_interview_names_each_person_summoned_with_their_post_once_each() -> None:
    head = Person(" 王某 ", " 局长 ")
    deputy = Person("李某", "副局长", UUID(int=9))
    iv = schedule(interviewees=[head, deputy, Person("王某", "局长")])
    assert iv.interviewees == (Person("王某", "局长"), deputy)
    assert iv.interviewee is None


def test_an_interviewee_given_as_free_text_reads_as_one_person_with_no_post() -> None:
    iv = schedule(interviewee=" 区住建局局长 ")
    assert iv.interviewee == "区住建局局长"
    assert iv.interviewees == (Person("区住建局局长", None),)


@pytest.mark.parametrize(
    ("people", "field"),
    [
        ({}, "interviewees"),
        ({"interviewees": [Person("王某", " ")]}, "interviewees"),
        ({"interviewees": [Person("", "局长")]}, "interviewees"),
        ({"interviewees": [Person("王某", "局长")], "interviewee": "局长"}, "interviewee"),
    ],
)
def test_an_interview_without_a_person_and_post_or_with_both_shapes_is_refused(
    people: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        schedule(**people)
    assert refused.value.field == field


def test_an_interview_held_before_its_scheduled_time_is_refused(clock: Clock) -> None:
    iv = scheduled_interview(clock)
    m = clock.on(iv.scheduled_for - timedelta(minutes=1))
    day_after = m.business_date + timedelta(days=1)
    error = assert_refused(
        iv,
        ValidationError,
        lambda: iv.hold(facts="f", commitments=[], demands=[], rectify_by=day_after, meta=m),
        "occurred_at",
    )
    assert "before the interview's scheduled time" in str(error)


@given(offset=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
def test_an_interview_is_held_at_its_scheduled_time_or_any_time_after(offset: timedelta) -> None:
    clock = Clock()
    iv = scheduled_interview(clock)
    held_on = hold_at(iv, clock, offset)
    assert (iv.state, iv.held_on) == (InterviewState.HELD, held_on)
