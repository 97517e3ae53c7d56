"""Collective cooperating units (issue 15 point 9): the plan's 各街道, 区直各部门各单位 and
驻区行政服务大厅相关单位 are kept as cooperating groups, kinds of unit, so every unit of the kind
sees the item and reports progress on it, through GraphQL, as a unit's token; a unit
registered after the assignment too. Once on SQLite and once on PostgreSQL.

The world: the 2021 plan seeded (its eight departments and two 街道), then 复州湾街道 and a
stationed tax office registered, item 14 accepted by its lead, and one task of the tests' own
for the subdistricts that names one department explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan, task_id_for
from domain.unit import UnitKind, unit_id_for
from tests.api.conftest import LiveServer, server_on
from tests.api.helpers import caught_up, gid, mutate, on

PLAN = builtin_plan("changxing-2021")
NUMBERS = "{ tasks(first: 100) { totalCount edges { node { number } } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
HISTORY = "query($id: ID!) { history(itemId: $id) { itemId version } }"
EVENTS = """query($item: ID!) { events(first: 50, filter: {itemId: $item}) {
    totalCount edges { node { type } } } }"""
OWN_TASK = 99
"""The number of the tests' own task: subdistricts as a group, 区住建局 by name."""


@dataclass
class World:
    live: LiveServer

    def staff(self, unit: str) -> str:
        """The actor of a token of ``unit``'s staff."""
        return f"unit:staff:{unit_id_for(unit)}"

    def numbers(self, unit: str) -> set[int]:
        edges = self.live.gql(NUMBERS, actor=self.staff(unit))["tasks"]["edges"]
        return {edge["node"]["number"] for edge in edges}

    def report(self, unit: str, number: int) -> dict[str, Any]:
        given = {"taskId": gid("Task", task(number)), "percent": 30, "narrative": "已部署落实"}
        return mutate(self.live, "reportProgress", given, actor=self.staff(unit))


def task(number: int) -> str:
    return str(task_id_for(PLAN, number))


def _world(live: LiveServer) -> World:
    ledger = live.services.ledger
    seed_plan(ledger, PLAN)
    day = on(date(2021, 5, 6))
    ledger.register_unit(day, name="复州湾街道", kind=UnitKind.SUBDISTRICT)
    ledger.register_unit(day, name="区税务局", kind=UnitKind.STATIONED)
    ledger.accept_task(day, task_id_for(PLAN, 14), unit=unit_id_for("区管委会办公室"))
    own = ledger.register_task(
        day, task_id=task_id_for(PLAN, OWN_TASK), plan_year=2021, number=OWN_TASK, title="街道窗口"
    )
    ledger.assign_task(
        day,
        own.item_id,
        lead_units=[unit_id_for("区管委会办公室")],
        cooperating_units=[unit_id_for("区住建局")],
        cooperating_groups=[UnitKind.SUBDISTRICT],
        deadline=date(2021, 12, 31),
    )
    ledger.accept_task(day, own.item_id, unit=unit_id_for("区管委会办公室"))
    world = World(live)
    for unit in ("长兴岛街道", "复州湾街道", "区税务局", "区住建局"):
        live.token(world.staff(unit))
    caught_up(live)
    return world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with server_on(request.param, tmp_path_factory.mktemp("collective")) as live:
        yield _world(live)


def test_a_token_of_changxing_island_subdistrict_lists_items_14_15_18_23_24_and_25(
    world: World,
) -> None:
    # 17 names it one by one; 99 is the tests' own task for every 街道
    assert world.numbers("长兴岛街道") == {14, 15, 17, 18, 23, 24, 25, OWN_TASK}
    found = world.live.gql(NUMBERS, actor=world.staff("长兴岛街道"))["tasks"]["totalCount"]
    assert found == 8


def test_the_seeded_plan_gives_each_collective_wording_its_groups(world: World) -> None:
    query = "{ tasks(first: 100) { edges { node { number cooperatingGroups { kind label } } } } }"
    edges = world.live.gql(query)["tasks"]["edges"]
    groups = {
        e["node"]["number"]: [(g["kind"], g["label"]) for g in e["node"]["cooperatingGroups"]]
        for e in edges
        if e["node"]["cooperatingGroups"] and e["node"]["number"] != OWN_TASK
    }
    streets, departments = ("SUBDISTRICT", "各街道"), ("DEPARTMENT", "区直各部门各单位")
    hall = ("STATIONED", "各驻区单位")
    assert groups == {
        11: [departments],  # 区直单位协同落实
        14: [streets, hall],  # 各街道、驻区行政服务大厅相关单位协同落实
        15: [streets, hall],
        16: [hall],  # 驻区行政服务大厅相关单位协同落实
        18: [streets, hall],
        23: [streets, departments],  # 各街道、区直各部门各单位协同落实
        24: [streets, departments],
        25: [streets, departments],
    }


def test_a_unit_registered_after_the_assignment_sees_the_items_of_its_kind(world: World) -> None:
    assert world.numbers("复州湾街道") == {14, 15, 18, 23, 24, 25, OWN_TASK}
    assert world.numbers("区税务局") == {14, 15, 16, 18}


def test_a_department_sees_the_items_of_every_department_and_not_the_subdistricts_ones(
    world: World,
) -> None:
    seen = world.numbers("区住建局")
    assert {11, 23, 24, 25, OWN_TASK} <= seen
    assert not {14, 15, 16, 18} & seen


def test_a_subdistrict_reports_progress_on_item_14(world: World) -> None:
    for unit in ("长兴岛街道", "复州湾街道"):
        assert world.report(unit, 14)["__typename"] == "MutationSuccess"


def test_a_department_cannot_report_on_a_subdistricts_item_unless_named_on_it(
    world: World,
) -> None:
    refused = world.report("区住建局", 14)
    assert refused["__typename"] == "NotFound"  # as for an item that does not exist
    assert world.report("区住建局", OWN_TASK)["__typename"] == "MutationSuccess"
    assert world.report("长兴岛街道", OWN_TASK)["__typename"] == "MutationSuccess"


def test_a_group_lets_a_unit_cooperate_not_lead(world: World) -> None:
    given = {"taskId": gid("Task", task(14)), "summary": "已完成"}
    refused = mutate(world.live, "requestCompletion", given, actor=world.staff("长兴岛街道"))
    assert refused["__typename"] == "Forbidden"


@pytest.mark.parametrize("query", [NODE, HISTORY], ids=["node", "history"])
def test_a_subdistrict_reads_a_group_item_by_id_and_a_department_does_not(
    world: World, query: str
) -> None:
    item = gid("Task", task(14))
    field = "node" if query is NODE else "history"
    assert world.live.gql(query, {"id": item}, actor=world.staff("复州湾街道"))[field]
    assert not world.live.gql(query, {"id": item}, actor=world.staff("区住建局"))[field]


def test_a_subdistricts_audit_trail_holds_the_events_of_a_group_item(world: World) -> None:
    item = gid("Task", task(25))
    seen = world.live.gql(EVENTS, {"item": item}, actor=world.staff("复州湾街道"))["events"]
    assert [e["node"]["type"] for e in seen["edges"]][:2] == ["Registered", "Assigned"]
    hidden = world.live.gql(EVENTS, {"item": item}, actor=world.staff("区税务局"))["events"]
    assert hidden["totalCount"] == 0
