"""Refused commands name the problem and write nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from domain.ledger import Ledger
from domain.unit import UnitKind
from tests.clock import now
from tests.integration.builders import office, task_in_progress, unit


@pytest.fixture
def ledger(memory_ledger: Ledger) -> Ledger:
    """The ledger of these tests keeps its log in memory: a refusal is the rules' answer,
    whatever database the log is in."""
    return memory_ledger


def _head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def test_assigning_a_task_to_an_unknown_unit_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    task = ledger.register_task(office(), plan_year=2026, title="规范涉企收费清理整治")
    head = _head(ledger)
    with pytest.raises(ValidationError) as refused:
        ledger.assign_task(office(), task.item_id, lead_units=[uuid4()], deadline=date(2030, 1, 1))
    assert refused.value.field == "lead_units"
    assert _head(ledger) == head


def test_a_merged_unit_cannot_be_given_new_work(ledger: Ledger) -> None:
    old, new = unit(ledger, "区规划局"), unit(ledger, "区自然资源局")
    ledger.merge_unit(office(), old, into=new)
    task = ledger.register_task(office(), plan_year=2026, title="推进政务服务事项网上可办")
    with pytest.raises(ValidationError, match="merged"):
        ledger.assign_task(office(), task.item_id, lead_units=[old], deadline=date(2030, 1, 1))


def test_a_stale_expected_version_is_a_conflict_carrying_the_current_version(
    ledger: Ledger,
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    head = _head(ledger)
    with pytest.raises(ConcurrencyConflict) as conflict:
        ledger.urge_task(office(expected_version=1), task_id, reason="进度滞后")
    assert (conflict.value.expected, conflict.value.current) == (1, 3)
    assert _head(ledger) == head


def test_an_item_of_another_type_is_not_found(ledger: Ledger) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    with pytest.raises(NotFound):
        ledger.close_complaint(office(), task_id)
    with pytest.raises(NotFound):
        ledger.urge_task(office(), uuid4(), reason="进度滞后")


def test_an_illegal_step_through_the_ledger_names_the_state_and_writes_nothing(
    ledger: Ledger,
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    head = _head(ledger)
    with pytest.raises(InvalidTransition) as refused:
        ledger.verify_task(office(), task_id)
    assert (refused.value.state, refused.value.step) == ("in_progress", "be verified and closed")
    assert _head(ledger) == head


def test_a_referral_may_cite_only_positions_that_exist(ledger: Ledger) -> None:
    lead = unit(ledger)
    with pytest.raises(ValidationError) as refused:
        ledger.refer_to_discipline(
            office(), unit=lead, reason="约谈后仍整改不力", evidence=[1, _head(ledger) + 5]
        )
    assert refused.value.field == "evidence"
    made = ledger.refer_to_discipline(office(), unit=lead, reason="约谈后仍整改不力", evidence=[1])
    assert made.version == 1


def test_an_interview_must_cite_items_that_exist(ledger: Ledger) -> None:
    lead = unit(ledger)
    when = now() + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        ledger.schedule_interview(
            office(),
            unit=lead,
            interviewee="局长",
            reason="进度滞后",
            cited_items=[uuid4()],
            scheduled_for=when,
        )
    assert refused.value.field == "cited_items"


def test_registering_a_unit_name_twice_is_refused(ledger: Ledger) -> None:
    unit(ledger, "区税务局")
    with pytest.raises(AlreadyExists):
        ledger.register_unit(office(), name="区税务局", kind=UnitKind.STATIONED)


def test_a_complaint_gets_its_deadlines_from_the_channel_policy(ledger: Ledger) -> None:
    responder = unit(ledger)
    received_at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday
    made = ledger.receive_complaint(
        office(occurred_at=received_at, imported=True),  # entered from an earlier record
        channel=Channel.HOTLINE_12345,
        summary="企业开办登记进度缓慢",
        first_responder=responder,
    )
    complaint = ledger.get(Complaint, made.item_id)
    assert complaint.close_by == date(2026, 11, 27)  # 5 working days: Mon 23 .. Fri 27
    assert complaint.first_responder == complaint.accountable_unit == responder
