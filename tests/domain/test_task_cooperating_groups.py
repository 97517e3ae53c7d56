"""A task's cooperating groups (各街道, 区直各部门各单位): kinds of unit that cooperate as a whole,
recorded in the assignment beside the units named one by one."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ValidationError
from domain.task import Task
from domain.unit import UnitKind
from tests.domain.builders import HELPER, LEAD, Clock, registered_task


def assign(task: Task, clock: Clock, groups: list[UnitKind]) -> None:
    task.assign(
        lead_units=[LEAD],
        cooperating_units=[HELPER],
        cooperation_note="各街道、区直各部门各单位协同落实",
        deadline=date(2021, 12, 31),
        milestones=(),
        meta=clock.next(),
        cooperating_groups=groups,
    )


def test_an_assignment_records_its_cooperating_groups_beside_the_units_it_names(
    clock: Clock,
) -> None:
    task = registered_task(clock)
    assign(task, clock, [UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT])
    assert task.cooperating_groups == (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT)
    assert task.cooperating_units == (HELPER,)
    assert task.cooperation_note == "各街道、区直各部门各单位协同落实"
    (assigned,) = [e for e in task.collect_events() if isinstance(e, Task.Assigned)]
    assert assigned.cooperating_groups == [UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT]


def test_a_task_assigned_without_groups_has_none(clock: Clock) -> None:
    task = registered_task(clock)
    assert task.cooperating_groups == ()
    assign(task, clock, [])
    assert task.cooperating_groups == ()


def test_an_assignment_naming_a_kind_of_unit_twice_is_refused(clock: Clock) -> None:
    task = registered_task(clock)
    with pytest.raises(ValidationError) as refused:
        assign(task, clock, [UnitKind.SUBDISTRICT, UnitKind.SUBDISTRICT])
    assert refused.value.field == "cooperating_groups"
    assert task.cooperating_groups == ()
