"""督导考核奖惩 through GraphQL: units' scores by the policy's formula (``unitScores``), a
quarter's publication (``publishQuarterScores``) with the formula's version and weights,
shown in the league (``quarterScores``, ``supervisionOverview.publishedScores``), and the
same quarter scored and published again when the formula changes.

The service's clock stands at Mon 2021-07-05, noon in Beijing: 2021-Q2 has ended.
区住建局 (a): one task closed on time, one open past its deadline at 06-30; interviewed
once; rated 90 and 80 by two enterprises. 区市场监管局 (b): one case closed late.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import open_ledger
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.clock import ShiftedClock
from domain.enterprise_evaluation import CriterionScore
from domain.score_formula import ScoreFormula
from domain.unit import UnitKind
from tests.api.conftest import VIEWER, LiveServer, start_server, stop_server
from tests.api.helpers import caught_up, mutate, on
from tests.api.mutation_builders import unit_actor
from tests.conftest import settings_for
from tests.integration.builders import office, task_in_progress, unit
from tests.projections.test_undecodable_rows import slip_in

TODAY = datetime(2021, 7, 5, 12, 0, tzinfo=CHINA_TIME)
ENTRIES = "entries { unit { name } score rank enterpriseRating { mean evaluations } }"
SCORES = """query($period: String!, $version: String) {
    unitScores(period: $period, formulaVersion: $version) { period formula { version }
    entries { unit { name } score rank terms { key value points } } } }"""
PUBLISHED = (
    """query($quarter: String!) { quarterScores(quarter: $quarter) { quarter publishedOn
    publications formula { version terms { key penalty weight } } """
    + ENTRIES
    + " } }"
)
LEAGUE = "{ supervisionOverview { publishedScores { quarter " + ENTRIES + " } } }"
HISTORY = """query($id: ID!) { history(itemId: $id) { itemType
    events { type actor { role } data } } }"""
SECOND_FORMULA = ScoreFormula(
    "2021.2",
    {"task_on_time": Decimal(20), "efficiency": Decimal(60), "rectification": Decimal(20)},
    {"interviews": Decimal(10)},
)


def d(month: int, day: int) -> date:
    return date(2021, month, day)


def server(url: str, formula: ScoreFormula | None = None, *, ready: bool = True) -> LiveServer:
    settings = replace(settings_for(url), clock=ShiftedClock(TODAY, time.time()))
    if formula is not None:
        settings = replace(settings, policy=replace(settings.policy, assessment_formula=formula))
    return start_server(settings, ready=ready)


@pytest.fixture
def live(sqlite_url: str) -> Iterator[LiveServer]:
    started = server(sqlite_url)
    tell(started)
    yield started
    stop_server(started)


def tell(live: LiveServer) -> None:
    ledger = live.services.ledger
    a = ledger.register_unit(on(d(1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    b = ledger.register_unit(on(d(1, 4)), name="区市场监管局", kind=UnitKind.DEPARTMENT).item_id
    for number, deadline in ((2, d(6, 15)),):
        task = ledger.register_task(on(d(4, 1)), plan_year=2021, number=number, title="事项")
        ledger.assign_task(on(d(4, 1)), task.item_id, lead_units=[a], deadline=deadline)
        ledger.accept_task(on(d(4, 1)), task.item_id, unit=a)
    done = ledger.register_task(on(d(4, 2)), plan_year=2021, number=3, title="事项").item_id
    ledger.assign_task(on(d(4, 2)), done, lead_units=[a], deadline=d(6, 30))
    ledger.accept_task(on(d(4, 2)), done, unit=a)
    ledger.request_completion(on(d(6, 1)), done, summary="已完成")
    ledger.verify_task(on(d(6, 1)), done, note="核验通过")
    case = ledger.receive_complaint(
        on(d(4, 6)), channel=Channel.HOTLINE_12345, summary="办事难", first_responder=b
    ).item_id
    ledger.dispatch_complaint(on(d(4, 6)), case, unit=b)
    ledger.sign_for_complaint(on(d(4, 6)), case, unit=b)
    ledger.verify_complaint(on(d(5, 17)), case, founded=True, finding="经核实属实")
    ledger.report_rectification(on(d(5, 18)), case, narrative="已整改")
    ledger.call_back(on(d(5, 19)), case, satisfied=True)
    ledger.close_complaint(on(d(5, 20)), case)  # its limit was 04-13
    iv = ledger.schedule_interview(
        on(d(6, 20)),
        unit=a,
        interviewee="区住建局局长",
        reason="督办事项逾期",
        cited_items=[done],
        scheduled_for=datetime(2021, 6, 25, 10, 0, tzinfo=CHINA_TIME),
    ).item_id
    ledger.hold_interview(
        on(d(6, 25)), iv, facts="逾期", commitments=["限期完成"], demands=[], rectify_by=d(8, 31)
    )
    for enterprise, score in (("恒力石化", "90"), ("大连造船", "80")):
        ledger.record_enterprise_evaluation(
            on(d(7, 2)),
            enterprise=enterprise,
            unit=a,
            quarter="2021-Q2",
            scores=[CriterionScore("服务态度", Decimal(score))],
        )
    caught_up(live)


def scores(live: LiveServer, version: str | None = None, actor: str = "office:clerk") -> Any:
    return live.gql(SCORES, {"period": "2021-Q2", "version": version}, actor=actor)["unitScores"]


def by_name(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["unit"]["name"]: e for e in entries}


def test_units_scores_are_computed_from_the_ledger_by_the_policys_formula(
    live: LiveServer,
) -> None:
    found = scores(live)
    assert found["formula"] == {"version": "2021.1"}
    entries = by_name(found["entries"])
    # a: task_on_time 0.5 (weight 30) and enterprise_rating 0.85 (weight 20) are due, the
    # other rates left out: 100 × (30 × 0.5 + 20 × 0.85) / 50 = 30 + 34 = 64, less 5 and 2.
    a_terms = {t["key"]: (t["value"], t["points"]) for t in entries["区住建局"]["terms"]}
    assert a_terms["task_on_time"] == ("0.5", "30.0")  # 1 closed on time, 1 overdue at 06-30
    assert a_terms["efficiency"] == (None, "0.0")  # it closed no case: left out
    assert a_terms["enterprise_rating"] == ("0.85", "34.0")
    assert a_terms["interviews"] == ("1", "-5.0") and a_terms["overdue_tasks"] == ("1", "-2.0")
    # b: its one case closed late (efficiency 0 of 1), nothing else due
    assert (entries["区住建局"]["score"], entries["区住建局"]["rank"]) == ("57.0", 1)
    assert (entries["区市场监管局"]["score"], entries["区市场监管局"]["rank"]) == ("0.0", 2)


def test_an_ended_quarter_is_published_and_shown_in_the_league(live: LiveServer) -> None:
    early = mutate(live, "publishQuarterScores", {"quarter": "2021-Q3"})
    assert (early["__typename"], early["field"]) == ("ValidationError", "quarter"), early
    assert live.gql(PUBLISHED, {"quarter": "2021-Q2"})["quarterScores"] is None

    made = mutate(live, "publishQuarterScores", {"quarter": "2021-Q2"})
    assert made["__typename"] == "MutationSuccess", made
    caught_up(live)
    published = live.gql(PUBLISHED, {"quarter": "2021-Q2"})["quarterScores"]
    assert (published["quarter"], published["publishedOn"], published["publications"]) == (
        "2021-Q2",
        "2021-07-05",
        1,
    )
    terms = {t["key"]: (t["penalty"], t["weight"]) for t in published["formula"]["terms"]}
    assert published["formula"]["version"] == "2021.1"
    assert terms["efficiency"] == (False, "30") and terms["late_answers"] == (True, "0.5")
    assert published["entries"] == [
        {
            "unit": {"name": "区住建局"},
            "score": "57.0",
            "rank": 1,
            "enterpriseRating": {"mean": "85.0", "evaluations": 2},
        },
        {"unit": {"name": "区市场监管局"}, "score": "0.0", "rank": 2, "enterpriseRating": None},
    ]
    league = live.gql(LEAGUE, actor=VIEWER)["supervisionOverview"]["publishedScores"]
    assert league == {"quarter": "2021-Q2", "entries": published["entries"]}
    history = live.gql(HISTORY, {"id": made["itemId"]})["history"]
    [event] = history["events"]
    assert (history["itemType"], event["type"], event["actor"]["role"]) == (
        "QuarterScores",
        "Published",
        "OFFICE",
    )
    recorded = event["data"]
    assert (recorded["quarter"], recorded["formula_version"]) == ("2021-Q2", "2021.1")
    assert recorded["formula"]["weight.efficiency"] == "30"
    assert [(s["score"], s["rank"]) for s in recorded["entries"]] == [("57.0", 1), ("0.0", 2)]


def test_a_unit_sees_its_own_score_and_the_published_league_never_who_rated_it(
    live: LiveServer,
) -> None:
    assert mutate(live, "publishQuarterScores", {"quarter": "2021-Q2"})["__typename"] == (
        "MutationSuccess"
    )
    caught_up(live)
    unit = live.gql("{ units { id name } }")["units"]
    a = next(u["id"] for u in unit if u["name"] == "区住建局")
    actor = unit_actor(a)
    own = scores(live, actor=actor)["entries"]
    assert [e["unit"]["name"] for e in own] == ["区住建局"]
    published = live.gql(PUBLISHED, {"quarter": "2021-Q2"}, actor=actor)["quarterScores"]
    assert len(published["entries"]) == 2
    refused = mutate(live, "publishQuarterScores", {"quarter": "2021-Q2"}, actor=actor)
    assert refused["__typename"] == "Forbidden"


def test_an_unknown_formula_version_is_refused_naming_it(live: LiveServer) -> None:
    body = live.post(SCORES, {"period": "2021-Q2", "version": "1999"}).json()
    assert "formulaVersion" in body["errors"][0]["message"], body
    assert "2021.1" in body["errors"][0]["message"]


def test_a_new_formula_scores_the_quarter_anew_and_the_old_one_still_can(
    live: LiveServer, sqlite_url: str
) -> None:
    assert mutate(live, "publishQuarterScores", {"quarter": "2021-Q2"})["__typename"] == (
        "MutationSuccess"
    )
    caught_up(live)
    before = scores(live)
    stop_server(live)
    changed = server(sqlite_url, SECOND_FORMULA)
    try:
        caught_up(changed)
        now = scores(changed)
        assert now["formula"] == {"version": "2021.2"}
        # a: task_on_time 0.5 and rectification nothing due: 0.5 × 100 = 50, less 10
        assert by_name(now["entries"])["区住建局"]["score"] == "40.0"
        assert scores(changed, "2021.1") == before  # the formula a publication used

        again = mutate(changed, "publishQuarterScores", {"quarter": "2021-Q2"})
        assert (again["__typename"], again["field"]) == ("ValidationError", "reason"), again
        again = mutate(
            changed, "publishQuarterScores", {"quarter": "2021-Q2", "reason": "考核权重调整"}
        )
        assert again["__typename"] == "MutationSuccess", again
        caught_up(changed)
        published = changed.gql(PUBLISHED, {"quarter": "2021-Q2"})["quarterScores"]
        assert (published["formula"]["version"], published["publications"]) == ("2021.2", 2)
        assert by_name(published["entries"])["区住建局"]["score"] == "40.0"
        assert scores(changed, "2021.1") == before
    finally:
        stop_server(changed)


def test_scores_are_not_published_from_read_models_that_have_stopped(sqlite_url: str) -> None:
    ledger = open_ledger(settings_for(sqlite_url))
    task = task_in_progress(ledger, unit(ledger))
    ledger.urge_task(office(), task, reason="催办")
    ledger.close()
    slip_in(sqlite_url, "state")  # a row no projection can read: they stop on it
    stopped = server(sqlite_url, ready=False)
    try:
        projector = stopped.services.projector
        while not projector.runner.failures():
            time.sleep(0.05)
        stopped.token()  # issued (recorded) before the count
        recorder = stopped.services.ledger.recorder
        before = recorder.max_notification_id()
        refused = mutate(stopped, "publishQuarterScores", {"quarter": "2021-Q2"})
        assert (refused["__typename"], refused["field"]) == ("ValidationError", "readModels")
        assert "has stopped" in refused["message"], refused
        assert recorder.max_notification_id() == before  # nothing written
    finally:
        stop_server(stopped)


def test_a_formula_changed_under_the_same_version_is_not_published(
    live: LiveServer, sqlite_url: str
) -> None:
    assert mutate(live, "publishQuarterScores", {"quarter": "2021-Q2"})["__typename"] == (
        "MutationSuccess"
    )
    caught_up(live)
    stop_server(live)
    same_version = ScoreFormula("2021.1", SECOND_FORMULA.weights, SECOND_FORMULA.penalties)
    changed = server(sqlite_url, same_version)
    try:
        caught_up(changed)
        refused = mutate(
            changed, "publishQuarterScores", {"quarter": "2021-Q2", "reason": "权重调整"}
        )
        assert (refused["__typename"], refused["field"]) == ("ValidationError", "formula")
        body = changed.post(SCORES, {"period": "2021-Q2", "version": "2021 一"}).json()
        assert "formulaVersion" in body["errors"][0]["message"], body
    finally:
        stop_server(changed)
