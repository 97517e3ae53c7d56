"""Complaint: every refused step raises its named error and records nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from domain.errors import InvalidTransition, ValidationError
from domain.meta import EventMeta
from tests.domain.builders import (
    COMPLAINT_STEPS,
    FIRST_RESPONDER,
    ITEM_ID,
    LEAD,
    OTHER,
    Clock,
    assert_refused,
    complaint_through,
    rules,
)

S = ComplaintState
OPEN = set(S) - {S.CLOSED}
R = rules()
Act = Callable[[Complaint, EventMeta], None]
COMMANDS: dict[str, tuple[set[ComplaintState], Act]] = {
    "dispatch": ({S.RECEIVED, S.RETURNED}, lambda c, m: c.dispatch(OTHER, R, m)),
    "sign_for": ({S.DISPATCHED}, lambda c, m: c.sign_for(LEAD, m)),
    "return": ({S.DISPATCHED, S.SIGNED_FOR}, lambda c, m: c.return_(LEAD, "非本单位", m)),
    "reply": (
        {S.DISPATCHED, S.SIGNED_FOR, S.VERIFIED, S.UNFOUNDED},
        lambda c, m: c.reply("答复", rules(), m),
    ),
    "verify": ({S.SIGNED_FOR}, lambda c, m: c.verify(True, "属实", m)),
    "review_appeal": ({S.UNFOUNDED}, lambda c, m: c.review_appeal(True, "维持", m)),
    "report_rectification": ({S.VERIFIED}, lambda c, m: c.report_rectification("整改", [], m)),
    "call_back": ({S.RECTIFIED}, lambda c, m: c.call_back(True, "", m)),
    "reopen": ({S.CALLED_BACK}, lambda c, m: c.reopen("不满意", m)),
    "extend_deadline": (OPEN, lambda c, m: c.extend_deadline(2, "延期", R, m)),
    "hand_over": (OPEN, lambda c, m: c.hand_over(OTHER, "", m)),
    "close": ({S.CALLED_BACK, S.APPEAL_UPHELD}, lambda c, m: c.close("", m)),
    "grant_reward": ({S.CLOSED}, lambda c, m: c.grant_reward(100, "", m)),
}
REFUSED = [
    pytest.param(name, state, id=f"{name}-when-{state.value}")
    for name, (allowed, _) in COMMANDS.items()
    for state in S
    if state not in allowed
]
ALLOWED = [
    pytest.param(name, state, id=f"{name}-when-{state.value}")
    for name, (allowed, _) in COMMANDS.items()
    for state in S  # in the enum's order, so every test worker collects the same list
    if state in allowed
]


@pytest.mark.parametrize(("command", "state"), REFUSED)
def test_a_complaint_refuses_a_step_its_state_does_not_allow(
    clock: Clock, command: str, state: ComplaintState
) -> None:
    c = complaint_through(clock, COMPLAINT_STEPS[state.value])
    assert c.state is state
    act = COMMANDS[command][1]
    error = assert_refused(c, InvalidTransition, lambda: act(c, clock.next()))
    assert (error.item_type, error.state) == ("Complaint", state.value)


@pytest.mark.parametrize(("command", "state"), ALLOWED)
def test_a_complaint_takes_each_step_its_state_allows(
    clock: Clock, command: str, state: ComplaintState
) -> None:
    c = complaint_through(clock, COMPLAINT_STEPS[state.value])
    version = c.version
    COMMANDS[command][1](c, clock.next())
    assert c.version == version + 1


def test_a_complaint_without_a_summary_is_refused(clock: Clock) -> None:
    with pytest.raises(ValidationError) as caught:
        Complaint.receive(
            ITEM_ID,
            channel=Channel.MEDIA,
            summary="  ",
            complainant_name="",
            complainant_phone="",
            subject_unit=None,
            first_responder=FIRST_RESPONDER,
            rules=R,
            meta=clock.next(),
        )
    assert caught.value.field == "summary"


def test_only_the_unit_a_complaint_was_dispatched_to_may_sign_for_or_return_it(
    clock: Clock,
) -> None:
    c = complaint_through(clock, "dispatch")
    assert_refused(c, ValidationError, lambda: c.sign_for(OTHER, clock.next()), "unit")
    assert_refused(c, ValidationError, lambda: c.return_(OTHER, "非本单位", clock.next()), "unit")
    assert c.handling_unit == LEAD


@pytest.mark.parametrize(
    ("steps", "act", "field"),
    [
        ("dispatch", lambda c, m: c.return_(LEAD, " ", m), "reason"),
        ("dispatch", lambda c, m: c.reply("", rules(), m), "text"),
        ("dispatch sign", lambda c, m: c.verify(True, " ", m), "finding"),
        ("dispatch sign unfounded", lambda c, m: c.review_appeal(False, "", m), "note"),
        ("dispatch sign founded", lambda c, m: c.report_rectification(" ", [], m), "narrative"),
        ("dispatch sign founded rectify unsatisfied", lambda c, m: c.reopen("", m), "reason"),
    ],
    ids=["return", "reply", "verify", "appeal", "rectify", "reopen"],
)
def test_a_step_with_blank_required_text_is_refused_naming_the_field(
    clock: Clock, steps: str, act: Act, field: str
) -> None:
    c = complaint_through(clock, steps)
    assert_refused(c, ValidationError, lambda: act(c, clock.next()), field)


def test_a_complaint_gets_only_one_first_reply(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch")
    c.reply("已受理", rules(), clock.next())
    assert_refused(c, InvalidTransition, lambda: c.reply("再次答复", rules(), clock.next()))


def test_a_complaint_whose_caller_was_satisfied_cannot_be_reopened(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign founded rectify satisfied")
    error = assert_refused(c, InvalidTransition, lambda: c.reopen("改主意", clock.next()))
    assert "satisfied" in str(error)
