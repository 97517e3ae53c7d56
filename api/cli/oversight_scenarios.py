"""The oversight lifecycles of ``ledger generate``: interviews of unit heads, referrals to
discipline inspection, and assessments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from api.cli.scenario_text import SURNAMES
from api.cli.simulation import Lifecycle, Simulation
from domain.assessment import Assessment, AssessmentKind, Verdict, assessment_id_for
from domain.interview import Interview
from domain.person import Person
from domain.referral import Referral


def interview_lifecycle(
    sim: Simulation,
    *,
    unit: UUID | None = None,
    cited: list[UUID] | None = None,
    refer: bool | None = None,
) -> Lifecycle:
    """An interview of ``unit``'s head about ``cited`` items (unless given: any unit, two
    items touched lately), followed up, and referred when ``refer`` (unless given: by chance)."""
    if cited is None:
        cited = sim.rng.sample(sim.recent_items, min(2, len(sim.recent_items)))
    if not cited:
        return
    if unit is None:
        unit = sim.unit()
    meta = sim.meta()
    iv = Interview.schedule(
        sim.new_id(),
        unit=unit,
        interviewees=[Person(name=SURNAMES[unit.int % len(SURNAMES)] + "某", post="主要负责人")],
        reason="工作推动不力,进度滞后",
        cited_items=cited,
        scheduled_for=meta.occurred_at,  # held at a later step: never before it is due
        meta=meta,
    )
    yield sim.touch(iv)
    held = sim.meta()
    iv.hold(
        facts="事项逾期未完成",
        commitments=["限期整改"],
        demands=["一个月内完成整改"],
        rectify_by=(held.occurred_at + timedelta(days=30)).date(),
        meta=held,
    )
    yield sim.touch(iv)
    iv.record_follow_up("整改情况跟踪", sim.chance(0.7) and not refer, sim.meta())
    yield sim.touch(iv)
    if (sim.chance(0.15) if refer is None else refer) and sim.last_position > 10:
        yield from _referral(sim, unit, iv.id, cited)


OUTCOMES = (("诫勉谈话", True), ("通报批评", True), ("不予追责", False))
"""What discipline inspection concluded, and whether anyone was held accountable by it."""


def _referral(sim: Simulation, unit: UUID, interview: UUID, cited: list[UUID]) -> Lifecycle:
    evidence = sim.evidence([interview, *cited])
    r = Referral.make(
        sim.new_id(),
        unit=unit,
        persons=["单位负责人"],
        reason="约谈后仍整改不力",
        evidence=evidence,
        cited_items=[interview],
        meta=sim.meta(),
    )
    yield sim.touch(r)
    r.acknowledge("已接收", sim.meta())
    yield sim.touch(r)
    outcome, accountable = sim.rng.choice(OUTCOMES)
    r.record_outcome(outcome, accountable, sim.meta())
    yield sim.touch(r)


def assessment_lifecycle(
    sim: Simulation,
    *,
    unit: UUID | None = None,
    kind: AssessmentKind | None = None,
    period: str | None = None,
) -> Lifecycle:
    """A unit's score of one kind for a period (unless given: any unit and kind, this
    quarter)."""
    if unit is None:
        unit = sim.unit()
    if kind is None:
        kind = sim.rng.choice(list(AssessmentKind))
    if period is None:
        period = f"{sim.clock.year}-Q{(sim.clock.month - 1) // 3 + 1}"
    if assessment_id_for(unit, period, kind) in sim.assessed:
        return
    sim.assessed.add(assessment_id_for(unit, period, kind))
    score = Decimal(sim.rng.randint(600, 1000)) / 10
    verdict = Verdict.REWARD if score >= 95 else Verdict.PENALTY if score < 70 else Verdict.NONE
    a = Assessment.record(
        unit=unit,
        period=period,
        kind=kind,
        score=score,
        verdict=verdict,
        note="季度考核",
        meta=sim.meta(),
    )
    yield sim.touch(a)
