"""The filters people use on the lists of tasks, complaints, legacy issues and interviews,
checked against the story (tests/api/query_story.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import LiveServer
from tests.api.helpers import gid, head, walk
from tests.api.query_story import ids_of, on_backend, tell

# Filters


TASK_FILTERS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("everything", {}, ["T1", "T2", "T3", "T4", "T5", "T6"]),
    ("unit-a-leads-or-cooperates", {"unit": "a"}, ["T1", "T3", "T5"]),
    ("unit-c-leads-or-cooperates", {"unit": "c"}, ["T3", "T6"]),
    ("closed", {"states": ["CLOSED"]}, ["T2"]),
    ("assigned", {"states": ["ASSIGNED"]}, ["T3", "T5", "T6"]),
    ("in-progress-or-registered", {"states": ["IN_PROGRESS", "REGISTERED"]}, ["T1", "T4"]),
    ("red", {"lights": ["RED"]}, ["T1", "T3"]),
    ("yellow", {"lights": ["YELLOW"]}, ["T5"]),
    ("green", {"lights": ["GREEN"]}, ["T6"]),
    ("green-or-yellow", {"lights": ["GREEN", "YELLOW"]}, ["T5", "T6"]),
    ("plan-year-2021", {"planYear": 2021}, ["T1", "T2", "T3", "T4"]),
    ("plan-year-this-year", {"planYear": "this"}, ["T5", "T6"]),
    ("no-plan-that-year", {"planYear": 2019}, []),
    (
        "deadline-april-to-september",
        {"deadlineFrom": "2021-04-01", "deadlineTo": "2021-09-30"},
        ["T1", "T3"],
    ),
    ("deadline-by-march", {"deadlineTo": "2021-03-31"}, ["T2"]),
    ("deadline-from-july", {"deadlineFrom": "2021-07-01"}, ["T3", "T5", "T6"]),
    ("escalated-to-the-office", {"tiers": ["OFFICE"]}, ["T3"]),
    ("unit-a-in-progress", {"unit": "a", "states": ["IN_PROGRESS"]}, ["T1"]),
    ("unit-b-red", {"unit": "b", "lights": ["RED"]}, ["T1"]),
    ("no-states", {"states": []}, []),
]


@pytest.mark.slow
def test_the_task_filters_people_use_find_what_was_set_up(live: LiveServer) -> None:
    story = tell(live)
    for case, given, expected in TASK_FILTERS:
        resolved = dict(given)
        if "unit" in resolved:
            resolved["unit"] = gid("Unit", story.units[resolved["unit"]])
        if resolved.get("planYear") == "this":
            resolved["planYear"] = story.year
        found = ids_of(live, "tasks", "TaskFilter", resolved)
        assert story.names("tasks", found) == expected, case


COMPLAINT_FILTERS: list[tuple[str, dict[str, Any], set[str]]] = [
    ("everything", {}, {"C1", "C2", "C3", "C4"}),
    ("hotline", {"channels": ["HOTLINE_12345"]}, {"C1", "C2"}),
    ("media-or-review", {"channels": ["MEDIA", "GOOD_BAD_REVIEW"]}, {"C3", "C4"}),
    ("three-teams", {"channels": ["THREE_TEAMS"]}, set()),
    ("overdue-only", {"overdueOnly": True}, {"C2", "C3"}),
    ("overdue-hotline", {"overdueOnly": True, "channels": ["HOTLINE_12345"]}, {"C2"}),
    ("received-from-april", {"receivedFrom": "2021-04-01"}, {"C3", "C4"}),
    ("received-by-march", {"receivedTo": "2021-03-31"}, {"C1", "C2"}),
    ("received-in-april", {"receivedFrom": "2021-04-01", "receivedTo": "2021-04-30"}, {"C3"}),
    ("received-on-the-day", {"receivedFrom": "2021-05-10", "receivedTo": "2021-05-10"}, {"C4"}),
    ("closed", {"states": ["CLOSED"]}, {"C1", "C4"}),
    ("returned", {"states": ["RETURNED"]}, {"C2"}),
    ("concerning-unit-c", {"unit": "c"}, {"C3", "C4"}),
]


def test_the_complaint_filters_people_use_find_what_was_set_up(live: LiveServer) -> None:
    story = tell(live)
    for case, given, expected in COMPLAINT_FILTERS:
        resolved = dict(given)
        if "unit" in resolved:
            resolved["unit"] = gid("Unit", story.units[resolved["unit"]])
        found = ids_of(live, "complaints", "ComplaintFilter", resolved)
        assert set(story.names("complaints", found)) == expected, case
        assert len(found) == len(expected), case


def test_complaints_come_oldest_received_first(live: LiveServer) -> None:
    story = tell(live)
    nodes, _ = walk(live, "complaints", first=2, selection="id receivedOn", position=head(live))
    received = [n["receivedOn"] for n in nodes]
    assert received == ["2021-03-01", "2021-03-01", "2021-04-06", "2021-05-10"]
    assert set(story.names("complaints", [n["id"] for n in nodes[:2]])) == {"C1", "C2"}


LEGACY_FILTERS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("everything", {}, ["L1", "L2", "L3"]),
    ("land", {"categories": ["LAND"]}, ["L1", "L3"]),
    ("arrears", {"categories": ["ARREARS"]}, ["L2"]),
    ("land-or-arrears", {"categories": ["LAND", "ARREARS"]}, ["L1", "L2", "L3"]),
    ("expropriation", {"categories": ["EXPROPRIATION"]}, []),
    ("baseline", {"baseline": True}, ["L1", "L2"]),
    ("new-since-baseline", {"baseline": False}, ["L3"]),
    ("land-in-the-baseline", {"categories": ["LAND"], "baseline": True}, ["L1"]),
    ("resolved", {"states": ["RESOLVED"]}, ["L1"]),
    ("target-2021", {"targetYear": 2021}, ["L1", "L3"]),
    ("unit-b", {"unit": "b"}, ["L2"]),
    ("registered-from-april", {"registeredFrom": "2021-04-01"}, ["L3"]),
]


@pytest.mark.slow
def test_the_legacy_issue_filters_people_use_find_what_was_set_up(live: LiveServer) -> None:
    story = tell(live)
    for case, given, expected in LEGACY_FILTERS:
        resolved = dict(given)
        if "unit" in resolved:
            resolved["unit"] = gid("Unit", story.units[resolved["unit"]])
        found = ids_of(live, "legacyIssues", "LegacyIssueFilter", resolved)
        assert sorted(story.names("issues", found)) == expected, case


def test_a_filter_naming_a_unit_by_another_items_id_is_refused(live: LiveServer) -> None:
    story = tell(live)
    response = live.post(
        "query($f: TaskFilter){ tasks(filter: $f) { totalCount } }",
        {"f": {"unit": gid("Task", story.tasks["T1"])}},
    )
    body = response.json()
    assert body["data"] is None
    assert "is not a Unit id" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ],
)
def test_an_interview_is_found_by_a_scheduled_window_written_in_beijing_time(
    request: pytest.FixtureRequest, backend: str
) -> None:
    live = on_backend(request, backend)
    story = tell(live)  # the interview is at 10:00 Beijing on 2021-07-05

    found = ids_of(
        live,
        "interviews",
        "InterviewFilter",
        {"scheduledFrom": "2021-07-05T09:00:00+08:00", "scheduledTo": "2021-07-05T11:00:00+08:00"},
    )

    assert found == [gid("Interview", story.others["interview"])]


@pytest.mark.slow
def test_an_interview_is_found_by_a_scheduled_window_written_in_utc(live: LiveServer) -> None:
    story = tell(live)
    inside = {"scheduledFrom": "2021-07-05T01:00:00Z", "scheduledTo": "2021-07-05T03:00:00Z"}
    after = {"scheduledFrom": "2021-07-05T03:00:00Z"}

    assert ids_of(live, "interviews", "InterviewFilter", inside) == [
        gid("Interview", story.others["interview"])
    ]
    assert ids_of(live, "interviews", "InterviewFilter", after) == []
    assert ids_of(live, "interviews", "InterviewFilter", {"states": ["HELD"]}) == [
        gid("Interview", story.others["interview"])
    ]
