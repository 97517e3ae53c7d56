"""``history(itemId, asOfVersion, asOf, knownAt)`` through the real HTTP API: an item rebuilt
at each version, at business dates, and as the ledger knew it before a back-dated entry.

The task of the story (``tell``) was registered and assigned on 2021-03-01, accepted on
03-02, reported at 30 % on 04-01 and at 60 % on 05-01 (entered as imports, 10:00 Beijing);
then, through the API, a clerk of its lead unit reports 80 % as having happened two days ago
(a back-dated entry, recorded after everything else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.access import token_hash, token_id_for
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, head, last, mutate, on
from tests.clock import now

HISTORY = """query($id: ID!, $version: Int, $asOf: DateTime, $knownAt: DateTime) {
  history(itemId: $id, asOfVersion: $version, asOf: $asOf, knownAt: $knownAt) {
    id itemId itemType version state
    events { position itemId itemType version type occurredAt recordedAt
             actor { id role unit } requestId imported backdated data }
  }
}"""


def clerk_of(unit: UUID) -> str:
    """The actor of the clerk of the task's lead unit who enters the back-dated report."""
    return f"unit:clerk-wang:{unit}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    """A live server on SQLite, then on PostgreSQL."""
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


@dataclass
class Story:
    task: UUID
    unit: UUID
    backdated_at: datetime  # when the 80 % report is said to have happened
    backdated_position: int
    recorded_before_it: str  # when the ledger recorded the 60 % report (the one before)


def tell(live: LiveServer) -> Story:
    ledger = live.services.ledger
    unit = ledger.register_unit(on(date(2021, 1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT)
    clerk = Actor("clerk-wang", Role.UNIT, unit.item_id)
    task = ledger.register_task(
        on(date(2021, 3, 1)), plan_year=2021, number=1, title="推行企业开办一网通办"
    ).item_id
    ledger.assign_task(
        on(date(2021, 3, 1)), task, lead_units=[unit.item_id], deadline=date(2021, 12, 31)
    )
    ledger.accept_task(on(date(2021, 3, 2), actor=clerk), task, unit=unit.item_id)
    ledger.report_progress(on(date(2021, 4, 1), actor=clerk), task, percent=30, narrative="调研")
    ledger.report_progress(on(date(2021, 5, 1), actor=clerk), task, percent=60, narrative="试点")
    recorded_before_it = ledger.item_events(task)[-1].recorded_at.isoformat()
    # a unit's staff act only on what the read models show concerns their unit
    caught_up(live, clerk_of(unit.item_id))

    backdated_at = (now() - timedelta(days=2)).replace(microsecond=0)
    report = mutate(
        live,
        "reportProgress",
        {
            "taskId": gid("Task", task),
            "percent": 80,
            "narrative": "完成主体工作",
            "evidence": ["会议纪要"],
            "occurredAt": backdated_at.isoformat(),
        },
        actor=clerk_of(unit.item_id),
    )
    assert report["__typename"] == "MutationSuccess", report
    assert report["version"] == 6
    caught_up(live)
    return Story(task, unit.item_id, backdated_at, report["position"], recorded_before_it)


def history(live: LiveServer, item: str, **at: Any) -> dict[str, Any] | None:
    variables = {
        "id": item,
        "version": at.get("version"),
        "asOf": at.get("as_of"),
        "knownAt": at.get("known_at"),
    }
    found: dict[str, Any] | None = live.gql(HISTORY, variables)["history"]
    return found


def at(found: dict[str, Any] | None) -> tuple[int, str, int]:
    """Version, state and progress of a task's history."""
    assert found is not None
    state = found["state"]
    assert state["version"] == found["version"] == len(found["events"])
    return found["version"], state["state"], state["progress"]


def test_the_state_at_each_version_is_what_was_true_then(server: LiveServer) -> None:
    story = tell(server)
    task = gid("Task", story.task)

    states = [at(history(server, task, version=v)) for v in range(1, 7)]
    latest = history(server, task)

    assert states == [
        (1, "registered", 0),
        (2, "assigned", 0),
        (3, "in_progress", 0),
        (4, "in_progress", 30),
        (5, "in_progress", 60),
        (6, "in_progress", 80),
    ]
    assert latest is not None
    assert at(latest) == (6, "in_progress", 80)
    assert [e["type"] for e in latest["events"]] == [
        "Registered",
        "Assigned",
        "Accepted",
        "ProgressReported",
        "ProgressReported",
        "ProgressReported",
    ]
    assert (latest["id"], latest["itemId"], latest["itemType"]) == (task, str(story.task), "Task")
    assert latest["state"]["deadline"] == "2021-12-31"
    assert latest["state"]["lead_units"] == [str(story.unit)]
    assert latest["state"]["accepted_by"] == str(story.unit)


def test_the_state_at_a_business_date_is_what_had_happened_by_then(live: LiveServer) -> None:
    story = tell(live)
    task = gid("Task", story.task)
    three_days_ago = (now() - timedelta(days=3)).isoformat()

    assert at(history(live, task, as_of="2021-03-01T12:00:00+08:00")) == (2, "assigned", 0)
    assert at(history(live, task, as_of="2021-04-15T00:00:00+08:00")) == (4, "in_progress", 30)
    # the 60 % report happened at 10:00 Beijing on 05-01, which is 02:00 UTC
    assert at(history(live, task, as_of="2021-05-01T09:59:59+08:00")) == (4, "in_progress", 30)
    assert at(history(live, task, as_of="2021-05-01T02:00:00+00:00")) == (5, "in_progress", 60)
    assert at(history(live, task, as_of=three_days_ago)) == (5, "in_progress", 60)
    assert at(history(live, task, as_of=story.backdated_at.isoformat())) == (6, "in_progress", 80)
    assert history(live, task, as_of="2021-02-28T00:00:00+08:00") is None  # not yet registered


def test_known_at_before_a_back_dated_entry_was_recorded_leaves_it_out(
    server: LiveServer,
) -> None:
    story = tell(server)
    task = gid("Task", story.task)
    recorded = now().isoformat()

    known_then = history(server, task, known_at=story.recorded_before_it)
    known_now = history(server, task, known_at=recorded)
    # what had happened two and a half days ago, as known before and after the entry
    before_entry = (story.backdated_at - timedelta(hours=12)).isoformat()
    after_entry = (story.backdated_at + timedelta(hours=12)).isoformat()

    assert at(known_then) == (5, "in_progress", 60)
    assert known_then is not None
    assert [e["data"]["percent"] for e in known_then["events"][3:]] == [30, 60]
    assert at(known_now) == (6, "in_progress", 80)
    assert at(history(server, task, as_of=after_entry, known_at=story.recorded_before_it)) == (
        5,
        "in_progress",
        60,
    )
    assert at(history(server, task, as_of=after_entry, known_at=recorded)) == (6, "in_progress", 80)
    assert at(history(server, task, as_of=before_entry, known_at=recorded)) == (
        5,
        "in_progress",
        60,
    )
    assert history(server, task, known_at="2021-01-01T00:00:00Z") is None
    # the audit trail agrees: known then, the task had five entries
    trail = server.gql(
        "query($f: EventFilter){ events(filter: $f) { totalCount } }",
        {"f": {"itemId": task, "knownAt": story.recorded_before_it}},
    )
    assert trail["events"]["totalCount"] == 5


def test_the_events_of_a_history_carry_position_type_actor_times_and_data(
    live: LiveServer,
) -> None:
    story = tell(live)
    found = history(live, gid("Task", story.task))
    assert found is not None
    positions = live.services.ledger.positions_of(story.task)

    first, last = found["events"][0], found["events"][-1]

    assert [e["position"] for e in found["events"]] == [positions[v] for v in range(1, 7)]
    assert [e["version"] for e in found["events"]] == [1, 2, 3, 4, 5, 6]
    assert {(e["itemId"], e["itemType"]) for e in found["events"]} == {(str(story.task), "Task")}
    assert first["type"] == "Registered"
    assert first["actor"] == {"id": "office-seed", "role": "OFFICE", "unit": None}
    assert datetime.fromisoformat(first["occurredAt"]) == datetime.fromisoformat(
        "2021-03-01T10:00:00+08:00"
    )
    assert first["data"]["title"] == "推行企业开办一网通办"
    assert first["data"]["plan_year"] == 2021
    assert (first["imported"], first["backdated"]) == (True, True)

    assert last["position"] == story.backdated_position
    assert last["type"] == "ProgressReported"
    token_id = token_id_for(token_hash(live.token(clerk_of(story.unit))))
    assert last["actor"] == {
        "id": f"clerk-wang#{str(token_id)[:8]}",
        "role": "UNIT",
        "unit": str(story.unit),
    }
    occurred = datetime.fromisoformat(last["occurredAt"])
    recorded = datetime.fromisoformat(last["recordedAt"])
    assert occurred == story.backdated_at
    assert recorded - occurred >= timedelta(days=2)
    assert recorded > datetime.fromisoformat(story.recorded_before_it)
    assert last["data"] == {
        "percent": 80,
        "narrative": "完成主体工作",
        "evidence": ["会议纪要"],
        "milestones_reached": [],
    }
    assert (last["imported"], last["backdated"]) == (False, True)
    assert last["requestId"]


def test_the_history_of_an_unknown_id_is_null(live: LiveServer) -> None:
    tell(live)
    missing = uuid4()

    assert history(live, gid("Task", missing)) is None
    assert history(live, str(missing)) is None
    assert history(live, gid("Task", missing), version=1) is None


def test_the_history_of_something_that_is_not_an_id_is_refused(live: LiveServer) -> None:
    response = live.post(HISTORY, {"id": "Task:12345"})

    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"history": None}
    assert "not an id" in body["errors"][0]["message"]


def test_the_history_of_a_unit_shows_its_former_names(live: LiveServer) -> None:
    ledger = live.services.ledger
    unit = ledger.register_unit(on(date(2021, 1, 4)), name="区工商局", kind=UnitKind.DEPARTMENT)
    ledger.rename_unit(on(date(2021, 6, 1)), unit.item_id, name="区市场监管局")
    caught_up(live)

    before = history(live, gid("Unit", unit.item_id), as_of="2021-05-31T00:00:00+08:00")
    after = history(live, gid("Unit", unit.item_id))

    assert before is not None
    assert after is not None
    assert (before["itemType"], before["version"], before["state"]["name"]) == (
        "Unit",
        1,
        "区工商局",
    )
    assert (after["version"], after["state"]["name"]) == (2, "区市场监管局")
    assert after["state"]["former_names"] == ["区工商局"]


@pytest.mark.parametrize("argument", ["as_of", "known_at"])
def test_a_history_asked_at_a_time_without_an_offset_is_refused_naming_the_argument(
    live: LiveServer, argument: str
) -> None:
    story = tell(live)
    variables = {"id": gid("Task", story.task), "asOf": None, "knownAt": None}
    variables["asOf" if argument == "as_of" else "knownAt"] = "2021-04-15T00:00:00"

    response = live.post(HISTORY, variables)

    (error,) = response.json()["errors"]
    assert error["message"] != "Unexpected error."
    assert ("asOf" if argument == "as_of" else "knownAt") in error["message"]


def test_a_history_asked_under_another_types_id_is_null_as_node_is(live: LiveServer) -> None:
    story = tell(live)
    wrong = gid("Complaint", story.task)

    node = live.gql("query($id: ID!){ node(id: $id) { id } }", {"id": wrong})["node"]
    found = history(live, wrong)

    assert node is None
    assert found is None


# Personal data


PERSONAL = """query($id: ID!) { history(itemId: $id, purpose: "核实投诉以便回访") {
  state events { type data } } }"""
DISCLOSURES = """{ events(filter: {itemType: "Disclosure"}) {
  totalCount nodes { position actor { id role } data } } }"""


@pytest.mark.slow
def test_a_complainants_name_and_phone_are_sealed_shown_to_the_office_and_masked_for_others(
    live: LiveServer,
) -> None:
    unit = mutate(live, "registerUnit", {"name": "区住建局", "kind": "DEPARTMENT"})["itemId"]
    received = mutate(
        live,
        "receiveComplaint",
        {
            "channel": "HOTLINE_12345",
            "summary": "报装超时",
            "firstResponder": unit,
            "complainantName": "张三丰",
            "complainantPhone": "13812341234",
        },
    )
    assert received["__typename"] == "MutationSuccess", received
    complaint = received["itemId"]
    stored = live.services.ledger.item_events(UUID(complaint.split(":")[1]))[0]
    for sealed in (stored.complainant_name, stored.complainant_phone):  # type: ignore[attr-defined]
        assert sealed.startswith("sealed:v1:")
        assert "张三丰" not in sealed and "13812341234" not in sealed
    readers = {
        "office": "office:office-zhang",
        "inspector": "inspector:zhao",
        "leader": "leader:chen",
        "unit": f"unit:clerk-wang:{unit.split(':')[1]}",
    }
    for actor in readers.values():
        live.token(actor)

    seen = {}
    for role, actor in readers.items():
        before, everything_before = head(live), last(live)
        found = live.gql(PERSONAL, {"id": complaint}, actor=actor)["history"]
        state, (event,) = found["state"], found["events"]
        seen[role] = (state["complainant_name"], state["complainant_phone"])
        assert (event["data"]["complainant_name"], event["data"]["complainant_phone"]) == seen[role]
        assert head(live) == before  # only the service's own record, if any
        assert last(live) - everything_before == (1 if role in ("office", "inspector") else 0)

    assert seen == {
        "office": ("张三丰", "13812341234"),
        "inspector": ("张三丰", "13812341234"),
        "leader": ("张**", "138****1234"),
        "unit": ("张**", "138****1234"),
    }
    # each clear read is in the audit trail: who read which item's which fields
    caught_up(live)
    disclosures = live.gql(DISCLOSURES)["events"]
    assert disclosures["totalCount"] == 2
    assert [
        (e["actor"]["id"].partition("#")[0], e["actor"]["role"]) for e in disclosures["nodes"]
    ] == [("office-zhang", "OFFICE"), ("zhao", "INSPECTOR")]
    for entry in disclosures["nodes"]:
        assert entry["data"]["items"] == [complaint.split(":")[1]]
        assert sorted(entry["data"]["fields"]) == ["complainant_name", "complainant_phone"]
        assert entry["data"]["purpose"] == "核实投诉以便回访"
