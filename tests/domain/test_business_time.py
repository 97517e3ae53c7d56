"""Business time: not in the future, back-dated only within the limit, not before the last act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from api.settings import load_policy
from domain.assessment import Assessment, AssessmentKind, Verdict
from domain.channels import Channel
from domain.errors import BusinessTimeRefused, ValidationError
from domain.meta import CLOCK_SKEW, EventMeta
from domain.unit import Unit, UnitKind
from tests.domain.builders import (
    LEAD,
    OFFICE,
    T0,
    Clock,
    assert_refused,
    meta,
    received_complaint,
    registered_task,
    rules,
)
from tests.domain.builders_oversight import interview_in, legacy_issue_in, referral_in

POLICY = load_policy()
NOW = datetime(2021, 11, 1, 12, 0, tzinfo=T0.tzinfo)


def stamped(occurred_at: datetime, *, imported: bool = False, now: datetime = NOW) -> EventMeta:
    return EventMeta(
        actor=OFFICE, occurred_at=occurred_at, recorded_at=now, request_id="r", imported=imported
    )


def test_the_default_policy_allows_back_dating_by_30_days() -> None:
    assert POLICY.max_backdate_days == 30


def test_an_act_dated_in_the_future_is_refused() -> None:
    with pytest.raises(BusinessTimeRefused) as caught:
        stamped(NOW + CLOCK_SKEW + timedelta(seconds=1)).check_business_time(
            POLICY.max_backdate_days
        )
    assert caught.value.field == "occurred_at"
    assert "future" in caught.value.message


def test_an_act_dated_within_the_clocks_skew_of_now_is_not_in_the_future() -> None:
    stamped(NOW + CLOCK_SKEW).check_business_time(POLICY.max_backdate_days)


def test_an_imported_act_dated_in_the_future_is_refused_too() -> None:
    with pytest.raises(BusinessTimeRefused):
        stamped(NOW + timedelta(days=1), imported=True).check_business_time(30)


@pytest.mark.parametrize("lag", [timedelta(0), timedelta(days=1), timedelta(days=30)])
def test_an_act_back_dated_within_the_limit_is_accepted(lag: timedelta) -> None:
    stamped(NOW - lag).check_business_time(POLICY.max_backdate_days)


@pytest.mark.parametrize(
    "lag", [timedelta(days=30, hours=1), timedelta(days=31), timedelta(days=400)]
)
def test_an_act_back_dated_beyond_the_limit_is_refused(lag: timedelta) -> None:
    with pytest.raises(BusinessTimeRefused) as caught:
        stamped(NOW - lag).check_business_time(POLICY.max_backdate_days)
    assert caught.value.field == "occurred_at"
    assert f"back-dated by {lag.days} days {lag.seconds // 3600} hours" in caught.value.message
    assert "the limit is 30 days" in caught.value.message


def test_an_imported_act_may_be_back_dated_beyond_the_limit() -> None:
    plan_day = datetime(2021, 3, 1, 9, tzinfo=T0.tzinfo)
    stamped(
        plan_day, imported=True, now=datetime(2024, 6, 1, tzinfo=T0.tzinfo)
    ).check_business_time(POLICY.max_backdate_days)


def test_the_limit_comes_from_the_policy_it_is_given() -> None:
    with pytest.raises(BusinessTimeRefused):
        stamped(NOW - timedelta(days=2)).check_business_time(1)
    stamped(NOW - timedelta(days=2)).check_business_time(2)


@pytest.mark.parametrize("recorded_aware", [True, False])
def test_a_naive_occurred_at_is_refused(recorded_aware: bool) -> None:
    naive = datetime(2021, 11, 1, 8, 0)
    recorded = NOW if recorded_aware else datetime(2021, 11, 1, 12, 0)
    with pytest.raises(BusinessTimeRefused) as caught:
        stamped(naive, now=recorded).check_business_time(POLICY.max_backdate_days)
    assert caught.value.field == "occurred_at"
    assert "time zone" in caught.value.message


def test_business_time_refusals_belong_to_the_validation_family() -> None:
    assert issubclass(BusinessTimeRefused, ValidationError)


def _unit(clock: Clock) -> Unit:
    return Unit.register("区发改局", UnitKind.DEPARTMENT, clock.next())


def _assessment(clock: Clock) -> Assessment:
    return Assessment.record(
        unit=LEAD,
        period="2021-Q3",
        kind=AssessmentKind.ENTERPRISE_EVALUATION,
        score=Decimal(80),
        verdict=Verdict.NONE,
        note="",
        meta=clock.next(),
    )


def _assign(task: Any, m: EventMeta) -> None:
    deadline = (m.occurred_at + timedelta(days=30)).date()
    task.assign(
        lead_units=[LEAD],
        cooperating_units=[],
        cooperation_note="",
        deadline=deadline,
        milestones=[],
        meta=m,
    )


def _revise(assessment: Any, m: EventMeta) -> None:
    assessment.revise(score=Decimal(70), verdict=Verdict.NONE, note="", reason="复核", meta=m)


R = rules()
ITEMS: dict[str, tuple[Callable[[Clock], Any], Callable[[Any, EventMeta], None]]] = {
    "unit": (_unit, lambda u, m: u.rename("区发展改革局", m)),
    "task": (registered_task, _assign),
    "complaint": (received_complaint, lambda c, m: c.dispatch(LEAD, R, m)),
    "legacy_issue": (
        lambda c: legacy_issue_in("registered", c),
        lambda i, m: i.adopt_plan("计划", [], m),
    ),
    "interview": (lambda c: interview_in("scheduled", c), lambda i, m: i.cancel("取消", m)),
    "referral": (lambda c: referral_in("made", c), lambda r, m: r.acknowledge("", m)),
    "assessment": (_assessment, _revise),
}


@pytest.mark.parametrize("kind", list(ITEMS))
@pytest.mark.parametrize("imported", [False, True])
def test_an_act_dated_before_the_items_last_act_is_refused(
    clock: Clock, kind: str, imported: bool
) -> None:
    build, act = ITEMS[kind]
    item = build(clock)
    last = item.last_occurred_at
    earlier = meta(last - timedelta(minutes=1), imported=imported)
    error = assert_refused(item, BusinessTimeRefused, lambda: act(item, earlier), "occurred_at")
    assert "before this item's last act" in str(error)
    assert item.last_occurred_at == last


@pytest.mark.parametrize("kind", list(ITEMS))
def test_an_act_at_the_same_instant_as_the_last_one_is_accepted(clock: Clock, kind: str) -> None:
    build, act = ITEMS[kind]
    item = build(clock)
    last, version = item.last_occurred_at, item.version
    act(item, meta(last))
    assert (item.version, item.last_occurred_at) == (version + 1, last)


def test_the_last_act_time_follows_business_time_not_recording_time(clock: Clock) -> None:
    task = registered_task(clock)
    occurred = clock.now + timedelta(days=2)
    late = EventMeta(OFFICE, occurred, occurred + timedelta(days=5), "r")
    _assign(task, late)
    assert task.last_occurred_at == occurred
    assert task.assigned_on == occurred.date()
    assert task.modified_on == occurred + timedelta(days=5)


BEIJING = timezone(timedelta(hours=8))


def test_an_acts_business_date_does_not_depend_on_the_offset_it_is_written_in() -> None:
    # One instant: Friday 2021-10-08 07:00 in Beijing, the first working day after
    # National Day; written in UTC it is Thursday 2021-10-07 23:00, still a holiday.
    local = datetime(2021, 10, 8, 7, 0, tzinfo=BEIJING)
    utc = local.astimezone(UTC)
    assert utc == local
    as_local = received_complaint(Clock(local - timedelta(hours=1)), Channel.HOTLINE_12345)
    as_utc = received_complaint(Clock(utc - timedelta(hours=1)), Channel.HOTLINE_12345)
    # 5 working days after 10-08: 10-09 (make-up), 10-11, 10-12, 10-13, 10-14.
    assert (as_local.received_on, as_local.close_by) == (date(2021, 10, 8), date(2021, 10, 14))
    assert (as_utc.received_on, as_utc.close_by) == (date(2021, 10, 8), date(2021, 10, 14))
