"""No request makes the ledger or an answer grow without bound, through the real HTTP API: a
990 KB narrative and a 60,000-entry evidence list are refused naming the field and its limit
(they were recorded); an item's history answers its events a page at a time; aliases of
``history`` whose answer passes the response budget get one ``RESPONSE_TOO_LARGE`` error
(three of them answered 354 MB); and ``asOfVersion`` beyond an item's versions is refused
(it answered the latest state)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from api.graphql.history import HISTORY_MAX_PAGE, HISTORY_PAGE
from api.graphql.response_budget import RESPONSE_BUDGET
from domain.policy import default_policy
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, head, mutate, on

LIMITS = default_policy().inputs


@pytest.fixture
def server(live: LiveServer) -> LiveServer:
    """A live server (on SQLite: what is refused here is refused before any database)."""
    return live


def task_with_reports(live: LiveServer, reports: int, narrative: str = "进展") -> UUID:
    """A task of the 2021 plan, registered, assigned and accepted, then ``reports`` progress
    reports: ``3 + reports`` events in all."""
    ledger = live.services.ledger
    unit = ledger.register_unit(on(date(2021, 1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT)
    task = ledger.register_task(
        on(date(2021, 3, 1)), plan_year=2021, number=1, title="推行企业开办一网通办"
    ).item_id
    ledger.assign_task(
        on(date(2021, 3, 1)), task, lead_units=[unit.item_id], deadline=date(2021, 12, 31)
    )
    ledger.accept_task(on(date(2021, 3, 2)), task, unit=unit.item_id)
    for n in range(reports):
        ledger.report_progress(
            on(date(2021, 4, 1)), task, percent=min(n, 100), narrative=f"{narrative}{n}"
        )
    caught_up(live)
    return task


def report(live: LiveServer, task: UUID, **given: Any) -> dict[str, Any]:
    return mutate(live, "reportProgress", {"taskId": gid("Task", task), "percent": 50, **given})


def test_a_990_kb_narrative_is_refused_naming_the_field_and_its_limit_and_nothing_is_written(
    server: LiveServer,
) -> None:
    task = task_with_reports(server, 0)
    before = head(server)

    answer = report(server, task, narrative="a" * 990_000)

    assert answer["__typename"] == "ValidationError"
    assert answer["field"] == "narrative"
    most = LIMITS.characters("narrative")
    assert answer["message"] == f"is 990000 characters long; the limit is {most}"
    assert head(server) == before


@pytest.mark.slow
def test_a_60000_entry_evidence_list_is_refused_naming_the_field_and_nothing_is_written(
    server: LiveServer,
) -> None:
    task = task_with_reports(server, 0)
    before = head(server)

    answer = report(server, task, narrative="进展", evidence=[f"e{n}" for n in range(60_000)])

    assert answer["__typename"] == "ValidationError"
    assert answer["field"] == "evidence"
    assert answer["message"] == f"has 60000 entries; the limit is {LIMITS.entries('evidence')}"
    assert head(server) == before


PAGE = """query($id: ID!, $first: Int, $after: String) {
  history(itemId: $id) {
    version
    eventPage(first: $first, after: $after) {
      totalCount
      edges { cursor node { version type } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
    events(first: $first, after: $after) { version }
  }
}"""


def test_a_history_answers_its_events_a_page_at_a_time_following_the_cursors(
    live: LiveServer,
) -> None:
    task = gid("Task", task_with_reports(live, 4))  # 7 events
    versions: list[int] = []
    after = None
    pages = []
    while True:
        found = live.gql(PAGE, {"id": task, "first": 3, "after": after})["history"]
        page = found["eventPage"]
        assert found["version"] == 7
        assert page["totalCount"] == 7
        assert [e["version"] for e in found["events"]] == [
            e["node"]["version"] for e in page["edges"]
        ]
        versions += [e["node"]["version"] for e in page["edges"]]
        pages.append(page["pageInfo"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert versions == [1, 2, 3, 4, 5, 6, 7]
    assert [p["hasPreviousPage"] for p in pages] == [False, True, True]
    every = live.gql("query($id: ID!){ history(itemId: $id) { events { version } } }", {"id": task})
    assert [e["version"] for e in every["history"]["events"]] == versions


@pytest.mark.slow
def test_a_history_answers_a_default_page_of_events_and_refuses_a_page_over_the_maximum(
    live: LiveServer,
) -> None:
    task = gid("Task", task_with_reports(live, HISTORY_PAGE))  # 3 more than a page
    found = live.gql(PAGE, {"id": task})["history"]
    assert len(found["events"]) == HISTORY_PAGE
    assert found["eventPage"]["totalCount"] == HISTORY_PAGE + 3
    assert found["eventPage"]["pageInfo"]["hasNextPage"] is True

    refused = live.post(PAGE, {"id": task, "first": HISTORY_MAX_PAGE + 1}).json()
    assert refused["data"] == {"history": None}
    (error, *_) = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "first"
    assert error["message"] == f"first: must be between 0 and {HISTORY_MAX_PAGE}"


def test_a_cursor_of_another_list_is_refused_as_a_history_cursor(live: LiveServer) -> None:
    task = gid("Task", task_with_reports(live, 1))
    cursor = live.gql("{ tasks(first: 1) { pageInfo { endCursor } } }")["tasks"]["pageInfo"]
    refused = live.post(PAGE, {"id": task, "after": cursor["endCursor"]}).json()
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


def aliased_history(aliases: int) -> str:
    fields = " ".join(
        f"h{n}: history(itemId: $id) {{ version state events {{ version data }} }}"
        for n in range(aliases)
    )
    return f"query($id: ID!) {{ {fields} }}"


def test_aliases_of_history_over_the_response_budget_answer_one_response_too_large_error(
    live: LiveServer,
) -> None:
    # six reports of the longest narrative: about 360 KB of history in UTF-8
    most = LIMITS.characters("narrative")
    task = gid("Task", task_with_reports(live, 6, narrative="进" * (most - 2)))
    aliases = RESPONSE_BUDGET // 360_000 + 2

    response = live.post(aliased_history(aliases), {"id": task})

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"] for e in body["errors"]] == [
        {"code": "RESPONSE_TOO_LARGE", "budget": RESPONSE_BUDGET}
    ]
    assert "response budget of 8,000,000 bytes" in body["errors"][0]["message"]
    assert len(response.content) < 1000


def test_aliases_of_history_within_the_response_budget_are_answered_in_full(
    live: LiveServer,
) -> None:
    most = LIMITS.characters("narrative")
    task = gid("Task", task_with_reports(live, 6, narrative="进" * (most - 2)))

    response = live.post(aliased_history(3), {"id": task})

    body = response.json()
    assert "errors" not in body, body["errors"]
    assert [len(body["data"][f"h{n}"]["events"]) for n in range(3)] == [9, 9, 9]
    assert 1_000_000 < len(response.content) < RESPONSE_BUDGET


VERSION = "query($id: ID!, $v: Int) { history(itemId: $id, asOfVersion: $v) { version } }"


@pytest.mark.parametrize("version", [99, 6, 0, -1])
def test_history_as_of_a_version_the_item_does_not_have_is_refused_naming_its_versions(
    server: LiveServer, version: int
) -> None:
    task = gid("Task", task_with_reports(server, 2))  # 5 events

    refused = server.post(VERSION, {"id": task, "v": version}).json()

    assert refused["data"] == {"history": None}
    (error,) = refused["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "asOfVersion"}
    assert (
        error["message"] == f"asOfVersion: is {version}, but this item's versions run from 1 to 5"
    )
    assert server.gql(VERSION, {"id": task, "v": 5})["history"] == {"version": 5}
    assert server.gql(VERSION, {"id": task, "v": 1})["history"] == {"version": 1}
