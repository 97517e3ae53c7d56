"""Paging lists through the real HTTP API: Relay connections, their cursors and the limits
on them, and a page's fixed number of SQL statements whatever its size (no N+1).
"""

from __future__ import annotations

import base64
import json

import pytest

from domain.channels import Channel
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, head, on, walk
from tests.api.query_story import d, tell

# Paging


def register_tasks(live: LiveServer, year: int, numbers: list[int | None]) -> dict[str, int | None]:
    ledger = live.services.ledger
    made = {}
    for number in numbers:
        task = ledger.register_task(
            on(d(3, 1)), plan_year=year, number=number, title=f"{year}-{number}"
        ).item_id
        made[gid("Task", task)] = number
    return made


def test_paging_with_first_and_after_walks_every_task_once_in_plan_order(
    live: LiveServer,
) -> None:
    numbered = register_tasks(live, 2021, [17, 3, 9, 1, 22, 5, 12, 8, 2, 20, 14, 6, 11, 4, 19])
    numberless = register_tasks(live, 2021, [None, None])
    earlier = register_tasks(live, 2020, [2, 1, 3])
    position = caught_up(live)
    expected = (
        sorted(earlier, key=lambda i: earlier[i] or 0)
        + sorted(numbered, key=lambda i: numbered[i] or 0)
        + sorted(numberless, key=lambda i: i.split(":")[1])  # after the numbered, by id
    )

    nodes, pages = walk(live, "tasks", first=4, selection="id planYear number", position=position)

    assert [n["id"] for n in nodes] == expected
    assert len(pages) == 5  # 20 tasks, 4 a page
    assert [p["totalCount"] for p in pages] == [20] * 5
    assert [p["hasNextPage"] for p in pages] == [True, True, True, True, False]
    assert [p["hasPreviousPage"] for p in pages] == [False, True, True, True, True]
    assert [(n["planYear"], n["number"]) for n in nodes[:4]] == [
        (2020, 1),
        (2020, 2),
        (2020, 3),
        (2021, 1),
    ]


def test_a_cursor_stays_valid_after_new_tasks_are_added_before_and_after_it(
    live: LiveServer,
) -> None:
    first_ones = register_tasks(live, 2021, [2, 4, 6, 8, 10, 12, 14, 16])
    position = caught_up(live)
    page = live.gql(
        "{ tasks(first: 3) { edges { node { number } } pageInfo { endCursor } } }",
        position=position,
    )["tasks"]
    assert [e["node"]["number"] for e in page["edges"]] == [2, 4, 6]

    register_tasks(live, 2021, [1, 7, 30])
    register_tasks(live, 2020, [99])
    position = caught_up(live)
    rest, pages = walk(
        live,
        "tasks",
        first=2,
        selection="number",
        after=page["pageInfo"]["endCursor"],
        position=position,
    )

    assert [n["number"] for n in rest] == [7, 8, 10, 12, 14, 16, 30]
    assert {p["totalCount"] for p in pages} == {len(first_ones) + 4}


def test_paging_a_filtered_list_follows_the_filter_on_every_page(live: LiveServer) -> None:
    story = tell(live)
    nodes, pages = walk(
        live,
        "tasks",
        first=1,
        filter_type="TaskFilter",
        given_filter={"lights": ["RED"]},
        position=head(live),
    )
    assert story.names("tasks", [n["id"] for n in nodes]) == ["T1", "T3"]
    assert [p["totalCount"] for p in pages] == [2, 2]


@pytest.mark.parametrize("first", [101, 1000, -1])
def test_a_page_larger_than_the_maximum_or_negative_is_refused(
    live: LiveServer, first: int
) -> None:
    assert live.services.limits.max_page == 100
    register_tasks(live, 2021, [1])
    caught_up(live)

    response = live.post("query($n: Int){ tasks(first: $n) { totalCount } }", {"n": first})

    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["path"] == ["tasks"]
    assert "between 0 and 100" in error["message"]
    assert live.gql("{ tasks(first: 100) { totalCount } }")["tasks"]["totalCount"] == 1


def cursor(*values: object) -> str:
    raw = json.dumps(list(values), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


BAD_CURSORS = {
    "not-base64-json": "not a cursor",
    "of-the-complaints-list": cursor("complaints", "2021-03-01", "x"),
    "of-the-events-list": cursor("events", "3"),
    "wrong-shape": cursor("tasks", "2021"),
    "not-a-number": cursor("tasks", "twenty", "1", "00000000-0000-0000-0000-000000000000"),
    "not-a-list": base64.urlsafe_b64encode(b'{"tasks": 1}').decode(),
}


@pytest.mark.parametrize("case", list(BAD_CURSORS))
def test_a_malformed_or_foreign_cursor_is_refused(live: LiveServer, case: str) -> None:
    response = live.post(
        "query($after: String){ tasks(first: 5, after: $after) { totalCount } }",
        {"after": BAD_CURSORS[case]},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["path"] == ["tasks"]
    assert "cursor" in error["message"]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [("first: 101", "first"), ('after: "not a cursor"', "after")],
    ids=["first", "after"],
)
def test_a_refused_paging_argument_is_named_in_the_error(
    live: LiveServer, arguments: str, named: str
) -> None:
    response = live.post(f"{{ tasks({arguments}) {{ totalCount }} }}")

    (error,) = response.json()["errors"]
    extensions = error.get("extensions") or {}
    assert named in error["message"].split(":")[0] or extensions.get("field") == named


# No N+1


@pytest.mark.slow
def test_a_page_of_100_tasks_with_their_units_costs_the_same_few_statements_as_a_page_of_10(
    live: LiveServer,
) -> None:
    ledger = live.services.ledger
    units = [
        ledger.register_unit(on(d(1, 4)), name=f"单位{i:02d}", kind=UnitKind.DEPARTMENT).item_id
        for i in range(40)
    ]
    for number in range(1, 121):
        task = ledger.register_task(
            on(d(3, 1)), plan_year=2021, number=number, title=f"事项{number}"
        ).item_id
        ledger.assign_task(
            on(d(3, 1)),
            task,
            lead_units=[units[number % 40]],
            cooperating_units=[units[(number + 1) % 40], units[(number + 7) % 40]],
            deadline=d(12, 31),
        )
    caught_up(live)  # the projections are idle from here on
    query = (
        "query($n: Int){ tasks(first: $n) { edges { node { id leadUnits { id name }"
        " cooperatingUnits { id name } } } } }"
    )

    counts: dict[int, int] = {}
    for size in (10, 100):
        with live.count_queries() as counter:
            page = live.gql(query, {"n": size})["tasks"]["edges"]
        counts[size] = counter.count
        assert len(page) == size
        assert all(len(e["node"]["cooperatingUnits"]) == 2 for e in page)
        assert page[-1]["node"]["leadUnits"][0]["name"] == f"单位{size % 40:02d}"

    assert counts[100] == counts[10]
    assert counts[10] <= 6


@pytest.mark.slow
def test_a_page_of_complaints_with_their_four_units_costs_the_same_as_a_page_of_one(
    live: LiveServer,
) -> None:
    ledger = live.services.ledger
    units = [
        ledger.register_unit(on(d(1, 4)), name=f"单位{i:02d}", kind=UnitKind.DEPARTMENT).item_id
        for i in range(12)
    ]
    for i in range(30):
        case = ledger.receive_complaint(
            on(d(3, 1)),
            channel=Channel.HOTLINE_12345,
            summary=f"诉求{i}",
            first_responder=units[i % 12],
            subject_unit=units[(i + 3) % 12],
        ).item_id
        ledger.dispatch_complaint(on(d(3, 1)), case, unit=units[(i + 5) % 12])
    caught_up(live)
    query = (
        "query($n: Int){ complaints(first: $n) { nodes { firstResponder { name }"
        " accountableUnit { name } handlingUnit { name } subjectUnit { name } } } }"
    )

    counts = []
    for size in (1, 30):
        with live.count_queries() as counter:
            nodes = live.gql(query, {"n": size})["complaints"]["nodes"]
        counts.append(counter.count)
        assert len(nodes) == size
        assert all(n["handlingUnit"] is not None for n in nodes)

    assert counts[0] == counts[1] <= 6
