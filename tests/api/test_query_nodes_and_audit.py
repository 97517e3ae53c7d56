"""Items by their global ids (``node``), the list of units, and the audit trail (``events``):
its filters, its paging in log order and what each entry says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import beijing, caught_up, gid, head, on, walk
from tests.api.query_story import d, on_backend, tell

# Nodes and units


NODE_FIELDS = {
    "Unit": "name kind state",
    "Task": "state planYear number progress deadline light urgeCount leadUnits { name }"
    " cooperatingUnits { name }",
    "Complaint": "state channel receivedOn closeBy returns overdue light firstResponder { name }"
    " accountableUnit { name } subjectUnit { name }",
    "LegacyIssue": "state category baseline targetYear registeredOn responsibleUnit { name }",
    "LegacyTarget": "year due requiredResolvedPercent",
    "Interview": "state rectifyBy unit { name }",
    "Referral": "state unit { name }",
    "Assessment": "period kind score verdict unit { name }",
}


@pytest.mark.slow
def test_node_finds_every_kind_of_item_by_its_global_id(live: LiveServer) -> None:
    story = tell(live)
    expected: list[tuple[str, UUID, dict[str, Any]]] = [
        ("Unit", story.units["c"], {"name": "某街道", "kind": "SUBDISTRICT", "state": "ACTIVE"}),
        (
            "Task",
            story.tasks["T1"],
            {
                "version": 5,
                "state": "IN_PROGRESS",
                "planYear": 2021,
                "number": 1,
                "progress": 40,
                "deadline": "2021-06-30",
                "light": "RED",
                "urgeCount": 1,
                "leadUnits": [{"name": "区住建局"}],
                "cooperatingUnits": [{"name": "区市场监管局"}],
            },
        ),
        (
            "Complaint",
            story.complaints["C3"],
            {
                "version": 4,
                "state": "VERIFIED",
                "channel": "MEDIA",
                "receivedOn": "2021-04-06",
                "closeBy": "2021-05-06",
                "returns": 0,
                "overdue": True,
                "light": "RED",
                "firstResponder": {"name": "区市场监管局"},
                "accountableUnit": {"name": "区市场监管局"},
                "subjectUnit": {"name": "某街道"},
            },
        ),
        (
            "Complaint",
            story.complaints["C2"],
            {"state": "RETURNED", "closeBy": "2021-03-08", "returns": 1, "overdue": True},
        ),
        ("Complaint", story.complaints["C1"], {"state": "CLOSED", "overdue": False, "light": None}),
        (
            "LegacyIssue",
            story.issues["L1"],
            {
                "version": 3,
                "state": "RESOLVED",
                "category": "LAND",
                "baseline": True,
                "targetYear": 2021,
                "registeredOn": "2021-03-02",
                "responsibleUnit": {"name": "区住建局"},
            },
        ),
        (
            "LegacyTarget",
            story.others["target"],
            {"year": 2021, "due": "2021-12-31", "requiredResolvedPercent": 100},
        ),
        (
            "Interview",
            story.others["interview"],
            {
                "version": 2,
                "state": "HELD",
                "rectifyBy": "2021-09-30",
                "unit": {"name": "区住建局"},
            },
        ),
        ("Referral", story.others["referral"], {"state": "MADE", "unit": {"name": "区住建局"}}),
        (
            "Assessment",
            story.others["assessment"],
            {
                "period": "2021-Q2",
                "kind": "UNIT_ASSESSMENT",
                "score": "92.5",
                "verdict": "REWARD",
                "unit": {"name": "区住建局"},
            },
        ),
    ]
    for item_type, item_id, fields in expected:
        node = live.gql(
            "query($id: ID!){ node(id: $id) { __typename id itemId version"
            f" ... on {item_type} {{ {NODE_FIELDS[item_type]} }} }} }}",
            {"id": gid(item_type, item_id)},
        )["node"]
        assert node is not None, item_type
        assert node["__typename"] == item_type
        assert (node["id"], node["itemId"]) == (gid(item_type, item_id), str(item_id))
        assert {k: node[k] for k in fields} == fields, item_type


def test_node_of_an_unknown_or_mistyped_id_is_null_and_a_bare_uuid_is_enough(
    live: LiveServer,
) -> None:
    story = tell(live)
    t1 = story.tasks["T1"]
    query = "query($id: ID!){ node(id: $id) { __typename id } }"

    assert live.gql(query, {"id": gid("Task", UUID(int=7))})["node"] is None
    assert live.gql(query, {"id": gid("Complaint", t1)})["node"] is None
    assert live.gql(query, {"id": "nonsense"})["node"] is None
    assert live.gql(query, {"id": str(t1)})["node"] == {"__typename": "Task", "id": gid("Task", t1)}


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ],
)
def test_an_interviews_scheduled_time_carries_its_offset(
    request: pytest.FixtureRequest, backend: str
) -> None:
    live = on_backend(request, backend)
    story = tell(live)

    node = live.gql(
        "query($id: ID!){ node(id: $id) { ... on Interview { scheduledFor } } }",
        {"id": gid("Interview", story.others["interview"])},
    )["node"]

    assert datetime.fromisoformat(node["scheduledFor"]).utcoffset() is not None
    assert datetime.fromisoformat(node["scheduledFor"]) == beijing(d(7, 5))


@pytest.mark.slow
def test_units_are_listed_by_name_with_merged_ones_only_when_asked(live: LiveServer) -> None:
    story = tell(live)
    ledger = live.services.ledger
    gone = ledger.register_unit(on(d(1, 4)), name="区旧设局", kind=UnitKind.DEPARTMENT).item_id
    ledger.merge_unit(on(d(6, 1)), gone, into=story.units["b"])
    position = caught_up(live)
    query = (
        "query($kind: UnitKind, $merged: Boolean!){ units(kind: $kind, includeMerged: $merged)"
        " { id name kind state version mergedInto { name } } }"
    )

    active = live.gql(query, {"kind": None, "merged": False}, position=position)["units"]
    every = live.gql(query, {"kind": None, "merged": True}, position=position)["units"]
    subdistricts = live.gql(query, {"kind": "SUBDISTRICT", "merged": True}, position=position)

    # by name, code point by code point: 区住 (U+4F4F) < 区市 (U+5E02) < 区旧 (U+65E7) < 某
    assert [u["name"] for u in active] == ["区住建局", "区市场监管局", "某街道"]
    assert [u["name"] for u in every] == ["区住建局", "区市场监管局", "区旧设局", "某街道"]
    assert every[2] == {
        "id": gid("Unit", gone),
        "name": "区旧设局",
        "kind": "DEPARTMENT",
        "state": "MERGED",
        "version": 2,
        "mergedInto": {"name": "区市场监管局"},
    }
    assert [u["name"] for u in subdistricts["units"]] == ["某街道"]


# The audit trail


EVENTS_IN_PHASE_ONE = 48  # 3 units; tasks 5+5+3+1; complaints 7+3+4+6; target 1; issues 3+1+1;
#                            interview 2; referral 1; assessments 2
EVENTS_TODAY = 4  # T5 and T6, each registered and assigned


def event_count(live: LiveServer, given: dict[str, Any]) -> int:
    query = "query($f: EventFilter){ events(filter: $f) { totalCount } }"
    total: int = live.gql(query, {"f": given})["events"]["totalCount"]
    return total


@pytest.mark.slow
def test_the_audit_trail_is_filtered_by_item_actor_unit_type_and_both_time_axes(
    live: LiveServer,
) -> None:
    story = tell(live)
    t1, a = story.tasks["T1"], story.units["a"]
    all_events = EVENTS_IN_PHASE_ONE + EVENTS_TODAY
    # the service's own records: the office's token, issued once the story was told (after
    # everything else); no personal data was shown, so no disclosure
    tokens = event_count(live, {"itemType": "AccessToken"})
    assert tokens == len(live.tokens) == 1
    assert event_count(live, {"itemType": "Disclosure"}) == 0

    assert event_count(live, {}) == all_events + tokens
    assert event_count(live, {"itemId": gid("Task", t1)}) == 5
    assert event_count(live, {"itemId": str(t1)}) == 5
    assert event_count(live, {"actorId": "li"}) == 2  # a's clerk: accepted T1, reported 40%
    assert event_count(live, {"unit": gid("Unit", a)}) == 2
    assert event_count(live, {"actorId": "office-zhang"}) == EVENTS_TODAY
    assert event_count(live, {"itemType": "Complaint"}) == 20
    assert event_count(live, {"itemType": "Complaint", "eventType": "Closed"}) == 2
    assert event_count(live, {"eventType": "Urged"}) == 1
    assert event_count(live, {"itemType": "Task", "eventType": "Assigned"}) == 5
    # 04-01, Beijing: T1's progress report and L1's plan
    april_first = {
        "occurredFrom": "2021-04-01T00:00:00+08:00",
        "occurredTo": "2021-04-01T23:59:59+08:00",
    }
    assert event_count(live, april_first) == 2
    # the same day written in UTC: 03-31 16:00 to 04-01 16:00
    april_first_utc = {"occurredFrom": "2021-03-31T16:00:00Z", "occurredTo": "2021-04-01T15:59:59Z"}
    assert event_count(live, april_first_utc) == 2
    assert event_count(live, {"knownAt": story.phase_one_recorded_at}) == EVENTS_IN_PHASE_ONE
    assert event_count(live, {"recordedTo": story.phase_one_recorded_at}) == EVENTS_IN_PHASE_ONE
    assert event_count(live, {"recordedFrom": story.phase_one_recorded_at}) == (
        EVENTS_TODAY + 1 + tokens
    )
    assert event_count(live, {"knownAt": "2021-01-01T00:00:00Z"}) == 0
    # every import happened in 2021 and was recorded now: back-dated; today's acts are not
    assert event_count(live, {"backdatedOnly": True}) == EVENTS_IN_PHASE_ONE


def test_the_audit_trail_pages_through_every_matching_event_once_in_log_order(
    live: LiveServer,
) -> None:
    tell(live)

    nodes, pages = walk(
        live,
        "events",
        first=3,
        selection="position itemType type version",
        filter_type="EventFilter",
        given_filter={"itemType": "Complaint"},
        position=head(live),
    )

    positions = [n["position"] for n in nodes]
    assert len(nodes) == 20
    assert positions == sorted(set(positions))
    assert {n["itemType"] for n in nodes} == {"Complaint"}
    assert [p["totalCount"] for p in pages] == [20] * 7
    assert [n["type"] for n in nodes[:7]] == [
        "Received",
        "Dispatched",
        "SignedFor",
        "Verified",
        "RectificationReported",
        "CalledBack",
        "Closed",
    ]


@pytest.mark.slow
def test_an_audit_entry_says_who_did_what_when_and_with_which_data(live: LiveServer) -> None:
    story = tell(live)
    t1, a = story.tasks["T1"], story.units["a"]
    entry = live.gql(
        "query($f: EventFilter){ events(filter: $f) { nodes { position itemId itemType version"
        " type occurredAt recordedAt actor { id role unit } imported backdated data } } }",
        {"f": {"itemId": gid("Task", t1), "eventType": "ProgressReported"}},
    )["events"]["nodes"][0]

    assert entry["position"] == live.services.ledger.positions_of(t1)[4]
    assert (entry["itemId"], entry["itemType"], entry["version"]) == (str(t1), "Task", 4)
    assert entry["type"] == "ProgressReported"
    assert entry["occurredAt"] in ("2021-04-01T02:00:00+00:00", "2021-04-01T10:00:00+08:00")
    recorded = datetime.fromisoformat(entry["recordedAt"])
    assert datetime.fromisoformat(entry["occurredAt"]) < recorded
    assert recorded <= datetime.fromisoformat(story.phase_one_recorded_at)
    assert entry["actor"] == {"id": "li", "role": "UNIT", "unit": str(a)}
    assert (entry["imported"], entry["backdated"]) == (True, True)
    assert entry["data"]["percent"] == 40
    assert entry["data"]["narrative"] == "完成方案"
