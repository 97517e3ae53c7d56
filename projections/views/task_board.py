"""The task board (督办事项看板): every task with its light, progress and deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, RowMapping, select

from domain.escalation import Tier
from domain.task_events import TaskState
from domain.timeliness import Light, TimeRules
from projections import tables as t

OPEN = (TaskState.ASSIGNED.value, TaskState.IN_PROGRESS.value, TaskState.COMPLETION_REQUESTED.value)


@dataclass(frozen=True)
class TaskCard:
    id: str
    version: int
    plan_year: int
    number: int | None
    title: str
    lead_units: list[str]
    cooperating_units: list[str]
    state: str
    progress: int
    deadline: date | None
    closed_on: date | None
    tier: str
    urge_count: int
    light: Light | None

    @property
    def overdue(self) -> bool:
        return self.light is Light.RED

    @property
    def escalated(self) -> bool:
        return self.tier != Tier.TASK_FORCE.value


@dataclass(frozen=True)
class TaskBoard:
    today: date
    tasks: list[TaskCard]

    @property
    def overdue(self) -> list[TaskCard]:
        return [c for c in self.tasks if c.overdue]

    @property
    def escalated(self) -> list[TaskCard]:
        return [c for c in self.tasks if c.escalated and c.state in OPEN]


def task_board(conn: Connection, rules: TimeRules, today: date) -> TaskBoard:
    rows = conn.execute(
        select(t.tasks).order_by(
            t.tasks.c.plan_year, t.tasks.c.number, t.tasks.c.title, t.tasks.c.id
        )
    )
    return TaskBoard(today, [_card(row._mapping, rules, today) for row in rows])


def light_of(
    rules: TimeRules,
    *,
    state: str,
    assigned_on: date | None,
    deadline: date | None,
    progress: int,
    today: date,
) -> Light | None:
    """The light of open work; None before assignment and after 销号."""
    if state not in OPEN or deadline is None:
        return None
    return rules.light(
        start=assigned_on or deadline, deadline=deadline, today=today, progress=progress
    )


def _card(r: RowMapping, rules: TimeRules, today: date) -> TaskCard:
    return TaskCard(
        id=r["id"],
        version=r["version"],
        plan_year=r["plan_year"],
        number=r["number"],
        title=r["title"],
        lead_units=r["lead_units"],
        cooperating_units=r["cooperating_units"],
        state=r["state"],
        progress=r["progress"],
        deadline=r["deadline"],
        closed_on=r["closed_on"],
        tier=r["tier"],
        urge_count=r["urge_count"],
        light=light_of(
            rules,
            state=r["state"],
            assigned_on=r["assigned_on"],
            deadline=r["deadline"],
            progress=r["progress"],
            today=today,
        ),
    )
