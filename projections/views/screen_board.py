"""The task board's figures for the big screen (大屏), as of a business date: open tasks by
light, by escalation tier and by state, and the red and escalated ones by name.

Each task is read as it stood at the end of the day asked about (``rm_task_timeline``):
its state, deadline, progress and tier then, lit for that day as the task list lights a
task (``task_board.light_of``). Titles and lead units are the tasks' own. Missed
milestones are counted for open tasks, as of the day (``projections.views.milestones``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, func, select

from domain.escalation import Tier
from domain.task_events import TaskState
from domain.timeliness import Light, TimeRules
from projections import tables as t
from projections.current_rows import standing
from projections.views.milestones import milestones_of_tasks_in, missed_count
from projections.views.task_board import OPEN, light_of


@dataclass(frozen=True)
class BoardTask:
    """An open task the screen names: red, or escalated above the task force."""

    id: str
    plan_year: int
    number: int | None
    title: str
    lead_units: list[str]
    """The lead units' names."""
    state: TaskState
    progress: int
    deadline: date | None
    light: Light | None
    tier: Tier
    missed_milestones: int
    """Its milestones whose day passed, as of the day, without their being reached then."""


@dataclass(frozen=True)
class ScreenBoard:
    as_of: date
    by_state: dict[TaskState, int]
    """Every task registered by the day, by its state then."""
    by_light: dict[Light, int]
    """Open tasks (assigned, in progress, awaiting 销号) by their light."""
    by_tier: dict[Tier, int]
    """Open tasks by the tier handling them."""
    attention: list[BoardTask]
    """Open tasks that are red or escalated, in the plan's order."""
    missed_milestones: int = 0
    """Milestones of open tasks missed as of the day (reached late ones included)."""
    by_lead_unit: dict[str, dict[Light, int]] = field(default_factory=dict)
    """Open tasks by their light, for each lead unit (its id): a task led by two counts
    for both (the 督办通报's figures by unit)."""

    @property
    def open(self) -> int:
        return sum(n for state, n in self.by_state.items() if state.value in OPEN)


def screen_board(conn: Connection, rules: TimeRules, as_of: date) -> ScreenBoard:
    timeline, tasks = standing(conn, t.task_timeline, as_of), t.tasks
    by_state = dict.fromkeys(TaskState, 0)
    for state, count in conn.execute(
        select(timeline.c.state, func.count()).group_by(timeline.c.state)
    ):
        by_state[TaskState(state)] = int(count)
    # only the open tasks are read row by row (a few hundred, of tens of thousands)
    rows = conn.execute(
        select(
            timeline.c.task_id,
            timeline.c.state,
            timeline.c.deadline,
            timeline.c.assigned_on,
            timeline.c.progress,
            timeline.c.tier,
            tasks.c.plan_year,
            tasks.c.number,
            tasks.c.title,
            tasks.c.lead_units,
        )
        .join_from(timeline, tasks, tasks.c.id == timeline.c.task_id)
        .where(timeline.c.state.in_(OPEN))
        .order_by(tasks.c.plan_year, tasks.c.number, tasks.c.title, tasks.c.id)
    ).all()
    open_ids = select(timeline.c.task_id).where(timeline.c.state.in_(OPEN)).subquery()
    milestones = milestones_of_tasks_in(conn, open_ids)
    missed_total = 0
    by_light = dict.fromkeys(Light, 0)
    by_tier = dict.fromkeys(Tier, 0)
    named: list[BoardTask] = []
    by_unit: dict[str, dict[Light, int]] = defaultdict(lambda: dict.fromkeys(Light, 0))
    for r in rows:
        state, tier = TaskState(r.state), Tier(r.tier)
        by_tier[tier] += 1
        light = light_of(
            rules,
            state=r.state,
            assigned_on=r.assigned_on,
            deadline=r.deadline,
            progress=r.progress,
            today=as_of,
        )
        if light is not None:
            by_light[light] += 1
            for unit in r.lead_units:
                by_unit[unit][light] += 1
        missed = missed_count(rules, milestones.get(r.task_id, ()), state=r.state, today=as_of)
        missed_total += missed
        if light is Light.RED or tier is not Tier.TASK_FORCE:
            lead = list(r.lead_units)  # their ids, named below
            named.append(
                BoardTask(
                    r.task_id,
                    r.plan_year,
                    r.number,
                    r.title,
                    lead,
                    state,
                    r.progress,
                    r.deadline,
                    light,
                    tier,
                    missed,
                )
            )
    names = _unit_names(conn, {u for card in named for u in card.lead_units})
    attention = [
        replace(card, lead_units=[names.get(u, u) for u in card.lead_units]) for card in named
    ]
    return ScreenBoard(as_of, by_state, by_light, by_tier, attention, missed_total, dict(by_unit))


def _unit_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = conn.execute(select(t.units.c.id, t.units.c.name).where(t.units.c.id.in_(ids)))
    return {str(unit_id): str(name) for unit_id, name in rows}
