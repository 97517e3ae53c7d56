"""The lifecycles of ``ledger generate`` for the work the office supervises: tasks of a
year's plan, and legacy issues."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from api.cli.scenario_text import LEGACY_TEXT, SURNAMES, TASK_TITLES
from api.cli.simulation import Lifecycle, Simulation
from domain.escalation import Milestone, Tier
from domain.legacy_issue import TARGET_YEARS, LegacyCategory, LegacyIssue, target_year_allowed
from domain.task import Task


def task_lifecycle(sim: Simulation, deadline: date | None = None) -> Lifecycle:
    """A task of this year's plan, from its registration to 销号 (its deadline 40 to 200
    days after its assignment, unless given)."""
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
    if deadline is None:
        deadline = assigned.business_date + timedelta(days=sim.rng.randint(40, 200))
    lead_time = min(20, (deadline - assigned.business_date).days // 2)
    milestone = Milestone("phase-1", "完成阶段性任务", deadline - timedelta(days=lead_time))
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


def legacy_lifecycle(sim: Simulation, resolve: bool | None = None) -> Lifecycle:
    """A problem from its registration to 销号 for good when ``resolve``, left open when not;
    unless given, resolved by chance, and by chance rebounding."""
    category = sim.rng.choice(list(LegacyCategory))
    unit = sim.unit()
    meta = sim.meta()
    this_year = meta.business_date.year
    years = [y for y in TARGET_YEARS if target_year_allowed(y, this_year)] or [this_year]
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
    if sim.chance(0.8) if resolve is None else resolve:
        issue.verify_resolution("问题已化解,予以销号", sim.meta())
        yield sim.touch(issue)
        if resolve is None and sim.chance(0.05):
            issue.reopen("问题反弹", sim.meta())
            yield sim.touch(issue)
