"""A unit's staff act on an item only in the relation the step needs, read from the item
itself: being involved otherwise (cooperating, complained about) lets them see it, not act."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from api.permissions import mask_name, mask_phone
from domain.channels import Channel
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, head, mutate, now
from tests.clock import today


def _units(live: LiveServer, *names: str) -> list[UUID]:
    ledger = live.services.ledger
    return [ledger.register_unit(now(), name=n, kind=UnitKind.DEPARTMENT).item_id for n in names]


def _staff(unit: UUID) -> str:
    return f"unit:clerk-{str(unit)[:4]}:{unit}"


def _task(live: LiveServer, lead: UUID, cooperating: UUID) -> UUID:
    ledger = live.services.ledger
    task = ledger.register_task(now(), plan_year=2026, title="优化营商环境").item_id
    # within the years the official calendar covers (outside them it counts weekends only)
    deadline = min(today() + timedelta(days=30), date(today().year, 12, 31))
    ledger.assign_task(
        now(), task, lead_units=[lead], cooperating_units=[cooperating], deadline=deadline
    )
    ledger.accept_task(now(), task, unit=lead)
    return task


def test_a_cooperating_unit_may_report_progress_but_not_ask_for_completion(
    live: LiveServer,
) -> None:
    lead, helper = _units(live, "区住建局", "区财政局")
    task = _task(live, lead, helper)
    caught_up(live, _staff(helper))
    before = head(live)
    asked: dict[str, Any] = mutate(
        live,
        "requestCompletion",
        {"taskId": gid("Task", task), "summary": "done"},
        actor=_staff(helper),
    )
    assert asked["__typename"] == "Forbidden"
    assert "lead units" in asked["message"]
    assert head(live) == before
    reported = mutate(
        live,
        "reportProgress",
        {"taskId": gid("Task", task), "percent": 40, "narrative": "协同推进"},
        actor=_staff(helper),
    )
    assert reported["__typename"] == "MutationSuccess"


def test_the_unit_a_complaint_is_about_may_see_it_but_not_answer_for_the_handling_unit(
    live: LiveServer,
) -> None:
    ledger = live.services.ledger
    subject, handler, first = _units(live, "区市场监管局", "区行政审批局", "区12345中心")
    complaint = ledger.receive_complaint(
        now(),
        channel=Channel.HOTLINE_12345,
        summary="审批超时",
        first_responder=first,
        subject_unit=subject,
    ).item_id
    ledger.dispatch_complaint(now(), complaint, unit=handler)
    caught_up(live, _staff(subject))
    seen = live.gql(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": gid("Complaint", complaint)},
        actor=_staff(subject),
    )
    assert seen["node"] == {"id": gid("Complaint", complaint)}
    before = head(live)
    replied = mutate(
        live,
        "replyToComplaint",
        {"complaintId": gid("Complaint", complaint), "text": "已处理"},
        actor=_staff(subject),
    )
    assert replied["__typename"] == "Forbidden"
    assert head(live) == before
    signed = mutate(
        live,
        "signForComplaint",
        {"complaintId": gid("Complaint", complaint), "unit": str(handler)},
        actor=_staff(handler),
    )
    assert signed["__typename"] == "MutationSuccess"


def test_masks_show_at_most_half_of_a_phone_number_and_the_first_character_of_a_name() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("83651234") == "****1234"
    assert mask_phone("1234567") == "****567"
    assert mask_phone("12") == "*2"
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李*"
