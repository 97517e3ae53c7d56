"""Complaint: receipt to closure, with deadlines checked by hand on the official calendar.

2021 around the test dates: Mid-Autumn 9-19..9-21 off with Saturday 9-18 worked;
National Day 10-1..10-7 off with Sunday 9-26 and Saturday 10-9 worked.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from domain.timeliness import TimeRules
from tests.domain.builders import (
    FIRST_RESPONDER,
    LEAD,
    OTHER,
    Clock,
    at,
    complaint_through,
    event_names,
    received_complaint,
    rules,
)

S = ComplaintState


def test_a_12345_work_order_received_before_mid_autumn_is_due_on_the_make_up_sunday(
    clock: Clock, time_rules: TimeRules
) -> None:
    # Friday 9-17; working days after it: 9-18 (make-up), 9-22, 9-23, 9-24, 9-26 (make-up).
    c = received_complaint(clock, Channel.HOTLINE_12345, time_rules)
    assert c.received_on == date(2021, 9, 17)
    assert c.first_reply_by == date(2021, 9, 26)
    assert c.close_by == date(2021, 9, 26)
    assert c.state is S.RECEIVED
    assert c.first_responder == c.accountable_unit == FIRST_RESPONDER
    assert (c.complainant_name, c.handling_unit, c.return_count) == ("张三", None, 0)


@pytest.mark.parametrize(
    ("channel", "close_by"),
    [
        # 15 working days: ...9-26 (5), 9-27..9-30 (9), 10-8, 10-9 (11), 10-11..10-14 (15).
        (Channel.GOOD_BAD_REVIEW, date(2021, 10, 14)),
        # 20 working days: ...10-14 (15), 10-15, 10-18, 10-19, 10-20, 10-21 (20).
        (Channel.FAULT_FINDING, date(2021, 10, 21)),
        (Channel.MEDIA, date(2021, 10, 21)),
        (Channel.THREE_TEAMS, date(2021, 10, 21)),
    ],
)
def test_each_channel_sets_its_own_close_by_across_the_national_day_holiday(
    clock: Clock, time_rules: TimeRules, channel: Channel, close_by: date
) -> None:
    c = received_complaint(clock, channel, time_rules)
    assert c.close_by == close_by
    assert c.first_reply_by == date(2021, 9, 26)


def test_a_complaint_is_dispatched_signed_verified_rectified_called_back_and_closed(
    clock: Clock, time_rules: TimeRules
) -> None:
    c = received_complaint(clock, Channel.HOTLINE_12345, time_rules)
    c.dispatch(LEAD, time_rules, clock.next())
    assert c.state is S.DISPATCHED
    assert c.handling_unit == LEAD
    # sign for within 1 working day (9-18), return within 2 (9-18, 9-22)
    assert (c.sign_by, c.return_by) == (date(2021, 9, 18), date(2021, 9, 22))

    c.sign_for(LEAD, clock.next())
    assert c.state is S.SIGNED_FOR
    c.reply("已受理，正在核查", rules(), clock.on(at(2021, 9, 18)))
    assert c.first_replied_on == date(2021, 9, 18)
    c.verify(True, "情况属实", clock.on(at(2021, 9, 22)))
    assert (c.state, c.founded) == (S.VERIFIED, True)
    c.report_rectification("已整改", ["photo-1"], clock.on(at(2021, 9, 23)))
    assert (c.state, c.rectified_on) == (S.RECTIFIED, date(2021, 9, 23))
    c.call_back(True, "满意", clock.on(at(2021, 9, 24)))
    assert (c.state, c.satisfied) == (S.CALLED_BACK, True)
    c.close("办结", clock.on(at(2021, 9, 24, 10)))
    assert (c.state, c.closed_on) == (S.CLOSED, date(2021, 9, 24))
    assert event_names(c) == [
        "Received",
        "Dispatched",
        "SignedFor",
        "Replied",
        "Verified",
        "RectificationReported",
        "CalledBack",
        "Closed",
    ]


def test_a_returned_complaint_can_be_redispatched_to_another_unit(
    clock: Clock, time_rules: TimeRules
) -> None:
    c = complaint_through(clock, "dispatch return")
    assert (c.state, c.handling_unit, c.return_count) == (S.RETURNED, None, 1)
    # redispatched on Wednesday 9-29: sign for by 9-30, return by 9-30 and 10-8
    c.dispatch(OTHER, time_rules, clock.on(at(2021, 9, 29)))
    assert isinstance(c.pending_events[-1], Complaint.Redispatched)
    assert event_names(c)[-3:] == ["Dispatched", "Returned", "Redispatched"]
    assert (c.state, c.handling_unit) == (S.DISPATCHED, OTHER)
    assert (c.sign_by, c.return_by) == (date(2021, 9, 30), date(2021, 10, 8))
    c.sign_for(OTHER, clock.next())
    assert c.state is S.SIGNED_FOR


def test_a_signed_for_complaint_can_still_be_returned(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign return redispatch")
    assert c.return_count == 1
    c.return_(OTHER, "亦不属本单位", clock.next())
    assert (c.state, c.return_count, c.handling_unit) == (S.RETURNED, 2, None)


def test_an_unfounded_complaint_whose_appeal_is_upheld_is_closed(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign unfounded")
    assert (c.state, c.founded) == (S.UNFOUNDED, False)
    c.review_appeal(True, "维持", clock.next())
    assert (c.state, c.founded) == (S.APPEAL_UPHELD, False)
    c.close("不属实，办结", clock.next())
    assert c.state is S.CLOSED
    assert event_names(c)[-3:] == ["Verified", "AppealReviewed", "Closed"]


def test_an_unfounded_complaint_whose_appeal_is_rejected_must_be_rectified(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign unfounded overturn")
    assert (c.state, c.founded) == (S.VERIFIED, True)
    c.report_rectification("已整改", [], clock.next())
    assert c.state is S.RECTIFIED


def test_an_unsatisfied_caller_reopens_the_case_for_another_rectification(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign founded rectify unsatisfied")
    assert (c.state, c.satisfied) == (S.CALLED_BACK, False)
    c.reopen("回访不满意", clock.next())
    assert (c.state, c.reopen_count, c.satisfied, c.rectified_on) == (S.VERIFIED, 1, None, None)
    c.report_rectification("二次整改", ["photo-2"], clock.next())
    c.call_back(True, "满意", clock.next())
    c.close("", clock.next())
    assert (c.state, c.reopen_count, c.satisfied) == (S.CLOSED, 1, True)
    assert event_names(c)[-5:] == [
        "CalledBack",
        "Reopened",
        "RectificationReported",
        "CalledBack",
        "Closed",
    ]


def test_a_first_reply_may_come_after_verification_but_only_once(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign unfounded")
    c.reply("经核查不属实", rules(), clock.on(at(2021, 9, 22)))
    assert c.first_replied_on == date(2021, 9, 22)
    assert event_names(c)[-1] == "Replied"
