"""The big screen's aggregate views (``taskBoard``, ``oversightTotals``, the overview's
``monthly``): a viewer reads them, they agree with the lists the office reads, and their
subscriptions send a snapshot then a new one after a mutation changes them."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.calendar import CHINA_TIME
from domain.clock import ShiftedClock
from tests.api.conftest import LiveServer, start_server, stop_server
from tests.api.helpers import mutate
from tests.api.query_story import tell
from tests.api.subscription_helpers import register_task, register_unit, settle, ws
from tests.conftest import settings_for

VIEWER = "viewer:screen"
BOARD = """query($asOf: Date){ taskBoard(asOf: $asOf) { asOf open
    byLight { light count } byTier { tier count } byState { state count }
    attention { id title leadUnits deadline light tier state } } }"""
OVERSIGHT = """query($asOf: Date){ oversightTotals(asOf: $asOf) { asOf interviews referrals
    interviewsByState { state count } referralsByState { state count }
    monthly { month interviews referrals } } }"""
MONTHLY = """query($asOf: Date){ supervisionOverview(asOf: $asOf) { asOf
    monthly { month received closed overdue channels { channel received closed overdue } } } }"""
TASKS = """{ tasks(first: 100) { totalCount edges { node {
    id title state light tier deadline leadUnits { name } } } } }"""


def listed(live: LiveServer, field: str, fields: str) -> list[dict[str, Any]]:
    page = live.gql(f"{{ {field}(first: 100) {{ edges {{ node {{ {fields} }} }} }} }}")
    return [edge["node"] for edge in page[field]["edges"]]


def counts(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {row[key]: row["count"] for row in rows}


@pytest.mark.slow
def test_the_task_board_counts_what_the_office_reads_in_the_task_list(live: LiveServer) -> None:
    tell(live)
    board = live.gql(BOARD, actor=VIEWER)["taskBoard"]
    tasks = [e["node"] for e in live.gql(TASKS)["tasks"]["edges"]]
    open_ = [t for t in tasks if t["state"] in ("ASSIGNED", "IN_PROGRESS", "COMPLETION_REQUESTED")]
    assert board["open"] == len(open_) == 4  # T1, T3, T5, T6
    assert counts(board["byLight"], "light") == {
        light: Counter(t["light"] for t in open_)[light] for light in ("GREEN", "YELLOW", "RED")
    }
    assert counts(board["byTier"], "tier") == {
        tier: Counter(t["tier"] for t in open_)[tier]
        for tier in ("TASK_FORCE", "OFFICE", "LEADING_GROUP")
    }
    assert counts(board["byState"], "state") == {
        state: Counter(t["state"] for t in tasks)[state]
        for state in ("REGISTERED", "ASSIGNED", "IN_PROGRESS", "COMPLETION_REQUESTED", "CLOSED")
    }
    assert board["attention"] == [
        {
            "id": t["id"],
            "title": t["title"],
            "leadUnits": [u["name"] for u in t["leadUnits"]],
            "deadline": t["deadline"],
            "light": t["light"],
            "tier": t["tier"],
            "state": t["state"],
        }
        for t in open_
        if t["light"] == "RED" or t["tier"] != "TASK_FORCE"
    ]
    assert [t["title"] for t in board["attention"]] == ["2021年第1项", "2021年第3项"]
    # On 2021-05-01 T3 was not yet escalated (05-10) and T1 not yet due (06-30).
    may = live.gql(BOARD, {"asOf": "2021-05-01"}, actor=VIEWER)["taskBoard"]
    assert (may["open"], may["attention"]) == (2, [])


@pytest.mark.slow
def test_the_oversight_totals_count_what_the_office_reads_in_the_lists(live: LiveServer) -> None:
    tell(live)
    totals = live.gql(OVERSIGHT, actor=VIEWER)["oversightTotals"]
    interviews = listed(live, "interviews", "state")
    referrals = listed(live, "referrals", "state")
    assert (totals["interviews"], totals["referrals"]) == (len(interviews), len(referrals))
    assert {k: v for k, v in counts(totals["interviewsByState"], "state").items() if v} == dict(
        Counter(i["state"] for i in interviews)
    )
    assert {k: v for k, v in counts(totals["referralsByState"], "state").items() if v} == dict(
        Counter(r["state"] for r in referrals)
    )
    july = live.gql(OVERSIGHT, {"asOf": "2021-07-31"}, actor=VIEWER)["oversightTotals"]
    assert july["monthly"][-1] == {"month": "2021-07", "interviews": 1, "referrals": 1}
    assert [m["month"] for m in july["monthly"]] == [f"2021-{m:02d}" for m in range(1, 8)]
    assert counts(july["interviewsByState"], "state")["HELD"] == 1


@pytest.mark.slow
def test_the_overview_gives_a_viewer_each_months_figures_zone_wide_and_per_channel(
    live: LiveServer,
) -> None:
    tell(live)
    months = live.gql(MONTHLY, {"asOf": "2021-05-31"}, actor=VIEWER)["supervisionOverview"][
        "monthly"
    ]
    assert [m["month"] for m in months] == [f"2021-{m:02d}" for m in range(1, 6)]
    march = months[2]
    hotline = next(c for c in march["channels"] if c["channel"] == "HOTLINE_12345")
    # C1 and C2 received on 03-01; C1 closed on 03-05; C2 overdue from 03-09.
    assert (hotline["received"], hotline["closed"], hotline["overdue"]) == (2, 1, 1)
    for month in months:
        for figure in ("received", "closed", "overdue"):
            assert month[figure] == sum(c[figure] for c in month["channels"])


def test_a_unit_is_refused_the_zone_wide_figures_a_viewer_reads(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"].rpartition(":")[2]
    for document, field, figure in (
        (BOARD, "taskBoard", "open"),
        (OVERSIGHT, "oversightTotals", "interviews"),
    ):
        assert live.gql(document, actor=VIEWER)[field][figure] == 0
        body = live.post(document, actor=f"unit:li:{unit}").json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    refused = live.post("{ tasks(first: 1) { totalCount } }", actor=VIEWER).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]


@pytest.mark.slow
def test_the_task_board_subscription_sends_a_new_board_after_a_task_is_assigned(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    task = register_task(live, "plant trees")["itemId"]
    settle(live)
    with ws(live, VIEWER) as client:
        op = client.subscribe("subscription { taskBoard { open byState { state count } } }")
        first = client.next(op)["taskBoard"]
        assert first["open"] == 0
        assert counts(first["byState"], "state")["REGISTERED"] == 1
        deadline = live.services.today() + timedelta(days=60)
        assigned = mutate(
            live,
            "assignTask",
            {"taskId": task, "leadUnits": [unit], "deadline": deadline.isoformat()},
        )
        assert assigned["__typename"] == "MutationSuccess", assigned
        second = client.next(op)["taskBoard"]
        assert second["open"] == 1
        assert counts(second["byState"], "state")["ASSIGNED"] == 1


@pytest.mark.slow
def test_the_oversight_subscription_sends_new_totals_after_an_interview_is_scheduled(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    task = register_task(live, "plant trees")["itemId"]
    settle(live)
    with ws(live, VIEWER) as client:
        op = client.subscribe("subscription { oversightTotals { interviews referrals } }")
        assert client.next(op)["oversightTotals"] == {"interviews": 0, "referrals": 0}
        when = live.services.ledger.clock().replace(microsecond=0)
        scheduled = mutate(
            live,
            "scheduleInterview",
            {
                "unit": unit,
                "interviewee": "局长",
                "reason": "督办事项逾期",
                "citedItems": [task],
                "scheduledFor": (when + timedelta(days=7)).isoformat(),
            },
        )
        assert scheduled["__typename"] == "MutationSuccess", scheduled
        assert client.next(op)["oversightTotals"] == {"interviews": 1, "referrals": 0}


def test_an_overview_read_without_its_monthly_series_does_not_read_the_months(
    live: LiveServer,
) -> None:
    tell(live)
    plain = "{ supervisionOverview { asOf channels { channel received open overdue } } }"
    live.gql(plain)  # the units and the rest loaded once
    with live.count_queries() as without_months:
        live.gql(plain)
    with live.count_queries() as with_months:
        months = live.gql(MONTHLY, {"asOf": "2021-12-31"})["supervisionOverview"]["monthly"]
    assert len(months) == 12
    assert with_months.count >= without_months.count + 12  # a query a month, only when asked


@pytest.mark.slow
def test_a_view_followed_as_of_today_is_sent_again_at_midnight_with_nothing_written(
    sqlite_url: str,
) -> None:
    almost_april = datetime(2027, 3, 31, 23, 59, 58, tzinfo=CHINA_TIME)  # 2 s to midnight
    settings = replace(settings_for(sqlite_url), clock=ShiftedClock(almost_april, time.time()))
    live = start_server(settings)
    try:
        with ws(live, VIEWER) as client:
            board = client.subscribe("subscription { taskBoard { asOf open } }")
            overview = client.subscribe("subscription { supervisionOverview { asOf } }")
            fixed = client.subscribe('subscription { taskBoard(asOf: "2027-03-31") { asOf } }')
            assert client.next(fixed)["taskBoard"] == {"asOf": "2027-03-31"}
            for op, field in ((board, "taskBoard"), (overview, "supervisionOverview")):
                days = [client.next(op)[field]["asOf"]]
                if days[0] == "2027-03-31":  # as it should be, unless starting took 2 s
                    days.append(client.next(op)[field]["asOf"])  # sent at midnight
                assert days[-1] == "2027-04-01", days
        assert live.services.ledger.recorder.max_notification_id() == 1  # the token alone
    finally:
        stop_server(live)


INTAKES = "subscription { supervisionOverview { intakes { intake { key } awaitingOverdue } } }"
SECONDS_TO_DUE = 3


def awaiting_overdue(snapshot: dict[str, Any]) -> int:
    return sum(i["awaitingOverdue"] for i in snapshot["supervisionOverview"]["intakes"])


@pytest.mark.slow
def test_a_screen_following_the_overview_sees_a_receipt_fall_late_at_its_hour_with_nothing_written(
    sqlite_url: str,
) -> None:
    noon = datetime(2027, 3, 31, 12, 0, tzinfo=CHINA_TIME)
    settings = replace(settings_for(sqlite_url), clock=ShiftedClock(noon, time.time()))
    live = start_server(settings)
    try:
        unit = register_unit(live)["itemId"]
        # received on the 24-hour line almost a day ago: its receipt falls due in 3 s
        received = settings.clock() - timedelta(hours=24, seconds=-SECONDS_TO_DUE)
        given = {
            "channel": "HOTLINE_12345",
            "summary": "夜间来电",
            "firstResponder": unit,
            "intake": "complaint_line_24h",
            "occurredAt": received.isoformat(),
        }
        assert mutate(live, "receiveComplaint", given)["__typename"] == "MutationSuccess"
        with ws(live, VIEWER) as client:
            settle(live)
            written = live.services.ledger.recorder.max_notification_id()  # the token's last
            op = client.subscribe(INTAKES)
            seen = [awaiting_overdue(client.next(op))]
            if seen[0] == 0:  # as it should be, unless starting took 3 s
                seen.append(awaiting_overdue(client.next(op)))  # sent when it falls due
            assert seen[-1] == 1, seen
        assert live.services.ledger.recorder.max_notification_id() == written
    finally:
        stop_server(live)
