"""Queries through the real HTTP API: Relay connections and their cursors, the filters people
use, nodes, units, the audit trail, the supervision views checked by hand against a known
sequence of acts, reading one's own writes, and a fixed number of SQL statements per page.

The story (``tell``) is entered straight into the server's ledger as imports, on 2021 business
dates, except two tasks of this year's plan assigned today (their lights depend on today).

Working days, 2021, default policy: a 12345 case received Mon 03-01 is due (close_by) on
03-08 (5 working days: 03-02, 03-03, 03-04, 03-05, 03-08); a media exposure received Tue 04-06
on 05-06 (20 working days: 04-07..04-09, 04-12..04-16, 04-19..04-23, Sun 04-25 made up,
04-26..04-30, then the Labour Day holiday 05-01..05-05, and 05-06).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.assessment import AssessmentKind, Verdict
from domain.channels import Channel
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.legacy_issue import LegacyCategory
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import (
    beijing,
    caught_up,
    gid,
    head,
    mutate,
    on,
    walk,
)

# Two tasks are due a month from today; late in the year that reaches into a year the
# official holiday data does not cover, which only warns (weekends are then the days off).


def d(month: int, day: int, year: int = 2021) -> date:
    return date(year, month, day)


@dataclass
class Story:
    """The ids of the story's items, by the names the tests use."""

    units: dict[str, UUID] = field(default_factory=dict)
    tasks: dict[str, UUID] = field(default_factory=dict)
    complaints: dict[str, UUID] = field(default_factory=dict)
    issues: dict[str, UUID] = field(default_factory=dict)
    others: dict[str, UUID] = field(default_factory=dict)
    phase_one_recorded_at: str = ""
    year: int = 0

    def names(self, kind: str, ids: list[str]) -> list[str]:
        """The story's names of a list of global ids (or bare uuids) of ``kind``."""
        by_id = {str(v): k for k, v in getattr(self, kind).items()}
        return [by_id[i.rpartition(":")[2]] for i in ids]


def tell(live: LiveServer) -> Story:
    """Units a, b, c; tasks T1-T6; complaints C1-C4; legacy issues L1-L3; a target; an
    interview, a referral and two assessments. See each act's comment for what it sets up."""
    ledger = live.services.ledger
    story = Story(year=live.services.today().year)
    units = story.units
    for key, name, kind in (
        ("a", "区住建局", UnitKind.DEPARTMENT),
        ("b", "区市场监管局", UnitKind.DEPARTMENT),
        ("c", "某街道", UnitKind.SUBDISTRICT),
    ):
        units[key] = ledger.register_unit(on(d(1, 4)), name=name, kind=kind).item_id
    a, b, c = units["a"], units["b"], units["c"]
    clerk = Actor("li", Role.UNIT, a)  # a clerk of unit a

    tell_tasks(ledger, story, clerk)
    tell_complaints(ledger, story)
    tell_legacy_issues(ledger, story)

    t1 = story.tasks["T1"]
    interview = ledger.schedule_interview(
        on(d(7, 1)),
        unit=a,
        interviewee="区住建局局长",
        reason="督办事项逾期",
        cited_items=[t1],
        scheduled_for=beijing(d(7, 5)),
    ).item_id
    ledger.hold_interview(
        on(d(7, 5)),
        interview,
        facts="逾期",
        commitments=["9月底前完成"],
        demands=[],
        rectify_by=d(9, 30),
    )
    assigned_position = ledger.positions_of(t1)[2]
    referral = ledger.refer_to_discipline(
        on(d(7, 6)), unit=a, reason="督办事项长期逾期", evidence=[assigned_position]
    ).item_id
    assessments = [
        ledger.record_assessment(
            on(d(7, 3)),
            unit=unit,
            period="2021-Q2",
            kind=AssessmentKind.UNIT_ASSESSMENT,
            score=score,
            verdict=verdict,
        ).item_id
        for unit, score, verdict in (
            (a, Decimal("92.5"), Verdict.REWARD),
            (b, Decimal("71"), Verdict.PENALTY),
        )
    ]
    story.others.update(interview=interview, referral=referral, assessment=assessments[0])
    story.phase_one_recorded_at = ledger.item_events(assessments[-1])[-1].recorded_at.isoformat()

    # This year's plan: T5 (lead a) due tomorrow, T6 (lead b, cooperating c) due in 30 days;
    # both assigned today, not back-dated.
    today = live.services.today()
    for key, number, lead, cooperating, days in (
        ("T5", 1, a, [], 1),
        ("T6", 2, b, [c], 30),
    ):
        task = ledger.register_task(
            CommandContext(Actor("office-zhang", Role.OFFICE)),
            plan_year=story.year,
            number=number,
            title=f"{story.year}年第{number}项",
        ).item_id
        ledger.assign_task(
            CommandContext(Actor("office-zhang", Role.OFFICE)),
            task,
            lead_units=[lead],
            cooperating_units=cooperating,
            deadline=today + timedelta(days=days),
        )
        story.tasks[key] = task
    caught_up(live)
    return story


def tell_tasks(ledger: Ledger, story: Story, clerk: Actor) -> None:
    a, b, c = story.units["a"], story.units["b"], story.units["c"]
    tasks = story.tasks
    for key, number in (("T1", 1), ("T2", 2), ("T3", 3), ("T4", 4)):
        tasks[key] = ledger.register_task(
            on(d(3, 1)), plan_year=2021, number=number, title=f"2021年第{number}项"
        ).item_id
    t1, t2, t3 = tasks["T1"], tasks["T2"], tasks["T3"]
    # T1: lead a, cooperating b, due 06-30; accepted and reported 40% by a's clerk; urged
    # on 04-12. Open, past its deadline: red.
    ledger.assign_task(on(d(3, 1)), t1, lead_units=[a], cooperating_units=[b], deadline=d(6, 30))
    ledger.accept_task(on(d(3, 2), actor=clerk), t1, unit=a)
    ledger.report_progress(on(d(4, 1), actor=clerk), t1, percent=40, narrative="完成方案")
    ledger.urge_task(on(d(4, 12)), t1, reason="进度滞后")
    # T2: lead b, due 03-31, closed (销号) on time on 03-25.
    ledger.assign_task(on(d(3, 1)), t2, lead_units=[b], deadline=d(3, 31))
    ledger.accept_task(on(d(3, 2)), t2, unit=b)
    ledger.request_completion(on(d(3, 25)), t2, summary="已完成")
    ledger.verify_task(on(d(3, 25)), t2, note="核验通过")
    # T3: lead c, cooperating a, due 09-30, never accepted; escalated to the office on 05-10.
    ledger.assign_task(on(d(3, 1)), t3, lead_units=[c], cooperating_units=[a], deadline=d(9, 30))
    ledger.escalate_task(on(d(5, 10)), t3, reason="需协调")
    # T4: registered only.


def tell_complaints(ledger: Ledger, story: Story) -> None:
    a, b, c = story.units["a"], story.units["b"], story.units["c"]
    cases = story.complaints
    # C1: 12345, received by a on Mon 03-01, settled and closed on 03-05 (due 03-08).
    c1 = cases["C1"] = ledger.receive_complaint(
        on(d(3, 1)), channel=Channel.HOTLINE_12345, summary="报装超时", first_responder=a
    ).item_id
    ledger.dispatch_complaint(on(d(3, 1)), c1, unit=a)
    ledger.sign_for_complaint(on(d(3, 1)), c1, unit=a)
    ledger.verify_complaint(on(d(3, 2)), c1, founded=True, finding="属实")
    ledger.report_rectification(on(d(3, 4)), c1, narrative="已整改")
    ledger.call_back(on(d(3, 5)), c1, satisfied=True)
    ledger.close_complaint(on(d(3, 5)), c1)
    # C2: 12345, received by a on 03-01, dispatched to b, who returns it (退单) on 03-02; left
    # open: overdue from 03-09.
    c2 = cases["C2"] = ledger.receive_complaint(
        on(d(3, 1)), channel=Channel.HOTLINE_12345, summary="办证难", first_responder=a
    ).item_id
    ledger.dispatch_complaint(on(d(3, 1)), c2, unit=b)
    ledger.return_complaint(on(d(3, 2)), c2, unit=b, reason="非本单位职责")
    # C3: a media exposure of c, received by b on 04-06, founded on 04-07, never rectified;
    # due 05-06.
    c3 = cases["C3"] = ledger.receive_complaint(
        on(d(4, 6)), channel=Channel.MEDIA, summary="媒体曝光", first_responder=b, subject_unit=c
    ).item_id
    ledger.dispatch_complaint(on(d(4, 6)), c3, unit=b)
    ledger.sign_for_complaint(on(d(4, 6)), c3, unit=b)
    ledger.verify_complaint(on(d(4, 7)), c3, founded=True, finding="属实")
    # C4: a 好差评 review of b, received by c on 05-10, found unfounded, appeal upheld, closed
    # on 05-12.
    c4 = cases["C4"] = ledger.receive_complaint(
        on(d(5, 10)),
        channel=Channel.GOOD_BAD_REVIEW,
        summary="差评",
        first_responder=c,
        subject_unit=b,
    ).item_id
    ledger.dispatch_complaint(on(d(5, 10)), c4, unit=c)
    ledger.sign_for_complaint(on(d(5, 10)), c4, unit=c)
    ledger.verify_complaint(on(d(5, 11)), c4, founded=False, finding="不属实")
    ledger.review_appeal(on(d(5, 12)), c4, upheld=True, note="维持")
    ledger.close_complaint(on(d(5, 12)), c4)


def tell_legacy_issues(ledger: Ledger, story: Story) -> None:
    a, b = story.units["a"], story.units["b"]
    issues = story.issues
    story.others["target"] = ledger.set_legacy_target(
        on(d(1, 5)), year=2021, goal="化解一批", due=d(12, 31), required_resolved_percent=100
    ).item_id
    # L1: land, baseline, unit a, target 2021; plan adopted 04-01, resolved (销号) 05-10.
    # L2: arrears, baseline, unit b, target 2022. L3: land, new since the baseline, unit a,
    # target 2021, registered 04-06.
    for key, day, category, unit, year, baseline in (
        ("L1", d(3, 2), LegacyCategory.LAND, a, 2021, True),
        ("L2", d(3, 2), LegacyCategory.ARREARS, b, 2022, True),
        ("L3", d(4, 6), LegacyCategory.LAND, a, 2021, False),
    ):
        issues[key] = ledger.register_legacy_issue(
            on(day),
            title=f"遗留问题{key}",
            category=category,
            cause="历史原因",
            responsible_unit=unit,
            target_year=year,
            baseline=baseline,
        ).item_id
    ledger.adopt_plan(on(d(4, 1)), issues["L1"], plan="分步化解")
    ledger.verify_resolution(on(d(5, 10)), issues["L1"], note="已化解")


def ids_of(live: LiveServer, field: str, filter_type: str, given: dict[str, Any]) -> list[str]:
    nodes, pages = walk(
        live, field, first=100, filter_type=filter_type, given_filter=given, position=head(live)
    )
    assert pages[0]["totalCount"] == len(nodes)
    return [n["id"] for n in nodes]


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


def on_backend(request: pytest.FixtureRequest, backend: str) -> LiveServer:
    found: LiveServer = request.getfixturevalue("live" if backend == "sqlite" else "live_postgres")
    return found


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


# Nodes and units


NODE_FIELDS = {
    "Unit": "name kind state",
    "Task": "state planYear number progress deadline light urgeCount leadUnits { name }"
    " cooperatingUnits { name }",
    "Complaint": "state channel receivedOn closeBy returns overdue firstResponder { name }"
    " accountableUnit { name } subjectUnit { name }",
    "LegacyIssue": "state category baseline targetYear registeredOn responsibleUnit { name }",
    "LegacyTarget": "year due requiredResolvedPercent",
    "Interview": "state rectifyBy unit { name }",
    "Referral": "state unit { name }",
    "Assessment": "period kind score verdict unit { name }",
}


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


# The views, by hand


OVERVIEW = """query($asOf: Date){ supervisionOverview(asOf: $asOf) { asOf
    channels { channel received open overdue returned rectified rectificationRate onTimeRate
               satisfactionRate rewards }
    league { period score verdict rank unit { name } } } }"""


def channel(overview: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in overview["channels"] if c["channel"] == name)
    return found


def test_the_supervision_overview_as_of_a_date_counts_what_had_happened_by_then(
    live: LiveServer,
) -> None:
    tell(live)

    def overview(as_of: str) -> dict[str, Any]:
        found: dict[str, Any] = live.gql(OVERVIEW, {"asOf": as_of})["supervisionOverview"]
        assert found["asOf"] == as_of
        return found

    # 03-01: C1 and C2 received, nothing else yet
    march_1 = channel(overview("2021-03-01"), "HOTLINE_12345")
    assert {k: march_1[k] for k in ("received", "open", "overdue", "returned", "rectified")} == {
        "received": 2,
        "open": 2,
        "overdue": 0,
        "returned": 0,
        "rectified": 0,
    }
    assert march_1["rectificationRate"] is None
    # 03-08: C1 closed on 03-05; C2 returned, open, due this very day: not yet overdue
    march_8 = channel(overview("2021-03-08"), "HOTLINE_12345")
    assert (march_8["open"], march_8["overdue"], march_8["returned"]) == (1, 0, 1)
    # 03-31: C2 overdue; C1 rectified (1 of the 1 verified), closed on time, caller satisfied
    march_31 = overview("2021-03-31")
    hotline = channel(march_31, "HOTLINE_12345")
    assert {k: hotline[k] for k in ("received", "open", "overdue", "returned", "rectified")} == {
        "received": 2,
        "open": 1,
        "overdue": 1,
        "returned": 1,
        "rectified": 1,
    }
    assert (hotline["rectificationRate"], hotline["onTimeRate"], hotline["satisfactionRate"]) == (
        100.0,
        100.0,
        100.0,
    )
    assert channel(march_31, "MEDIA")["received"] == 0
    # 05-31: the exposure C3 (due 05-06) open and overdue; the review C4 closed after an
    # upheld appeal, so nothing of it to rectify
    may_31 = overview("2021-05-31")
    media, review = channel(may_31, "MEDIA"), channel(may_31, "GOOD_BAD_REVIEW")
    assert (media["received"], media["open"], media["overdue"]) == (1, 1, 1)
    assert (media["rectified"], media["rectificationRate"]) == (0, 0.0)
    assert (review["received"], review["open"], review["rectificationRate"]) == (1, 0, None)
    # the league table: Q2 assessments recorded on 07-03
    assert overview("2021-06-30")["league"] == []
    league = overview("2021-07-31")["league"]
    assert [
        (e["period"], Decimal(e["score"]), e["verdict"].lower(), e["rank"], e["unit"]["name"])
        for e in league
    ] == [
        ("2021-Q2", Decimal("92.5"), "reward", 1, "区住建局"),
        ("2021-Q2", Decimal("71"), "penalty", 2, "区市场监管局"),
    ]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_assessment_score_reads_back_as_recorded_or_is_refused(
    request: pytest.FixtureRequest, backend: str
) -> None:
    live = on_backend(request, backend)
    unit = mutate(live, "registerUnit", {"name": "区住建局", "kind": "DEPARTMENT"})["itemId"]

    result = mutate(
        live,
        "recordAssessment",
        {"unit": unit, "period": "2026-Q3", "kind": "UNIT_ASSESSMENT", "score": "88.25"},
        item_fields="... on Assessment { score }",
    )

    if result["__typename"] == "ValidationError":
        assert result["field"] == "score"
    else:
        assert Decimal(result["item"]["score"]) == Decimal("88.25")


TOTALS = """query($asOf: Date){ legacyIssueTotals(asOf: $asOf) { asOf total baseline
    newSinceBaseline resolved suspended remaining resolutionRate
    byCategory { key total resolved remaining } byUnit { key total resolved remaining }
    monthly { month registered resolved totalToDate resolvedToDate }
    targets { year dueIssues resolved resolvedPercent met } } }"""


def test_the_legacy_issue_totals_as_of_a_date_count_what_had_happened_by_then(
    live: LiveServer,
) -> None:
    story = tell(live)

    march = live.gql(TOTALS, {"asOf": "2021-03-31"})["legacyIssueTotals"]
    june = live.gql(TOTALS, {"asOf": "2021-06-30"})["legacyIssueTotals"]

    # 03-31: L1 and L2, both in the baseline, none resolved
    assert {k: march[k] for k in ("total", "baseline", "newSinceBaseline", "resolved")} == {
        "total": 2,
        "baseline": 2,
        "newSinceBaseline": 0,
        "resolved": 0,
    }
    assert march["remaining"] == 2
    # 06-30: L3 new since the baseline; L1 resolved on 05-10: 1 of 3 = 33.3 %
    assert {k: june[k] for k in ("total", "baseline", "newSinceBaseline", "resolved")} == {
        "total": 3,
        "baseline": 2,
        "newSinceBaseline": 1,
        "resolved": 1,
    }
    assert (june["remaining"], june["suspended"], june["resolutionRate"]) == (2, 0, 33.3)
    # (total, resolved, remaining) by category (keyed by the category's value) and by unit
    assert {
        b["key"].lower(): (b["total"], b["resolved"], b["remaining"]) for b in june["byCategory"]
    } == {"land": (2, 1, 1), "arrears": (1, 0, 1)}
    assert {b["key"]: (b["total"], b["resolved"], b["remaining"]) for b in june["byUnit"]} == {
        str(story.units["a"]): (2, 1, 1),
        str(story.units["b"]): (1, 0, 1),
    }
    assert june["monthly"] == [
        {"month": "2021-03", "registered": 2, "resolved": 0, "totalToDate": 2, "resolvedToDate": 0},
        {"month": "2021-04", "registered": 1, "resolved": 0, "totalToDate": 3, "resolvedToDate": 0},
        {"month": "2021-05", "registered": 0, "resolved": 1, "totalToDate": 3, "resolvedToDate": 1},
    ]
    # the 2021 target: issues due by 2021 are L1 and L3; one resolved, 100 % required
    assert june["targets"] == [
        {"year": 2021, "dueIssues": 2, "resolved": 1, "resolvedPercent": 50.0, "met": False}
    ]


SCORECARDS = """query($period: String!){ unitScorecards(period: $period)
    { period name figures overdueTasks assessments unit { id } } }"""


def test_unit_scorecards_count_each_units_acts_in_the_period(live: LiveServer) -> None:
    story = tell(live)

    def cards(period: str) -> dict[str, dict[str, Any]]:
        found = live.gql(SCORECARDS, {"period": period})["unitScorecards"]
        assert {c["period"] for c in found} == {period}
        return {c["name"]: c for c in found}

    q1, q2, year = cards("2021-Q1"), cards("2021-Q2"), cards("2021")

    assert list(q1) == ["区住建局", "区市场监管局", "某街道"]
    assert q1["区住建局"]["unit"]["id"] == gid("Unit", story.units["a"])
    a_q1, b_q1 = q1["区住建局"]["figures"], q1["区市场监管局"]["figures"]
    # Q1, unit a: led T1; answered for C1 and C2 (first responder), closed C1 on time with
    # the caller satisfied
    assert (a_q1["tasks_led"], a_q1["received"], a_q1["closed"]) == (1, 2, 1)
    assert (a_q1["closed_on_time"], a_q1["satisfied"]) == (1, 1)
    # Q1, unit b: led T2 and closed it on time; returned C2 (退单)
    assert (b_q1["tasks_led"], b_q1["tasks_closed"], b_q1["tasks_closed_on_time"]) == (1, 1, 1)
    assert b_q1["returned"] == 1
    assert "urges" not in a_q1
    # Q2: T1 urged (lead a); C3 a founded media exposure of c; the Q2 assessments
    assert q2["区住建局"]["figures"]["urges"] == 1
    assert q2["某街道"]["figures"]["media_exposures"] == 1
    assert q2["区住建局"]["assessments"] == {"unit_assessment": "92.5"}
    # overdue at the end of Q2 (06-30): none (T1 is due that day); at the end of the year:
    # T1 (lead a) and T3 (lead c)
    assert {name: card["overdueTasks"] for name, card in q2.items()} == {
        "区住建局": 0,
        "区市场监管局": 0,
        "某街道": 0,
    }
    assert {name: card["overdueTasks"] for name, card in year.items()} == {
        "区住建局": 1,
        "区市场监管局": 0,
        "某街道": 1,
    }


def test_a_period_that_is_neither_a_year_nor_a_quarter_is_refused(live: LiveServer) -> None:
    response = live.post(SCORECARDS, {"period": "2021-Q5"})
    body = response.json()
    assert body["data"] is None
    assert "quarter" in body["errors"][0]["message"]


def test_interview_candidates_are_the_units_meeting_the_criteria_with_the_items_behind_them(
    live: LiveServer,
) -> None:
    story = tell(live)

    candidates = live.gql("{ interviewCandidates { name reasons interviewsSoFar unit { id } } }")[
        "interviewCandidates"
    ]

    # c: leads T3, overdue, and C3 exposed it and is unrectified past its deadline (two
    # reasons, so first); a: leads T1, overdue, and was interviewed once. b: nothing overdue.
    assert candidates == [
        {
            "name": "某街道",
            "reasons": {
                "overdue_tasks": [str(story.tasks["T3"])],
                "unrectified_exposures": [str(story.complaints["C3"])],
            },
            "interviewsSoFar": 0,
            "unit": {"id": gid("Unit", story.units["c"])},
        },
        {
            "name": "区住建局",
            "reasons": {"overdue_tasks": [str(story.tasks["T1"])]},
            "interviewsSoFar": 1,
            "unit": {"id": gid("Unit", story.units["a"])},
        },
    ]


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


def test_a_position_the_read_models_have_not_reached_is_refused_rather_than_answered_stale(
    live: LiveServer,
) -> None:
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


# No N+1


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
