"""The demo as a client of the service meets it: every view of the big screen has figures to
show, and whoever reads the audit trail sees which events were made up.

One server, on a ledger holding the demo recorded as of the suite's today, serves the
module's tests (they only read)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from api.cli.demo import DEMO_ACTOR, DemoSummary, record_demo
from tests.api.conftest import LiveServer, start_server, stop_server
from tests.conftest import settings_for

VIEWER = "viewer:screen"
INSPECTOR = "inspector:inspector-li"
MADE_UP = """query($after: String){ events(filter: {actorId: "demo-generator"}, first: 100,
    after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { actor { id role unit } requestId imported backdated } } }"""
VIEWS = """query($period: String!){
    supervisionOverview { channels { channel received open overdue rectified }
        league { rank } resultsApplied { rank } monthly { month received } }
    legacyIssueTotals { total resolved byCategory { key } }
    taskBoard { byLight { light count } }
    oversightTotals { interviews referrals }
    unitScorecards(period: $period) { name figures } }"""


@dataclass
class Demoed:
    live: LiveServer
    summary: DemoSummary
    position: int

    def read(self, query: str, actor: str, **variables: Any) -> Any:
        return self.live.gql(query, variables, actor=actor, position=self.position)


@pytest.fixture(scope="module")
def demoed(tmp_path_factory: pytest.TempPathFactory, prepared_ledger: Path) -> Iterator[Demoed]:
    home = tmp_path_factory.mktemp("demo")
    for made in prepared_ledger.parent.glob(f"{prepared_ledger.name}*"):
        shutil.copyfile(made, home / made.name)
    live = start_server(settings_for(f"sqlite:///{home / prepared_ledger.name}"))
    try:
        ledger = live.services.ledger
        summary = record_demo(ledger)
        yield Demoed(live, summary, ledger.recorder.max_notification_id() or 0)
    finally:
        stop_server(live)


def test_every_made_up_event_reads_as_the_demo_s_in_the_audit_trail(demoed: Demoed) -> None:
    nodes, after = [], None
    while True:
        page = demoed.read(MADE_UP, INSPECTOR, after=after)["events"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == len(nodes) == demoed.summary.generated
    assert {n["actor"]["id"] for n in nodes} == {DEMO_ACTOR}
    assert {n["actor"]["role"] for n in nodes} == {"OFFICE", "UNIT"}
    assert all(n["requestId"].startswith(demoed.summary.request_prefix) for n in nodes)
    assert all(n["imported"] for n in nodes)


def test_every_view_of_the_big_screen_has_figures_from_the_demo(demoed: Demoed) -> None:
    today = demoed.summary.today
    busy_year = today - timedelta(days=45)  # the middle of the stretch: a year with activity
    views = demoed.read(VIEWS, VIEWER, period=str(busy_year.year))
    overview = views["supervisionOverview"]
    for channel in overview["channels"]:
        assert channel["received"] and channel["open"] and channel["overdue"], channel
    assert len(overview["league"]) == len(overview["resultsApplied"]) == 10
    assert overview["monthly"][-1]["month"] == f"{today:%Y-%m}"
    lights = {row["light"]: row["count"] for row in views["taskBoard"]["byLight"]}
    assert lights["GREEN"] and lights["YELLOW"] and lights["RED"] > 26  # the plan's 26, and more
    legacy = views["legacyIssueTotals"]
    assert legacy["total"] == 6 and legacy["resolved"] >= 3 and legacy["byCategory"]
    assert views["oversightTotals"] == {"interviews": 2, "referrals": 1}
    assert any(card["figures"] for card in views["unitScorecards"])
