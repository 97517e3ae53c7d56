"""Who sees what through the queries (api/permissions.py: the root fields each role may use, a
unit's staff only their own unit's items), and reading one's own writes: a query sent with
the position of a write includes it, and one ahead of the read models is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from api.settings import Limits
from tests.api.conftest import LiveServer, serve_options, start_server, stop_server
from tests.api.helpers import gid, head
from tests.api.query_story import tell
from tests.conftest import settings_for

# Who sees what (api/permissions.py)


def refused(live: LiveServer, query: str, actor: str, field: str) -> None:
    """``query`` asked by ``actor`` is answered with a FORBIDDEN error on root field ``field``."""
    response = live.post(query, actor=actor)
    assert response.status_code == 200, response.text
    body = response.json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", error
    assert error["path"] == [field]
    assert "Forbidden" in error["message"]
    assert body["data"] is None or body["data"][field] is None


ROOT_FIELDS = {
    "tasks": "{ tasks { totalCount } }",
    "events": "{ events { totalCount } }",
    "supervisionOverview": "{ supervisionOverview { asOf } }",
    "legacyIssueTotals": "{ legacyIssueTotals { total } }",
    "interviewCandidates": "{ interviewCandidates { name } }",
    "units": "{ units { id } }",
    "unitScorecards": '{ unitScorecards(period: "2021") { name } }',
}
REFUSED_ROOT_FIELDS = {
    "unit": {"supervisionOverview", "legacyIssueTotals", "interviewCandidates"},
    "viewer": {"tasks", "events", "interviewCandidates"},
    "leader": set(),
    "inspector": set(),
}


@pytest.mark.slow
@pytest.mark.parametrize("role", list(REFUSED_ROOT_FIELDS))
def test_a_root_field_a_role_may_not_use_is_answered_forbidden_and_the_others_are_answered(
    live: LiveServer, role: str
) -> None:
    story = tell(live)
    actor = f"unit:li:{story.units['a']}" if role == "unit" else f"{role}:someone"

    for field_name, query in ROOT_FIELDS.items():
        if field_name in REFUSED_ROOT_FIELDS[role]:
            refused(live, query, actor, field_name)
        else:
            assert live.gql(query, actor=actor)[field_name] is not None, field_name


@pytest.mark.slow
def test_a_units_staff_see_only_the_items_that_concern_their_unit(live: LiveServer) -> None:
    story = tell(live)
    a, b = story.units["a"], story.units["b"]
    clerk = f"unit:li:{a}"
    node = "query($id: ID!){ node(id: $id) { id } }"

    tasks, _ = walk_as(live, clerk, "tasks", "TaskFilter", {})
    of_b, _ = walk_as(live, clerk, "tasks", "TaskFilter", {"unit": gid("Unit", b)})
    complaints, _ = walk_as(live, clerk, "complaints", "ComplaintFilter", {})
    cards = live.gql('{ unitScorecards(period: "2021") { name } }', actor=clerk)

    # a leads T1 and T5 and cooperates on T3; it answered (first responder) for C1 and C2
    assert story.names("tasks", tasks) == ["T1", "T3", "T5"]
    assert story.names("tasks", of_b) == []  # asking for another unit finds nothing
    assert sorted(story.names("complaints", complaints)) == ["C1", "C2"]
    assert cards["unitScorecards"] == [{"name": "区住建局"}]
    t1, t2 = gid("Task", story.tasks["T1"]), gid("Task", story.tasks["T2"])
    assert live.gql(node, {"id": t1}, actor=clerk)["node"] == {"id": t1}
    assert live.gql(node, {"id": t2}, actor=clerk)["node"] is None  # b's alone
    assert live.gql(node, {"id": t2})["node"] == {"id": t2}  # the office sees it
    # the audit trail: only entries of a's items, T1's five among them, none of T2's
    trail, _ = walk_as(live, clerk, "events", "EventFilter", {}, selection="itemId")
    concerning_a = {
        a,
        story.tasks["T1"],
        story.tasks["T3"],
        story.tasks["T5"],
        story.complaints["C1"],
        story.complaints["C2"],
        story.issues["L1"],
        story.issues["L3"],
        story.others["interview"],
        story.others["referral"],
        story.others["assessment"],
    }
    assert {UUID(i) for i in trail} == concerning_a
    assert trail.count(str(story.tasks["T1"])) == 5


def walk_as(
    live: LiveServer,
    actor: str,
    field_name: str,
    filter_type: str,
    given: dict[str, Any],
    selection: str = "id",
) -> tuple[list[str], int]:
    """Every node of a list as ``actor`` sees it (one selected field of each), with the
    list's totalCount."""
    query = (
        f"query($f: {filter_type}){{ {field_name}(first: 100, filter: $f)"
        f" {{ totalCount nodes {{ {selection} }} pageInfo {{ hasNextPage }} }} }}"
    )
    page = live.gql(query, {"f": given}, actor=actor)[field_name]
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["totalCount"] == len(page["nodes"])
    return [n[selection] for n in page["nodes"]], page["totalCount"]


# Reading one's own writes


@pytest.mark.slow
def test_a_query_sent_with_the_position_of_a_write_includes_the_write(live: LiveServer) -> None:
    story = tell(live)
    t1 = gid("Task", story.tasks["T1"])
    no_item = (
        "mutation($input: ReportProgressInput!){ reportProgress(input: $input)"
        " { ... on MutationSuccess { version position } } }"
    )

    written = live.gql(no_item, {"input": {"taskId": t1, "percent": 75, "narrative": "过七成"}})
    position = written["reportProgress"]["position"]
    node = live.gql(
        "query($id: ID!){ node(id: $id) { version ... on Task { progress } } }",
        {"id": t1},
        position=position,
    )["node"]

    assert written["reportProgress"]["version"] == 6
    assert node == {"version": 6, "progress": 75}

    registered = live.gql(
        "mutation($input: RegisterTaskInput!){ registerTask(input: $input)"
        " { ... on MutationSuccess { itemId position } } }",
        {"input": {"planYear": 2021, "number": 5, "title": "2021年第5项"}},
    )["registerTask"]
    listed = live.gql(
        "{ tasks(filter: {planYear: 2021, states: [REGISTERED]}) { nodes { id number } } }",
        position=registered["position"],
    )["tasks"]["nodes"]
    trail = live.gql(
        "query($id: ID!){ events(filter: {itemId: $id}) { totalCount } }",
        {"id": registered["itemId"]},
        position=registered["position"],
    )["events"]

    assert listed == [
        {"id": gid("Task", story.tasks["T4"]), "number": 4},
        {"id": registered["itemId"], "number": 5},
    ]
    assert trail == {"totalCount": 1}


@pytest.fixture
def impatient(sqlite_url: str) -> Iterator[LiveServer]:
    """A server that waits half a second, not five, for its read models to reach a position."""
    limits = Limits(coalesce_seconds=0.2, read_wait_seconds=0.5)
    server = start_server(settings_for(sqlite_url, limits), serve_options())
    yield server
    stop_server(server)


@pytest.mark.slow
def test_a_position_the_read_models_have_not_reached_is_refused_rather_than_answered_stale(
    impatient: LiveServer,
) -> None:
    live = impatient
    tell(live)
    ahead = head(live) + 1000

    response = live.post("{ tasks { totalCount } }", position=ahead)

    body = response.json()
    assert body["data"] is None
    assert f"position {ahead}" in body["errors"][0]["message"]


def test_a_position_that_is_not_a_number_is_a_bad_request(live: LiveServer) -> None:
    bad = live.client.post(
        "/graphql",
        json={"query": "{ tasks { totalCount } }"},
        headers={"X-Ledger-Position": "latest"},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["field"] == "X-Ledger-Position"
