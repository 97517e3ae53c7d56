"""Lifecycles for ``ledger generate``: each a generator that takes one domain step per turn."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from api.cli.scenario_text import COMPLAINT_TEXT, LEGACY_TEXT, SURNAMES, TASK_TITLES
from domain.assessment import Assessment, AssessmentKind, Verdict, assessment_id_for
from domain.channels import Channel
from domain.clock import Clock
from domain.complaint import Complaint
from domain.escalation import Milestone, Tier
from domain.interview import Interview
from domain.legacy_issue import TARGET_YEARS, LegacyCategory, LegacyIssue
from domain.meta import Actor, EventMeta, LedgerItem, Role
from domain.referral import Referral
from domain.task import Task
from domain.timeliness import TimeRules

Lifecycle = Iterator[LedgerItem]


class Simulation:
    """Shared state of one generation run: the rng, the business clock, touched items."""

    def __init__(
        self,
        rules: TimeRules,
        rng: random.Random,
        units: list[UUID],
        *,
        now: Clock,
        start: datetime,
        end: datetime,
        events: int,
        personal: Callable[[str, str], str],
    ) -> None:
        self.rules, self.now, self.rng, self.units = rules, now, rng, units
        self.personal = personal
        """Personal data (field, text) as the ledger records it: sealed."""
        self.clock, self.end, self.step = start, end, (end - start) / events
        self.last_position = 0
        self.recent_items: list[UUID] = []
        self.assessed: set[UUID] = set()
        self._touched: dict[UUID, LedgerItem] = {}
        self._pending = 0

    def new_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def unit(self) -> UUID:
        return self.rng.choice(self.units)

    def meta(self, item: LedgerItem | None = None, unit: UUID | None = None) -> EventMeta:
        """Stamp the next step: business time moves on a little each step, never past the end."""
        self.clock = min(self.end, self.clock + self.step * (0.4 + self.rng.random()))
        actor = (
            Actor(f"staff-{unit.hex[:8]}", Role.UNIT, unit)
            if unit
            else Actor("office-duty", Role.OFFICE)
        )
        return EventMeta(
            actor,
            self.clock,
            self.now(),
            f"{self.rng.getrandbits(64):016x}",
            imported=True,
        )

    def touch(self, item: LedgerItem) -> LedgerItem:
        """Note that ``item`` has new events to save; return it."""
        self._touched[item.id] = item
        self._pending += 1
        self.recent_items = [*self.recent_items[-199:], item.id]
        return item

    def pending_events(self) -> int:
        """Events taken since the last batch (every step records exactly one)."""
        return self._pending

    def take_touched(self) -> list[LedgerItem]:
        touched, self._touched, self._pending = list(self._touched.values()), {}, 0
        return touched

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def complaint_lifecycle(sim: Simulation) -> Lifecycle:
    channel = sim.rng.choice(list(Channel))
    c = Complaint.receive(
        sim.new_id(),
        channel=channel,
        summary=sim.rng.choice(COMPLAINT_TEXT[channel]),
        complainant_name=sim.personal("complainant_name", sim.rng.choice(SURNAMES) + "先生"),
        complainant_phone=sim.personal("complainant_phone", f"13{sim.rng.randrange(10**9):09d}"),
        subject_unit=sim.unit(),
        first_responder=sim.unit(),
        rules=sim.rules,
        meta=sim.meta(),
    )
    yield sim.touch(c)
    handler = sim.unit()
    c.dispatch(handler, sim.rules, sim.meta())
    yield sim.touch(c)
    while sim.chance(0.12) and c.return_count < 2:
        c.return_(handler, "不属于本单位职责范围", sim.meta(unit=handler))
        yield sim.touch(c)
        handler = sim.unit()
        c.dispatch(handler, sim.rules, sim.meta())
        yield sim.touch(c)
    if sim.chance(0.08) and handler != c.accountable_unit:
        c.hand_over(handler, "首问单位移交承办单位", sim.meta(unit=c.accountable_unit))
        yield sim.touch(c)
    c.sign_for(handler, sim.meta(unit=handler))
    yield sim.touch(c)
    c.reply("已受理,正在核实处理", sim.rules, sim.meta(unit=handler))
    yield sim.touch(c)
    yield from _verify_and_rectify(sim, c, handler)


def _verify_and_rectify(sim: Simulation, c: Complaint, handler: UUID) -> Lifecycle:
    if c.channel is Channel.GOOD_BAD_REVIEW and sim.chance(0.25):
        c.verify(False, "经核实,差评所述情况与事实不符", sim.meta(unit=handler))
        yield sim.touch(c)
        upheld = sim.chance(0.6)
        c.review_appeal(upheld, "申诉复核意见", sim.meta())
        yield sim.touch(c)
        if upheld:
            c.close("差评不实,申诉成立", sim.meta())
            yield sim.touch(c)
            return
    else:
        c.verify(True, "经核实,反映情况属实", sim.meta(unit=handler))
        yield sim.touch(c)
    if sim.chance(0.08):
        c.extend_deadline(sim.rng.randint(1, 5), "情况复杂需延期", sim.rules, sim.meta())
        yield sim.touch(c)
    while True:
        c.report_rectification("已完成整改", ["整改报告.pdf"], sim.meta(unit=handler))
        yield sim.touch(c)
        c.call_back(sim.chance(0.85), "电话回访", sim.meta())
        yield sim.touch(c)
        if c.satisfied or c.reopen_count >= 2:
            break
        c.reopen("回访不满意,重新办理", sim.meta())
        yield sim.touch(c)
    c.close("办结", sim.meta())
    yield sim.touch(c)
    if c.channel is Channel.FAULT_FINDING and c.founded:
        c.grant_reward(sim.rng.choice([200, 500, 1000]), "找茬儿有奖", sim.meta())
        yield sim.touch(c)


def task_lifecycle(sim: Simulation) -> Lifecycle:
    t = Task.register(
        sim.new_id(),
        plan_year=sim.clock.year,
        number=None,
        section="督办事项",
        title=sim.rng.choice(TASK_TITLES),
        description="",
        meta=sim.meta(),
    )
    yield sim.touch(t)
    lead = sim.rng.sample(sim.units, sim.rng.choice([1, 1, 2]))
    others = [u for u in sim.units if u not in lead]
    cooperating = sim.rng.sample(others, sim.rng.randint(0, 3))
    assigned = sim.meta()
    deadline = assigned.business_date + timedelta(days=sim.rng.randint(40, 200))
    milestone = Milestone("phase-1", "完成阶段性任务", deadline - timedelta(days=20))
    t.assign(
        lead_units=lead,
        cooperating_units=cooperating,
        cooperation_note="相关单位协同落实",
        deadline=deadline,
        milestones=[milestone],
        meta=assigned,
    )
    yield sim.touch(t)
    t.accept(lead[0], sim.meta(unit=lead[0]))
    yield sim.touch(t)
    yield from _task_work(sim, t, lead[0])


def _task_work(sim: Simulation, t: Task, lead: UUID) -> Lifecycle:
    for percent in sorted(sim.rng.sample(range(10, 100, 10), sim.rng.randint(2, 5))):
        reached = ["phase-1"] if percent >= 50 and "phase-1" not in t.milestones_reached else []
        t.report_progress(
            percent=percent,
            narrative=f"完成{percent}%",
            evidence=[],
            milestones_reached=reached,
            meta=sim.meta(unit=lead),
        )
        yield sim.touch(t)
        if sim.chance(0.1):
            t.urge("进度滞后,请加快推进", sim.meta())
            yield sim.touch(t)
        if sim.chance(0.04) and t.tier.above() is not None:
            t.escalate("协调难度大,提级调度", sim.meta())
            yield sim.touch(t)
    if sim.chance(0.1) and t.deadline is not None:
        t.request_extension(t.deadline + timedelta(days=30), "客观原因需延期", sim.meta(unit=lead))
        yield sim.touch(t)
        t.decide_extension(sim.chance(0.7), "", sim.meta())
        yield sim.touch(t)
    t.request_completion("任务已完成,申请销号", sim.meta(unit=lead))
    yield sim.touch(t)
    if sim.chance(0.15):
        t.reject_completion("佐证材料不足", sim.meta())
        yield sim.touch(t)
        t.request_completion("已补充材料", sim.meta(unit=lead))
        yield sim.touch(t)
    t.verify_completion("验收通过,予以销号", sim.meta())
    yield sim.touch(t)


def legacy_lifecycle(sim: Simulation) -> Lifecycle:
    category = sim.rng.choice(list(LegacyCategory))
    unit = sim.unit()
    meta = sim.meta()
    years = [y for y in TARGET_YEARS if y >= meta.occurred_at.year] or [TARGET_YEARS[-1]]
    issue = LegacyIssue.register(
        sim.new_id(),
        title=sim.rng.choice(LEGACY_TEXT[category]),
        category=category,
        cause="历史原因形成",
        parties=[sim.rng.choice(SURNAMES) + "某"],
        responsible_unit=unit,
        tier=Tier.TASK_FORCE,
        target_year=sim.rng.choice(years),
        baseline=meta.occurred_at < datetime(2021, 9, 30, tzinfo=meta.occurred_at.tzinfo),
        meta=meta,
    )
    yield sim.touch(issue)
    due = (sim.clock + timedelta(days=90)).date()
    issue.adopt_plan(
        "一事一策化解方案", [Milestone("m1", "完成方案论证", due)], sim.meta(unit=unit)
    )
    yield sim.touch(issue)
    if sim.chance(0.15):
        issue.escalate("需领导小组办公室协调", sim.meta())
        yield sim.touch(issue)
    if sim.chance(0.08):
        issue.suspend("涉诉待判决", sim.meta())
        yield sim.touch(issue)
        issue.resume("判决已生效", sim.meta())
        yield sim.touch(issue)
    issue.reach_milestone("m1", sim.meta(unit=unit))
    yield sim.touch(issue)
    if sim.chance(0.8):
        issue.verify_resolution("问题已化解,予以销号", sim.meta())
        yield sim.touch(issue)
        if sim.chance(0.05):
            issue.reopen("问题反弹", sim.meta())
            yield sim.touch(issue)


def interview_lifecycle(sim: Simulation) -> Lifecycle:
    cited = sim.rng.sample(sim.recent_items, min(2, len(sim.recent_items)))
    if not cited:
        return
    unit = sim.unit()
    meta = sim.meta()
    iv = Interview.schedule(
        sim.new_id(),
        unit=unit,
        interviewee="单位主要负责人",
        reason="工作推动不力,进度滞后",
        cited_items=cited,
        scheduled_for=meta.occurred_at + timedelta(days=3),
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
    iv.record_follow_up("整改情况跟踪", sim.chance(0.7), sim.meta())
    yield sim.touch(iv)
    if sim.chance(0.15) and sim.last_position > 10:
        yield from _referral(sim, unit, iv.id)


def _referral(sim: Simulation, unit: UUID, interview: UUID) -> Lifecycle:
    evidence = sim.rng.sample(range(1, sim.last_position + 1), 3)
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
    r.record_outcome(
        sim.rng.choice(["诫勉谈话", "通报批评", "不予追责"]), sim.chance(0.6), sim.meta()
    )
    yield sim.touch(r)


def assessment_lifecycle(sim: Simulation) -> Lifecycle:
    unit, kind = sim.unit(), sim.rng.choice(list(AssessmentKind))
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


SCENARIOS: list[tuple[Callable[[Simulation], Lifecycle], int]] = [
    (complaint_lifecycle, 50),
    (task_lifecycle, 15),
    (legacy_lifecycle, 15),
    (interview_lifecycle, 3),
    (assessment_lifecycle, 6),
]
