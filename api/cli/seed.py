"""Seed a work plan into the ledger: its units, legacy targets and items.

Every write carries an idempotency key derived from the plan and the step, so
seeding again (or resuming an interrupted seed) writes nothing twice. Keys belong
to the principal that sends them, and the seed's principal (``ledger-seed``) is
no token's (a token's actor id ends in ``#`` and the start of the token's id), so
no one else's key can stand in for a step of the plan. The whole plan is checked
against the domain's rules, and every id the plan gives an item is checked to be
free or the plan's own, before the first write: a plan that cannot be seeded
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from uuid import NAMESPACE_URL, UUID, uuid5

from api.cli.plan import Plan, PlanError, PlanTask
from domain.calendar import CHINA_TIME
from domain.errors import LedgerError
from domain.ids import TaskId
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.legacy_target import legacy_target_id_for
from domain.meta import Actor, EventMeta, Role
from domain.task import Task
from domain.unit import unit_id_for

SEED_ACTOR_ID = "ledger-seed"


@dataclass
class SeedReport:
    """How many steps of the plan were written now, and how many were there already."""

    written: int = 0
    already_there: int = 0

    def count(self, result: Written) -> None:
        if result.replayed:
            self.already_there += 1
        else:
            self.written += 1


def task_id_for(plan: Plan, number: int) -> TaskId:
    return TaskId(uuid5(NAMESPACE_URL, f"ledger:plan:{plan.key}:task:{number}"))


def imported_task_id_for(plan_year: int, number: int) -> TaskId:
    """The id of item ``number`` of the plan of ``plan_year`` first recorded by ``ledger import
    plan`` from a row without a free 系统编号 (the seed's ids are its plan's, by key)."""
    return TaskId(uuid5(NAMESPACE_URL, f"ledger:plan-year:{plan_year}:task:{number}"))


def seed_plan(ledger: Ledger, plan: Plan) -> SeedReport:
    """Write ``plan`` into ``ledger`` unless it is there already; all or nothing checked."""
    check_plan(plan, lambda name: ledger.exists(unit_id_for(name)))
    issuer = Actor(SEED_ACTOR_ID, Role.OFFICE, unit_id_for(plan.issued_by))
    _check_ids_free(ledger, plan, issuer)
    report = SeedReport()
    for name, kind in plan.units:
        if ledger.exists(unit_id_for(name)):
            report.already_there += 1
        else:
            report.count(
                ledger.register_unit(_ctx(plan, issuer, f"unit:{name}"), name=name, kind=kind)
            )
    for target in plan.targets:
        report.count(
            ledger.set_legacy_target(
                _ctx(plan, issuer, f"target:{target.year}"),
                year=target.year,
                goal=target.goal,
                due=target.due,
                required_resolved_percent=target.required_resolved_percent,
            )
        )
    for task in plan.tasks:
        _seed_task(ledger, plan, issuer, task, report)
    return report


def check_plan(plan: Plan, registered: Callable[[str], bool]) -> None:
    """Every named unit is in the plan or ``registered``; every item passes the domain's rules."""
    known = {name for name, _ in plan.units}
    if plan.issued_by not in known and not registered(plan.issued_by):
        raise PlanError(f"{plan.key}: issued_by: no unit named {plan.issued_by!r}")
    for task in plan.tasks:
        for name in (*task.lead_units, *task.cooperating_units):
            if name not in known and not registered(name):
                raise PlanError(f"{plan.key}: item {task.number}: no unit named {name!r}")
        _rehearse(plan, task)


def _check_ids_free(ledger: Ledger, plan: Plan, issuer: Actor) -> None:
    """Every item the plan makes under an id of its own (a legacy target's year, an
    item's number) is not in the ledger yet, or was written by seeding this plan."""
    steps = [
        (
            legacy_target_id_for(t.year),
            Ledger.set_legacy_target,
            f"target:{t.year}",
            f"target {t.year}",
        )
        for t in plan.targets
    ] + [
        (
            task_id_for(plan, t.number),
            Ledger.register_task,
            f"task:{t.number}:register",
            f"item {t.number}",
        )
        for t in plan.tasks
    ]
    for item_id, command, step, what in steps:
        if ledger.exists(item_id) and ledger.answered(command, _ctx(plan, issuer, step)) is None:
            raise PlanError(
                f"{plan.key}: {what}: the ledger already holds {item_id}, "
                "written by someone other than this plan's seeding"
            )


def _rehearse(plan: Plan, task: PlanTask) -> None:
    """Run the item's commands on a throw-away aggregate to surface any refusal early."""
    meta = EventMeta(
        Actor(SEED_ACTOR_ID, Role.OFFICE),
        _issued_at(plan),
        _issued_at(plan),
        "rehearsal",
        imported=True,
    )
    try:
        draft = draft_plan_task(task_id_for(plan, task.number), plan.year, task, meta)
        assign_plan_task(draft, task, unit_id_for, meta)
    except LedgerError as error:
        raise PlanError(f"{plan.key}: item {task.number}: {error}") from None


def draft_plan_task(task_id: UUID, plan_year: int, task: PlanTask, meta: EventMeta) -> Task:
    """Item ``task`` of a plan of ``plan_year`` registered (not saved): as the seed rehearses
    it, and as ``ledger import plan`` records a new row."""
    return Task.register(
        task_id,
        plan_year=plan_year,
        number=task.number,
        section=task.section,
        title=task.title,
        description=task.description,
        meta=meta,
    )


def assign_plan_task(
    draft: Task, task: PlanTask, unit_id: Callable[[str], UUID], meta: EventMeta
) -> None:
    """``draft`` assigned as item ``task`` says (its units' names made ids by ``unit_id``)."""
    draft.assign(
        lead_units=[unit_id(n) for n in task.lead_units],
        cooperating_units=[unit_id(n) for n in task.cooperating_units],
        cooperation_note=task.cooperation_note,
        deadline=task.deadline,
        milestones=task.milestones,
        meta=meta,
        cooperating_groups=task.cooperating_groups,
    )


def _seed_task(
    ledger: Ledger, plan: Plan, issuer: Actor, task: PlanTask, report: SeedReport
) -> None:
    task_id = task_id_for(plan, task.number)
    report.count(
        ledger.register_task(
            _ctx(plan, issuer, f"task:{task.number}:register"),
            task_id=task_id,
            plan_year=plan.year,
            number=task.number,
            section=task.section,
            title=task.title,
            description=task.description,
        )
    )
    report.count(
        ledger.assign_task(
            _ctx(plan, issuer, f"task:{task.number}:assign"),
            task_id,
            lead_units=[unit_id_for(n) for n in task.lead_units],
            cooperating_units=[unit_id_for(n) for n in task.cooperating_units],
            cooperation_note=task.cooperation_note,
            deadline=task.deadline,
            milestones=task.milestones,
            cooperating_groups=task.cooperating_groups,
        )
    )


def _ctx(plan: Plan, issuer: Actor, step: str) -> CommandContext:
    return CommandContext(
        actor=issuer,
        occurred_at=_issued_at(plan),
        request_id=f"seed:{plan.key}",
        idempotency_key=f"seed:{plan.key}:{step}",
        imported=True,
    )


def _issued_at(plan: Plan) -> datetime:
    return datetime.combine(plan.issued_on, time(9, 0), tzinfo=CHINA_TIME)
