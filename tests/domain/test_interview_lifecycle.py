"""Interview (约谈): scheduled, held, followed up until rectified; or cancelled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.errors import InvalidTransition, ValidationError
from domain.interview import Interview, InterviewState
from domain.meta import EventMeta
from tests.domain.builders import (
    ITEM_ID,
    LEAD,
    T0,
    Clock,
    assert_refused,
    event_names,
    meta,
)
from tests.domain.builders_oversight import interview_in, scheduled_interview

S = InterviewState


def test_a_scheduled_interview_keeps_its_cited_items_once_each_in_order(clock: Clock) -> None:
    iv = scheduled_interview(clock)
    assert iv.state is S.SCHEDULED
    assert iv.cited_items == (UUID(int=7), UUID(int=8))
    assert iv.scheduled_for == T0 + timedelta(hours=1, days=3)
    assert (iv.interviewee, iv.rectify_by, iv.rectified) == ("局长", None, False)


def test_an_interview_is_held_and_followed_up_until_rectification_is_confirmed(
    clock: Clock,
) -> None:
    iv = scheduled_interview(clock)
    iv.hold(
        facts="进度滞后",
        commitments=["两周内完成"],
        demands=["提交整改报告"],
        rectify_by=date(2021, 10, 8),
        meta=clock.on(iv.scheduled_for),
    )
    assert (iv.state, iv.rectify_by) == (S.HELD, date(2021, 10, 8))
    iv.record_follow_up("部分整改", False, clock.next())
    assert (iv.state, iv.rectified) == (S.FOLLOWED_UP, False)
    iv.record_follow_up("整改到位", True, clock.next())
    assert (iv.state, iv.rectified) == (S.FOLLOWED_UP, True)
    assert event_names(iv) == ["Scheduled", "Held", "FollowUpRecorded", "FollowUpRecorded"]


def test_a_follow_up_after_confirmed_rectification_is_refused(clock: Clock) -> None:
    iv = interview_in("rectified", clock)
    error = assert_refused(
        iv, InvalidTransition, lambda: iv.record_follow_up("再跟踪", False, clock.next())
    )
    assert "rectification already confirmed" in str(error)


def test_a_scheduled_interview_can_be_cancelled(clock: Clock) -> None:
    iv = scheduled_interview(clock)
    iv.cancel("负责人调离", clock.next())
    assert iv.state is S.CANCELLED
    assert event_names(iv) == ["Scheduled", "Cancelled"]


@pytest.mark.parametrize(
    ("cited", "offset", "interviewee", "field"),
    [
        ([], timedelta(days=1), "局长", "cited_items"),
        ([UUID(int=7)], timedelta(minutes=-1), "局长", "scheduled_for"),
        ([UUID(int=7)], timedelta(days=1), "  ", "interviewee"),
    ],
)
def test_an_interview_breaking_a_scheduling_rule_is_refused(
    cited: list[UUID], offset: timedelta, interviewee: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Interview.schedule(
            ITEM_ID,
            unit=LEAD,
            interviewee=interviewee,
            reason="滞后",
            cited_items=cited,
            scheduled_for=T0 + offset,
            meta=meta(T0),
        )
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("days", "facts", "field"),
    [(0, "事实", "rectify_by"), (-3, "事实", "rectify_by"), (14, " ", "facts")],
)
def test_a_hearing_breaking_a_rule_is_refused(
    clock: Clock, days: int, facts: str, field: str
) -> None:
    iv = scheduled_interview(clock)
    m = clock.on(iv.scheduled_for + timedelta(hours=1))
    assert_refused(
        iv,
        ValidationError,
        lambda: iv.hold(
            facts=facts,
            commitments=[],
            demands=[],
            rectify_by=m.occurred_at.date() + timedelta(days=days),
            meta=m,
        ),
        field,
    )


def test_a_follow_up_needs_a_narrative_and_a_cancellation_a_reason(clock: Clock) -> None:
    held = interview_in("held", clock)
    assert_refused(
        held, ValidationError, lambda: held.record_follow_up(" ", True, clock.next()), "narrative"
    )
    scheduled = scheduled_interview(Clock())
    assert_refused(scheduled, ValidationError, lambda: scheduled.cancel("", clock.next()), "reason")


Act = Callable[[Interview, EventMeta], None]
COMMANDS: dict[str, tuple[set[str], Act]] = {
    "hold": (
        {"scheduled"},
        lambda i, m: i.hold(
            facts="f", commitments=[], demands=[], rectify_by=date(2022, 1, 1), meta=m
        ),
    ),
    "record_follow_up": ({"held", "followed_up"}, lambda i, m: i.record_follow_up("n", False, m)),
    "cancel": ({"scheduled"}, lambda i, m: i.cancel("取消", m)),
}


@pytest.mark.parametrize(
    ("command", "state"),
    [
        pytest.param(name, state, id=f"{name}-when-{state}")
        for name, (allowed, _) in COMMANDS.items()
        for state in ("scheduled", "held", "followed_up", "cancelled")
        if state not in allowed
    ],
)
def test_an_interview_refuses_a_step_its_state_does_not_allow(
    clock: Clock, command: str, state: str
) -> None:
    iv = interview_in(state, clock)
    act = COMMANDS[command][1]
    error = assert_refused(iv, InvalidTransition, lambda: act(iv, clock.next()))
    assert (error.item_type, error.state) == ("Interview", state)
