"""A unit's staff see and act on their own unit's items only: asking for another unit's item
gets exactly the answer for an id that does not exist.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.api.access_builders import SUBSCRIPTIONS, mutation_document, socket
from tests.api.access_world import World, bare_uuid, caught_up, head, world_server


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_server(tmp_path_factory) as found:
        yield found


@pytest.fixture(scope="module")
def served_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The same world, served by uvicorn, for the tests over a real WebSocket (slow)."""
    with world_server(tmp_path_factory, served=True) as found:
        yield found


# --- a unit's staff: their own unit's items only ------------------------------------------------


def _ids(page: dict[str, Any]) -> set[str]:
    return {bare_uuid(edge["node"]["id"]) for edge in page["edges"]}


@pytest.mark.slow
def test_a_units_staff_list_only_their_own_units_tasks_and_complaints(world: World) -> None:
    for unit, own_complaints in ((world.unit_a, {"a", "ab"}), (world.unit_b, {"b", "ab"})):
        data = world.live.gql(
            "{ tasks(first: 100) { totalCount edges { node { id } } }"
            " complaints(first: 100) { totalCount edges { node { id } } } }",
            actor=world.staff(unit),
        )
        assert _ids(data["tasks"]) == world.tasks_of[unit]
        assert data["tasks"]["totalCount"] == len(world.tasks_of[unit])
        assert _ids(data["complaints"]) == {world.complaints[k] for k in own_complaints}
        assert data["complaints"]["totalCount"] == len(own_complaints)
    everything = world.live.gql("{ tasks(first: 100) { totalCount } }")
    assert everything["tasks"]["totalCount"] > len(world.tasks_of[world.unit_a])


def test_a_unit_filtering_on_another_unit_finds_nothing_as_for_an_unknown_unit(
    world: World,
) -> None:
    query = (
        "query($unit: ID!) { tasks(first: 100, filter: {unit: $unit}) { totalCount edges"
        " { node { id } } } complaints(first: 100, filter: {unit: $unit}) { totalCount } }"
    )
    staff = world.staff(world.unit_a)
    other = world.live.post(query, {"unit": world.unit_b}, actor=staff).json()
    unknown = world.live.post(query, {"unit": str(uuid.uuid4())}, actor=staff).json()
    assert other == unknown
    assert other["data"]["tasks"]["totalCount"] == 0


NODE = "query($id: ID!) { node(id: $id) { __typename id version } }"
HISTORY = "query($id: ID!) { history(itemId: $id) { itemId itemType version } }"


def _other_and_unknown(world: World, kind: str) -> tuple[str, str, str]:
    """Unit B's item of ``kind`` (not A's), an unknown id of that type, and A's own one."""
    match kind:
        case "Task":
            return world.other_task, str(uuid.uuid4()), world.own_task
        case "Complaint":
            return world.complaints["b"], str(uuid.uuid4()), world.complaints["ab"]
        case _:
            return world.unit_b, str(uuid.uuid4()), world.unit_a


@pytest.mark.parametrize("kind", ["Task", "Complaint", "Unit"])
@pytest.mark.parametrize(("field", "query"), [("node", NODE), ("history", HISTORY)])
def test_a_unit_asking_for_another_units_item_gets_exactly_the_answer_for_an_unknown_id(
    world: World, field: str, query: str, kind: str
) -> None:
    staff = world.staff(world.unit_a)
    other, unknown, own = _other_and_unknown(world, kind)
    for spell in (lambda i: f"{kind}:{i}", lambda i: i):  # global ids and bare UUIDs
        answer_other = world.live.post(query, {"id": spell(other)}, actor=staff)
        answer_unknown = world.live.post(query, {"id": spell(unknown)}, actor=staff)
        assert answer_other.status_code == answer_unknown.status_code == 200
        assert answer_other.json() == answer_unknown.json() == {"data": {field: None}}
        assert world.live.gql(query, {"id": spell(other)})[field] is not None  # it does exist
        assert world.live.gql(query, {"id": spell(own)}, actor=staff)[field] is not None


def test_a_units_audit_trail_holds_exactly_the_events_of_its_own_items(world: World) -> None:
    staff = world.staff(world.unit_a)
    caught_up(world.live)
    query = (
        "query($after: String) { events(first: 100, after: $after) { totalCount"
        " edges { node { itemId itemType } } pageInfo { hasNextPage endCursor } } }"
    )
    items: set[str] = set()
    after: str | None = None
    total = 0
    while True:
        page = world.live.gql(query, {"after": after}, actor=staff)["events"]
        items |= {edge["node"]["itemId"] for edge in page["edges"]}
        total += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    own = world.tasks_of[world.unit_a] | {world.complaints["a"], world.complaints["ab"]}
    assert items == own | {world.unit_a}
    assert page["totalCount"] == total


def test_a_unit_asking_the_audit_trail_for_another_units_item_finds_what_an_unknown_id_finds(
    world: World,
) -> None:
    query = (
        "query($id: ID!) { events(first: 100, filter: {itemId: $id}) { totalCount"
        " edges { node { position } } } }"
    )
    staff = world.staff(world.unit_a)
    other = world.live.post(query, {"id": f"Task:{world.other_task}"}, actor=staff).json()
    unknown = world.live.post(query, {"id": f"Task:{uuid.uuid4()}"}, actor=staff).json()
    assert other == unknown == {"data": {"events": {"totalCount": 0, "edges": []}}}
    assert world.live.gql(query, {"id": f"Task:{world.other_task}"})["events"]["totalCount"] > 0


@pytest.mark.slow
def test_a_unit_following_another_units_item_gets_exactly_the_answer_for_an_unknown_id(
    served_world: World,
) -> None:
    world = served_world
    live = world.live
    probe = SUBSCRIPTIONS["itemChanged"]
    with socket(live.ws_url, live.auth(world.staff(world.unit_a))) as ws:
        ws.subscribe("other", probe.document, {"id": f"Task:{world.other_task}"})
        ws.subscribe("unknown", probe.document, {"id": f"Task:{uuid.uuid4()}"})
        ws.subscribe("own", probe.document, {"id": f"Task:{world.own_task}"})
        other, unknown, own = ws.message("other"), ws.message("unknown"), ws.message("own")
    assert other["payload"] == unknown["payload"] == {"data": {"itemChanged": None}}
    assert own["payload"]["data"]["itemChanged"]["id"] == f"Task:{world.own_task}"


def test_a_units_staff_see_only_their_own_units_scorecard(world: World) -> None:
    query = '{ unitScorecards(period: "2021") { unit { itemId } } }'
    cards = world.live.gql(query, actor=world.staff(world.unit_a))["unitScorecards"]
    assert [card["unit"]["itemId"] for card in cards] == [world.unit_a]
    assert len(world.live.gql(query)["unitScorecards"]) > 1


ON_ANOTHER_UNITS_ITEM: dict[str, Callable[[World, str], tuple[str, dict[str, Any]]]] = {
    "acceptTask": lambda w, item: ("acceptTask", {"taskId": item, "unit": w.unit_a}),
    "reportProgress": lambda w, item: (
        "reportProgress",
        {"taskId": item, "percent": 10, "narrative": "halfway there"},
    ),
    "signForComplaint": lambda w, item: (
        "signForComplaint",
        {"complaintId": item, "unit": w.unit_a},
    ),
}


def _shape(result: dict[str, Any], item_id: str) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True).replace(item_id, "<id>")


@pytest.mark.parametrize("mutation", list(ON_ANOTHER_UNITS_ITEM))
def test_a_unit_acting_on_another_units_item_gets_not_found_exactly_as_for_an_unknown_id(
    world: World, mutation: str
) -> None:
    live = world.live
    staff = world.staff(world.unit_a)
    live.token(staff)
    other = world.other_task if "Task" in mutation else world.complaints["b"]
    unknown = str(uuid.uuid4())
    before = head(live)
    answers = {}
    for item in (other, unknown):
        name, given = ON_ANOTHER_UNITS_ITEM[mutation](world, item)
        answers[item] = live.gql(mutation_document(name), {"input": given}, actor=staff)[name]
    assert answers[other]["__typename"] == "NotFound", answers[other]
    assert _shape(answers[other], other) == _shape(answers[unknown], unknown)
    assert head(live) == before


def test_a_unit_naming_another_unit_as_the_one_acting_is_forbidden(world: World) -> None:
    live = world.live
    staff = world.staff(world.unit_a)
    live.token(staff)
    before = head(live)
    answer = live.gql(
        mutation_document("acceptTask"),
        {"input": {"taskId": world.own_task, "unit": world.unit_b}},
        actor=staff,
    )["acceptTask"]
    assert (answer["__typename"], answer["action"], answer["role"]) == (
        "Forbidden",
        "acceptTask",
        "unit",
    )
    assert head(live) == before


def test_a_units_staff_act_on_their_own_units_items(world: World) -> None:
    answer = world.live.gql(
        mutation_document("acceptTask"),
        {"input": {"taskId": world.own_task, "unit": world.unit_a}},
        actor=world.staff(world.unit_a, "accepting"),
    )["acceptTask"]
    assert answer["__typename"] == "MutationSuccess", answer
    assert answer["itemId"] == f"Task:{world.own_task}"
