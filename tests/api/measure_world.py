"""Builders of the measure tests (成果运用转化): units and founded findings of every kind,
entered straight into the server's ledger on business dates of the tests' choosing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.channels import Channel
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory
from domain.measure import MeasureKind
from domain.person import Person
from domain.unit import UnitKind
from tests.api.helpers import beijing, on


@dataclass(frozen=True)
class Findings:
    """Two units and one founded finding of each kind (the exposure a media case)."""

    unit: UUID
    other: UUID
    complaint: UUID
    exposure: UUID
    interview: UUID
    legacy_issue: UUID
    unfounded: UUID


def findings_by(ledger: Ledger, day: date) -> Findings:
    """Every finding founded on ``day``, but ``unfounded``, a complaint found unfounded."""
    ctx = on(day)
    unit = ledger.register_unit(ctx, name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    other = ledger.register_unit(ctx, name="区市场局", kind=UnitKind.DEPARTMENT).item_id
    complaint = complaint_on(ledger, day, unit, Channel.HOTLINE_12345)
    exposure = complaint_on(ledger, day, unit, Channel.MEDIA)
    unfounded = complaint_on(ledger, day, unit, Channel.HOTLINE_12345, founded=False)
    interview = ledger.schedule_interview(
        ctx,
        unit=unit,
        reason="督办事项连续红灯",
        cited_items=[complaint],
        scheduled_for=beijing(day, 11),
        interviewees=[Person("王五", "局长")],
    ).item_id
    ledger.hold_interview(
        on(day, hour=12),
        interview,
        facts="进度滞后",
        commitments=["两周内整改"],
        demands=["提交报告"],
        rectify_by=date(day.year, 12, 31),
    )
    legacy = ledger.register_legacy_issue(
        ctx,
        title="某小区办证难",
        category=LegacyCategory.PROPERTY_TITLE,
        cause="欠缴出让金",
        responsible_unit=unit,
        target_year=2022,
        baseline=True,
    ).item_id
    return Findings(unit, other, complaint, exposure, interview, legacy, unfounded)


def complaint_on(
    ledger: Ledger, day: date, unit: UUID, channel: Channel, *, founded: bool = True
) -> UUID:
    """A case received, dispatched, signed for and verified on ``day``."""
    case = ledger.receive_complaint(
        on(day, hour=9), channel=channel, summary="审批拖延", first_responder=unit
    ).item_id
    ledger.dispatch_complaint(on(day, hour=9), case, unit=unit)
    ledger.sign_for_complaint(on(day, hour=9), case, unit=unit)
    ledger.verify_complaint(on(day, hour=10), case, founded=founded, finding="核查")
    return case


def propose(ledger: Ledger, day: date, unit: UUID, *findings: UUID, hour: int = 16) -> UUID:
    """A training proposed on ``day`` from ``findings``, for ``unit`` to take."""
    return ledger.propose_measure(
        on(day, hour=hour),
        kind=MeasureKind.TRAINING,
        title="窗口人员培训",
        description="一次告知制度培训",
        responsible_unit=unit,
        findings=list(findings),
    ).item_id
