"""What subscriptions deliver: ``ledgerEvents`` filtered by item types, item id and event
types; the views (``supervisionOverview``, ``legacyIssueTotals``) sending a snapshot then
coalesced updates; ``itemChanged`` following one item.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    ITEM_CHANGED,
    LEDGER_EVENTS,
    OVERVIEW,
    TOTALS,
    bare,
    events_of,
    head,
    receive_complaint,
    received_on,
    register_legacy_issue,
    register_task,
    register_unit,
    rename_unit,
    settle,
    ws,
)

# --- filters -------------------------------------------------------------------------------


def test_a_filter_on_item_types_delivers_only_those_items_events(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        feed = client.subscribe(
            LEDGER_EVENTS, {"after": head(live), "filter": {"itemTypes": ["Task", "LegacyIssue"]}}
        )
        receive_complaint(live, unit)
        task = register_task(live, "plant trees")
        rename_unit(live, unit, "Forestry Bureau")
        issue = register_legacy_issue(live, unit, baseline=False)
        receive_complaint(live, unit)
        marker = register_task(live, "marker")
        got = events_of(client, feed, 3)
    assert [(e["itemType"], e["position"]) for e in got] == [
        ("Task", task["position"]),
        ("LegacyIssue", issue["position"]),
        ("Task", marker["position"]),
    ]


def test_a_filter_on_an_item_id_delivers_only_that_items_events_global_or_bare(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    other = register_unit(live)["itemId"]
    with ws(live) as client:
        by_global = client.subscribe(LEDGER_EVENTS, {"after": 0, "filter": {"itemId": unit}})
        by_bare = client.subscribe(LEDGER_EVENTS, {"after": 0, "filter": {"itemId": bare(unit)}})
        rename_unit(live, other, "Other Bureau")
        receive_complaint(live, unit)
        rename_unit(live, unit, "First Bureau")
        rename_unit(live, other, "Other Bureau 2")
        rename_unit(live, unit, "First Bureau 2")
        for feed in (by_global, by_bare):
            got = events_of(client, feed, 3)
            assert [(e["type"], e["version"]) for e in got] == [
                ("Registered", 1),
                ("Renamed", 2),
                ("Renamed", 3),
            ]
            assert {e["itemId"] for e in got} == {bare(unit)}


def test_a_filter_on_event_types_combines_with_item_types(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        renamed = client.subscribe(
            LEDGER_EVENTS, {"after": 0, "filter": {"eventTypes": ["Renamed"]}}
        )
        registered_units = client.subscribe(
            LEDGER_EVENTS,
            {"after": 0, "filter": {"eventTypes": ["Registered"], "itemTypes": ["Unit"]}},
        )
        register_task(live, "a task registered, not a unit")
        first = rename_unit(live, unit, "Renamed Once")
        second_unit = register_unit(live)
        second = rename_unit(live, unit, "Renamed Twice")
        assert [e["position"] for e in events_of(client, renamed, 2)] == [
            first["position"],
            second["position"],
        ]
        got = events_of(client, registered_units, 2)
        assert [e["itemId"] for e in got] == [bare(unit), bare(second_unit["itemId"])]
        assert {(e["itemType"], e["type"]) for e in got} == {("Unit", "Registered")}


def test_a_filter_with_a_malformed_item_id_is_refused_when_subscribing(live: LiveServer) -> None:
    register_unit(live)
    with ws(live) as client:
        op = client.subscribe(
            LEDGER_EVENTS, {"after": head(live), "filter": {"itemId": "not-an-id"}}
        )
        message = client.message(op)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert "filter.itemId" in errors[0]["message"]


# --- the views ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_overview_sends_a_snapshot_then_a_new_one_when_a_complaint_is_received(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    receive_complaint(live, unit)
    settle(live)
    with ws(live) as client:
        op = client.subscribe(OVERVIEW)
        first = client.next(op)["supervisionOverview"]
        assert received_on(first, "HOTLINE_12345") == 1
        receive_complaint(live, unit, channel="MEDIA")
        second = client.next(op)["supervisionOverview"]
        assert received_on(second, "MEDIA") == received_on(first, "MEDIA") + 1
        assert received_on(second, "HOTLINE_12345") == 1
        assert second["asOf"] == first["asOf"]


@pytest.mark.slow
def test_a_burst_of_complaints_is_coalesced_into_few_overview_updates_the_last_one_complete(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    burst = 30
    aliases = " ".join(
        f"c{i}: receiveComplaint(input: {{channel: FAULT_FINDING, summary: "
        f'"pothole {i}", firstResponder: $u}}) {{ __typename }}'
        for i in range(burst)
    )
    settle(live)
    interval = live.services.limits.coalesce_seconds
    with ws(live) as client:
        op = client.subscribe(OVERVIEW)
        assert received_on(client.next(op)["supervisionOverview"], "FAULT_FINDING") == 0
        since_the_snapshot = time.monotonic()
        written = live.gql(f"mutation($u: ID!) {{ {aliases} }}", {"u": unit})
        assert {r["__typename"] for r in written.values()} == {"MutationSuccess"}
        counts: list[int] = []
        while not counts or counts[-1] < burst:
            counts.append(received_on(client.next(op)["supervisionOverview"], "FAULT_FINDING"))
        span = time.monotonic() - since_the_snapshot
        assert counts == sorted(set(counts))  # each update differs from the one before
        assert counts[-1] == burst
        # coalesced: at most one update per interval, however long the burst took to write
        # (a slow machine only allows more), not one per event
        assert len(counts) <= span / interval + 1, (len(counts), span)
        receive_complaint(live, unit, channel="FAULT_FINDING")  # nothing stale in between
        assert received_on(client.next(op)["supervisionOverview"], "FAULT_FINDING") == burst + 1


@pytest.mark.slow
def test_legacy_issue_totals_send_a_snapshot_then_the_totals_after_an_issue_is_registered(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    with ws(live) as client:
        op = client.subscribe(TOTALS)
        first = client.next(op)["legacyIssueTotals"]
        assert (first["total"], first["baseline"], first["remaining"]) == (0, 0, 0)
        register_legacy_issue(live, unit, baseline=True)
        second = client.next(op)["legacyIssueTotals"]
        assert (second["total"], second["baseline"], second["newSinceBaseline"]) == (1, 1, 0)
        receive_complaint(live, unit)  # the totals do not change: no update for it
        register_legacy_issue(live, unit, baseline=False)
        third = client.next(op)["legacyIssueTotals"]
        assert (third["total"], third["baseline"], third["newSinceBaseline"]) == (2, 1, 1)
        assert third["remaining"] == 2


@pytest.mark.slow
def test_item_changed_sends_the_node_then_each_new_version_and_nothing_for_other_items(
    live: LiveServer,
) -> None:
    unit = register_unit(live, "Audit Bureau")["itemId"]
    other = register_unit(live, "Tax Bureau")["itemId"]
    settle(live)
    with ws(live) as client:
        by_global = client.subscribe(ITEM_CHANGED, {"id": unit})
        by_bare = client.subscribe(ITEM_CHANGED, {"id": bare(unit)})
        first = {"__typename": "Unit", "id": unit, "version": 1, "name": "Audit Bureau"}
        assert client.next(by_global)["itemChanged"] == first
        assert client.next(by_bare)["itemChanged"] == first
        rename_unit(live, other, "Revenue Bureau")
        receive_complaint(live, other)
        register_task(live, "unrelated")
        renamed = rename_unit(live, unit, "Audit Office")
        for op in (by_global, by_bare):  # the next message is the rename: none for the others
            second = client.next(op)["itemChanged"]
            assert second["version"] == renamed["version"] == 2
            assert second["name"] == "Audit Office"
        rename_unit(live, unit, "Audit Office 2")
        assert client.next(by_global)["itemChanged"]["version"] == 3


def test_item_changed_on_an_item_not_yet_written_sends_null_then_the_item(
    live: LiveServer,
) -> None:
    task_id = str(uuid.uuid4())
    with ws(live) as client:
        op = client.subscribe(ITEM_CHANGED, {"id": f"Task:{task_id}"})
        assert client.next(op) == {"itemChanged": None}
        register_task(live, "someone else's task")
        register_task(live, "the awaited task", task_id=task_id)
        node = client.next(op)["itemChanged"]
        assert node == {
            "__typename": "Task",
            "id": f"Task:{task_id}",
            "version": 1,
            "title": "the awaited task",
        }
