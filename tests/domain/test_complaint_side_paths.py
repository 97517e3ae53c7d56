"""Complaint side paths: deadline extensions, 首问负责 handover and the 找茬儿 reward."""

from __future__ import annotations

from datetime import date

import pytest

from domain.channels import Channel
from domain.complaint_events import ComplaintState
from domain.errors import InvalidTransition, ValidationError
from domain.timeliness import TimeRules
from tests.domain.builders import (
    FIRST_RESPONDER,
    LEAD,
    OTHER,
    Clock,
    assert_refused,
    complaint_through,
    event_names,
    received_complaint,
)

S = ComplaintState
CLOSED_FOUNDED = "dispatch sign founded rectify satisfied close"


def test_a_12345_deadline_is_extended_in_working_days_up_to_the_channel_maximum(
    clock: Clock, time_rules: TimeRules
) -> None:
    c = received_complaint(clock, Channel.HOTLINE_12345, time_rules)
    assert time_rules.limits(Channel.HOTLINE_12345).max_extension == 10
    # close_by 9-26; +3 working days: 9-27, 9-28, 9-29
    c.extend_deadline(3, "需现场核查", time_rules, clock.next())
    assert (c.close_by, c.extension_days) == (date(2021, 9, 29), 3)
    # +7: 9-30, 10-8, 10-9 (make-up Saturday), 10-11, 10-12, 10-13, 10-14
    c.extend_deadline(7, "涉及多部门", time_rules, clock.next())
    assert (c.close_by, c.extension_days) == (date(2021, 10, 14), 10)
    assert event_names(c)[-2:] == ["DeadlineExtended", "DeadlineExtended"]


def test_an_extension_beyond_the_channel_maximum_is_refused(
    clock: Clock, time_rules: TimeRules
) -> None:
    c = received_complaint(clock, Channel.HOTLINE_12345, time_rules)
    c.extend_deadline(10, "复杂", time_rules, clock.next())
    assert_refused(
        c,
        ValidationError,
        lambda: c.extend_deadline(1, "再延", time_rules, clock.next()),
        "working_days",
    )
    assert (c.close_by, c.extension_days) == (date(2021, 10, 14), 10)


@pytest.mark.parametrize("days", [0, -2, 11])
def test_an_extension_of_a_non_positive_or_too_large_number_of_days_is_refused(
    clock: Clock, time_rules: TimeRules, days: int
) -> None:
    c = received_complaint(clock, Channel.GOOD_BAD_REVIEW, time_rules)
    assert_refused(
        c,
        ValidationError,
        lambda: c.extend_deadline(days, "延期", time_rules, clock.next()),
        "working_days",
    )
    assert c.close_by == date(2021, 10, 14)


def test_an_extension_needs_a_reason(clock: Clock, time_rules: TimeRules) -> None:
    c = received_complaint(clock, Channel.HOTLINE_12345, time_rules)
    assert_refused(
        c, ValidationError, lambda: c.extend_deadline(2, " ", time_rules, clock.next()), "reason"
    )


def test_a_closed_complaint_cannot_be_extended(clock: Clock, time_rules: TimeRules) -> None:
    c = complaint_through(clock, CLOSED_FOUNDED)
    assert_refused(
        c, InvalidTransition, lambda: c.extend_deadline(2, "迟了", time_rules, clock.next())
    )


def test_a_first_responder_handover_changes_the_accountable_unit(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    c.hand_over(OTHER, "交由属地街道负责", clock.next())
    assert c.accountable_unit == OTHER
    assert c.first_responder == FIRST_RESPONDER
    assert c.handling_unit == LEAD
    c.hand_over(FIRST_RESPONDER, "退回首问单位", clock.next())
    assert c.accountable_unit == FIRST_RESPONDER
    assert event_names(c)[-2:] == ["HandedOver", "HandedOver"]


def test_a_handover_to_the_unit_already_accountable_is_refused(clock: Clock) -> None:
    c = received_complaint(clock)
    assert_refused(
        c, ValidationError, lambda: c.hand_over(FIRST_RESPONDER, "", clock.next()), "to_unit"
    )


def test_a_closed_complaint_cannot_be_handed_over(clock: Clock) -> None:
    c = complaint_through(clock, CLOSED_FOUNDED)
    assert_refused(c, InvalidTransition, lambda: c.hand_over(OTHER, "", clock.next()))
    assert c.accountable_unit == FIRST_RESPONDER


def test_a_founded_closed_fault_finding_report_earns_its_reward_once(clock: Clock) -> None:
    c = complaint_through(clock, CLOSED_FOUNDED, Channel.FAULT_FINDING)
    c.grant_reward(200, "找茬儿有奖", clock.next())
    assert c.reward == 200
    assert event_names(c)[-1] == "RewardGranted"
    assert_refused(c, InvalidTransition, lambda: c.grant_reward(200, "", clock.next()))
    assert c.reward == 200


def test_a_fault_finding_report_founded_on_appeal_earns_a_reward(clock: Clock) -> None:
    c = complaint_through(
        clock, "dispatch sign unfounded overturn rectify satisfied close", Channel.FAULT_FINDING
    )
    c.grant_reward(100, "", clock.next())
    assert c.reward == 100


@pytest.mark.parametrize(
    "channel",
    [Channel.HOTLINE_12345, Channel.GOOD_BAD_REVIEW, Channel.MEDIA, Channel.THREE_TEAMS],
)
def test_only_fault_finding_reports_earn_rewards(clock: Clock, channel: Channel) -> None:
    c = complaint_through(clock, CLOSED_FOUNDED, channel)
    error = assert_refused(c, InvalidTransition, lambda: c.grant_reward(100, "", clock.next()))
    assert "找茬儿" in str(error)
    assert c.reward is None


def test_an_unfounded_fault_finding_report_earns_no_reward(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign unfounded uphold close", Channel.FAULT_FINDING)
    assert_refused(c, InvalidTransition, lambda: c.grant_reward(100, "", clock.next()))
    assert c.reward is None


def test_a_fault_finding_report_is_rewarded_only_once_closed(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign founded rectify satisfied", Channel.FAULT_FINDING)
    error = assert_refused(c, InvalidTransition, lambda: c.grant_reward(100, "", clock.next()))
    assert error.state == "called_back"


def test_a_reward_of_less_than_one_yuan_is_refused(clock: Clock) -> None:
    c = complaint_through(clock, CLOSED_FOUNDED, Channel.FAULT_FINDING)
    assert_refused(c, ValidationError, lambda: c.grant_reward(0, "", clock.next()), "amount_yuan")
    assert c.state is S.CLOSED
