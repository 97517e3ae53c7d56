"""Tasks' dated milestones (节点) as of a day: each one's light and whether it is missed.

A milestone is missed once its day has passed and it was not reached by then
(``TimeRules.milestone_missed``): one reached late stays missed. Its light is a task's
light with the milestone's day as the deadline (``TimeRules.milestone_light``), while the
task is open and the milestone not reached; none after that, as a task has none after 销号.
The stored rows say only what was assigned and when each was reached; the rest is worked
out here for the day asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, Subquery, select

from domain.timeliness import Light, TimeRules
from projections import tables as t
from projections.views.task_board import OPEN


@dataclass(frozen=True)
class PlanMilestone:
    """One dated milestone of a task, as assigned, and the day a report reached it."""

    task_id: str
    key: str
    title: str
    due: date
    reached_on: date | None


def milestones_of(conn: Connection, task_ids: Iterable[str]) -> dict[str, list[PlanMilestone]]:
    """The milestones of each task named, in the plan's order (none: an empty list)."""
    wanted = list(dict.fromkeys(task_ids))
    found: dict[str, list[PlanMilestone]] = {task_id: [] for task_id in wanted}
    if wanted:
        m = t.task_milestones
        _collect(conn, select(m).where(m.c.task_id.in_(wanted)), found)
    return found


def milestones_of_tasks_in(conn: Connection, tasks: Subquery) -> dict[str, list[PlanMilestone]]:
    """The milestones of the tasks whose ids the subquery's ``task_id`` column gives."""
    m = t.task_milestones
    found: dict[str, list[PlanMilestone]] = {}
    _collect(conn, select(m).join(tasks, tasks.c.task_id == m.c.task_id), found)
    return found


def _collect(conn: Connection, query: Select[Any], into: dict[str, list[PlanMilestone]]) -> None:
    m = t.task_milestones
    rows = conn.execute(query.order_by(m.c.task_id, m.c.ordinal))
    for r in rows:
        milestone = PlanMilestone(r.task_id, r.key, r.title, r.due, r.reached_on)
        into.setdefault(r.task_id, []).append(milestone)


def milestone_light_of(
    rules: TimeRules,
    milestone: PlanMilestone,
    *,
    state: str,
    assigned_on: date | None,
    today: date,
) -> Light | None:
    """The milestone's light on ``today``: none unless its task is open and it is not
    reached; otherwise lit from the task's assignment to the milestone's day."""
    if state not in OPEN:
        return None
    return rules.milestone_light(
        start=assigned_on or milestone.due,
        due=milestone.due,
        today=today,
        reached_on=milestone.reached_on,
    )


def is_missed(
    rules: TimeRules, milestone: PlanMilestone, *, today: date, closed_on: date | None = None
) -> bool:
    """Whether the milestone is missed as of ``today`` (its task closed on ``closed_on``)."""
    return rules.milestone_missed(
        due=milestone.due, today=today, reached_on=milestone.reached_on, closed_on=closed_on
    )


def missed_count(
    rules: TimeRules, milestones: Iterable[PlanMilestone], *, state: str, today: date
) -> int:
    """How many of an open task's milestones are missed as of ``today`` (the board counts
    open work only, as it lights open work only: 0 for a task not open)."""
    if state not in OPEN:
        return 0
    return sum(is_missed(rules, m, today=today) for m in milestones)
