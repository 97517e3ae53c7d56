"""A plan file names collective cooperating units by kind (``cooperating_groups``), read as
the domain's kinds of unit; a kind it does not know is refused, naming the file and field."""

from __future__ import annotations

import tomllib

import pytest

from api.cli.plan import PlanError, builtin_plan, parse_plan
from domain.unit import UnitKind

PLAN = """
plan = "测试计划"
year = 2021
issued_on = 2021-04-29
issued_by = "区管委会办公室"
units = [{ name = "区管委会办公室", kind = "department" }]

[[tasks]]
number = 1
section = "一"
title = "重视诉求办理"
lead_units = ["区管委会办公室"]
cooperation_note = "各街道协同落实"
cooperating_groups = GROUPS
deadline = 2021-12-31
"""


def parsed(groups: str) -> tuple[UnitKind, ...]:
    data = tomllib.loads(PLAN.replace("GROUPS", groups))
    return parse_plan("test", data, source="test.toml").tasks[0].cooperating_groups


def test_a_plan_items_cooperating_groups_are_read_as_kinds_of_unit() -> None:
    assert parsed('["subdistrict", "stationed"]') == (UnitKind.SUBDISTRICT, UnitKind.STATIONED)
    assert parsed("[]") == ()


def test_a_plan_naming_an_unknown_kind_of_unit_as_a_group_is_refused() -> None:
    with pytest.raises(PlanError, match=r"test\.toml: tasks\[0\]\.cooperating_groups: 'streets'"):
        parsed('["streets"]')


def test_the_2021_plan_keeps_its_collective_wording_as_groups_beside_the_note() -> None:
    tasks = {t.number: t for t in builtin_plan("changxing-2021").tasks}
    streets_and_hall = (UnitKind.SUBDISTRICT, UnitKind.STATIONED)
    streets_and_departments = (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT)
    for number in (14, 15, 18):
        assert tasks[number].cooperating_groups == streets_and_hall
        assert tasks[number].cooperation_note == "各街道、驻区行政服务大厅相关单位协同落实"
    for number in (23, 24, 25):
        assert tasks[number].cooperating_groups == streets_and_departments
        assert tasks[number].cooperation_note == "各街道、区直各部门各单位协同落实"
    assert tasks[16].cooperating_groups == (UnitKind.STATIONED,)
    assert tasks[11].cooperating_groups == (UnitKind.DEPARTMENT,)
    grouped = {n for n, t in tasks.items() if t.cooperating_groups}
    assert grouped == {11, 14, 15, 16, 18, 23, 24, 25}
