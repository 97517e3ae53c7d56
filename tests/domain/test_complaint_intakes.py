"""受理专线: a case may name an intake line of the policy (the 24-hour line), of its own
channel; it is then to be receipted within the line's clock hours, and its first dispatch
receipts it. A case may name the enterprise it concerns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.settings import load_policy
from domain.calendar import WorkingDayCalendar
from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.timeliness import TimeRules
from tests.domain.builders import FIRST_RESPONDER, ITEM_ID, LEAD, OTHER, Clock, meta, rules

LINE = "complaint_line_24h"
KEYS = [i.key for i in rules().policy.intakes]
#: Friday 2021-09-17 20:00 in Beijing: the Mid-Autumn holiday (19-21 September) follows.
FRIDAY_EVENING = datetime(2021, 9, 17, 12, 0, tzinfo=UTC)


def received(
    intake: str | None,
    *,
    channel: Channel = Channel.HOTLINE_12345,
    at: datetime = FRIDAY_EVENING,
    time_rules: TimeRules | None = None,
    enterprise: UUID | None = None,
) -> Complaint:
    return Complaint.receive(
        ITEM_ID,
        channel=channel,
        summary="夜间来电：审批窗口拒收材料",
        complainant_name="",
        complainant_phone="",
        subject_unit=None,
        first_responder=FIRST_RESPONDER,
        rules=time_rules or rules(),
        meta=meta(at),
        intake=intake,
        enterprise=enterprise,
    )


def test_the_default_policy_ships_the_24_hour_line_and_the_enterprise_line_of_12345() -> None:
    intakes = [(i.key, i.name, i.channel, i.receipt_hours) for i in rules().policy.intakes]
    assert intakes == [
        (LINE, "24小时行政投诉举报电话", Channel.HOTLINE_12345, 24),
        ("enterprise_line", "全天候服务企业热线", Channel.HOTLINE_12345, 24),
    ]


def test_a_case_of_the_24_hour_line_is_due_for_receipt_24_clock_hours_later_holiday_or_not() -> (
    None
):
    case = received(LINE)
    assert case.intake == LINE
    assert case.receipt_by == FRIDAY_EVENING + timedelta(hours=24)  # whatever the calendar says
    assert case.receipted_at is None
    event = case.pending_events[0]
    assert (event.intake, event.receipt_by) == (LINE, case.receipt_by)  # type: ignore[attr-defined]


def test_the_first_dispatch_receipts_the_case_and_a_later_one_does_not_move_it() -> None:
    case, clock = received(LINE), Clock(FRIDAY_EVENING + timedelta(hours=30))
    case.dispatch(LEAD, rules(), clock.next())
    receipted = clock.now
    case.return_(LEAD, "不属本单位职责", clock.next())
    case.dispatch(OTHER, rules(), clock.next())
    assert case.receipted_at == receipted
    assert case.receipt_by is not None and case.receipted_at > case.receipt_by  # late


def test_a_case_of_no_intake_has_no_receipt_to_meet() -> None:
    case = received(None)
    case.dispatch(LEAD, rules(), Clock(FRIDAY_EVENING).next())
    assert (case.intake, case.receipt_by, case.receipted_at) == (None, None, None)
    assert received(" ").intake is None  # a blank intake is none


def test_an_intake_the_policy_does_not_list_is_refused_naming_intake() -> None:
    with pytest.raises(ValidationError) as caught:
        received("fax_line")
    assert caught.value.field == "intake"
    assert "complaint_line_24h, enterprise_line" in caught.value.message


@pytest.mark.parametrize("channel", [c for c in Channel if c is not Channel.HOTLINE_12345])
def test_an_intake_of_another_channel_is_refused_naming_intake(channel: Channel) -> None:
    with pytest.raises(ValidationError) as caught:
        received(LINE, channel=channel)
    assert caught.value.field == "intake"
    assert "12345热线" in caught.value.message


@given(
    hours_later=st.integers(min_value=0, max_value=24 * 5),
    minute=st.integers(min_value=0, max_value=59),
)
def test_a_receipt_is_late_exactly_when_the_dispatch_comes_after_the_due_moment(
    hours_later: int, minute: int
) -> None:
    case = received(LINE)
    dispatched_at = FRIDAY_EVENING + timedelta(hours=hours_later, minutes=minute)
    case.dispatch(LEAD, rules(), meta(dispatched_at))
    assert case.receipt_by is not None and case.receipted_at == dispatched_at
    assert (case.receipted_at > case.receipt_by) == (
        dispatched_at - FRIDAY_EVENING > timedelta(hours=24)
    )


def test_a_case_names_the_enterprise_it_concerns() -> None:
    enterprise = UUID(int=77)
    case = received(None, enterprise=enterprise)
    assert case.enterprise == enterprise
    assert case.pending_events[0].enterprise == enterprise  # type: ignore[attr-defined]


def test_a_case_recorded_before_intakes_and_enterprises_were_kept_reads_as_before() -> None:
    event = received(LINE, enterprise=UUID(int=77)).pending_events[0]
    for name in ("intake", "receipt_by", "enterprise"):
        del event.__dict__[name]  # as an event stored before the fields were added
    case = event.mutate(None)
    assert isinstance(case, Complaint)
    assert (case.intake, case.receipt_by, case.enterprise) == (None, None, None)
    case.dispatch(LEAD, rules(), Clock(FRIDAY_EVENING).next())
    assert case.receipted_at is None


def test_a_policy_file_replaces_the_list_of_intakes_whole(tmp_path: Path) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(
        '[[intakes]]\nkey = "media_desk"\nname = "媒体曝光受理台"\n'
        'channel = "media"\nreceipt_hours = 2\n',
        encoding="utf-8",
    )
    own = TimeRules(load_policy(override), WorkingDayCalendar())
    case = received("media_desk", channel=Channel.MEDIA, time_rules=own)
    assert case.receipt_by == FRIDAY_EVENING + timedelta(hours=2)
    with pytest.raises(ValidationError, match="intake"):
        received(LINE, time_rules=own)
    empty = tmp_path / "none.toml"
    empty.write_text("intakes = []\n", encoding="utf-8")
    assert load_policy(empty).intakes == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[intakes]\nkey = "x"\n', "policy.intakes"),
        (
            '[[intakes]]\nkey = "Bad Key"\nname = "甲"\nchannel = "media"\nreceipt_hours = 1\n',
            "key",
        ),
        ('[[intakes]]\nkey = "a"\nname = " "\nchannel = "media"\nreceipt_hours = 1\n', "name"),
        ('[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "fax"\nreceipt_hours = 1\n', "channel"),
        ('[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "media"\nreceipt_hours = 0\n', "hours"),
        ('[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "media"\nreceipt_hours = -3\n', "hours"),
        ('[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "media"\nreceipt_hours = 1.5\n', "hours"),
        ('[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "media"\nreceipt_hours = 1\nx = 1\n', "x"),
    ],
)
def test_a_bad_list_of_intakes_is_refused_naming_the_entry_and_setting(
    tmp_path: Path, text: str, problem: str
) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_policy(override)
    assert caught.value.field.startswith("policy.intakes")
    assert problem in caught.value.field


def test_an_intake_named_twice_is_refused_naming_the_second(tmp_path: Path) -> None:
    entry = '[[intakes]]\nkey = "a"\nname = "甲"\nchannel = "media"\nreceipt_hours = 1\n'
    override = tmp_path / "policy.toml"
    override.write_text(entry * 2, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"policy.intakes\[1\].key"):
        load_policy(override)
