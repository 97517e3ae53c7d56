"""A task's dated milestones (节点) through GraphQL: ``Task.milestones { key title due
reachedOn light missed }`` lit as of the service's today, and ``taskBoard.missedMilestones``
(and each named task's) as of a date; the seeded 2021 plan's milestones as the document
dates them.

The service's clock stands at Wed 2021-11-24, noon in Beijing. November 2021 has no holiday.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan
from domain.calendar import CHINA_TIME
from domain.clock import ShiftedClock
from domain.escalation import Milestone
from domain.unit import UnitKind
from tests.api.conftest import VIEWER, LiveServer, start_server, stop_server
from tests.api.helpers import caught_up, on
from tests.conftest import settings_for

TODAY = datetime(2021, 11, 24, 12, 0, tzinfo=CHINA_TIME)
TASKS = """{ tasks(first: 100) { edges { node { number
    milestones { key title due reachedOn light missed } } } } }"""
BOARD = """query($asOf: Date){ taskBoard(asOf: $asOf) { missedMilestones
    attention { number missedMilestones } } }"""


def d(month: int, day: int) -> date:
    return date(2021, month, day)


@pytest.fixture
def live(sqlite_url: str) -> Iterator[LiveServer]:
    settings = replace(settings_for(sqlite_url), clock=ShiftedClock(TODAY, time.time()))
    server = start_server(settings)
    yield server
    stop_server(server)


def tell(live: LiveServer) -> None:
    """Task 1, assigned Mon 11-01 and escalated on 11-02: m1 due 11-05 reached 11-04, m2 due
    11-19 reached today (late), m3 due Mon 11-22 not reached, m4 due Fri 11-26, m5 due 12-31."""
    ledger = live.services.ledger
    unit = ledger.register_unit(on(d(1, 4)), name="区营商环境局", kind=UnitKind.DEPARTMENT)
    task = ledger.register_task(on(d(11, 1)), plan_year=2021, number=1, title="政务服务驿站")
    due = {"m1": d(11, 5), "m2": d(11, 19), "m3": d(11, 22), "m4": d(11, 26), "m5": d(12, 31)}
    ledger.assign_task(
        on(d(11, 1)),
        task.item_id,
        lead_units=[unit.item_id],
        deadline=d(12, 31),
        milestones=[Milestone(key, f"节点{key}", day) for key, day in due.items()],
    )
    ledger.accept_task(on(d(11, 1)), task.item_id, unit=unit.item_id)
    ledger.escalate_task(on(d(11, 2)), task.item_id, reason="需协调")
    for day, key in ((d(11, 4), "m1"), (d(11, 24), "m2")):
        ledger.report_progress(
            on(day), task.item_id, percent=40, narrative="按节点推进", milestones_reached=[key]
        )


def milestones_by_number(live: LiveServer, actor: str = "office:clerk") -> dict[int, Any]:
    edges = live.gql(TASKS, actor=actor)["tasks"]["edges"]
    return {e["node"]["number"]: e["node"]["milestones"] for e in edges}


def test_a_tasks_milestones_show_their_day_the_day_reached_their_light_and_whether_missed(
    live: LiveServer,
) -> None:
    tell(live)
    caught_up(live)
    assert milestones_by_number(live)[1] == [
        {"key": "m1", "title": "节点m1", "due": "2021-11-05", "reachedOn": "2021-11-04",
         "light": None, "missed": False},
        {"key": "m2", "title": "节点m2", "due": "2021-11-19", "reachedOn": "2021-11-24",
         "light": None, "missed": True},  # reached late
        {"key": "m3", "title": "节点m3", "due": "2021-11-22", "reachedOn": None,
         "light": "RED", "missed": True},
        {"key": "m4", "title": "节点m4", "due": "2021-11-26", "reachedOn": None,
         "light": "YELLOW", "missed": False},  # 2 working days left
        {"key": "m5", "title": "节点m5", "due": "2021-12-31", "reachedOn": None,
         "light": "GREEN", "missed": False},
    ]  # fmt: skip


def test_the_board_counts_missed_milestones_as_of_the_date_asked_for(live: LiveServer) -> None:
    tell(live)
    caught_up(live, VIEWER)

    def board(as_of: str) -> tuple[int, list[tuple[int, int]]]:
        found = live.gql(BOARD, {"asOf": as_of}, actor=VIEWER)["taskBoard"]
        named = [(c["number"], c["missedMilestones"]) for c in found["attention"]]
        return found["missedMilestones"], named

    assert board("2021-11-19") == (0, [(1, 0)])
    assert board("2021-11-22") == (1, [(1, 1)])  # m2
    assert board("2021-11-23") == (2, [(1, 2)])  # m2, m3
    assert board("2021-11-24") == (2, [(1, 2)])  # m2 reached late: still missed


def test_the_seeded_plan_dates_its_milestones_as_the_document_does(live: LiveServer) -> None:
    seed_plan(live.services.ledger, builtin_plan("changxing-2021"))
    caught_up(live, VIEWER)
    found = milestones_by_number(live)
    dated = {
        number: [(m["title"], m["due"], m["reachedOn"], m["light"], m["missed"]) for m in found]
        for number, found in found.items()
        if found
    }
    assert dated == {
        14: [("年度差评整改率达到100%", "2021-12-31", None, "GREEN", False)],
        17: [
            ("7月底前完成2个试点村的服务驿站建设", "2021-07-31", None, "RED", True),
            ("10月底前完成所有村(社区)服务驿站建设", "2021-10-31", None, "RED", True),
        ],
        18: [("6月中旬前完成统一服装和胸牌的制作", "2021-06-15", None, "RED", True)],
        22: [
            ("2021年底前,历史遗留问题本着由易至难的顺序,大幅度减少总量,不增新量",
             "2021-12-31", None, "GREEN", False),
            ("2022年底前,取得阶段性重大进展", "2022-12-31", None, "GREEN", False),
            ("2025年底前,历史遗留问题得到全面解决", "2025-12-31", None, "GREEN", False),
        ],
        23: [
            ("7月份前,区、街道要树立起1—2块关于优化营商环境的宣传标语", "2021-06-30", None,
             "RED", True),
        ],
    }  # fmt: skip
    board = live.gql(BOARD, {"asOf": "2021-11-24"}, actor=VIEWER)["taskBoard"]
    assert board["missedMilestones"] == 4  # 17 twice, 18 and 23


def test_a_page_of_tasks_loads_its_milestones_in_one_query_whatever_its_size(
    live: LiveServer,
) -> None:
    seed_plan(live.services.ledger, builtin_plan("changxing-2021"))
    caught_up(live)
    query = "query($n: Int){ tasks(first: $n) { edges { node { milestones { key light } } } } }"
    counts = []
    for size in (1, 26):
        with live.count_queries() as counter:
            assert len(live.gql(query, {"n": size})["tasks"]["edges"]) == size
        counts.append(counter.count)
    assert counts[0] == counts[1]
