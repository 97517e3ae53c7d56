"""Who may subscribe to what: a socket without a valid token is closed before its ack, a
revoked token ends its subscriptions, a viewer follows only the overview, a unit's staff
only their own unit's items, and complainants are shown or masked as the policy says.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from api.cli.tokens import revoke
from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    ITEM_CHANGED,
    LEDGER_EVENTS,
    OFFICE,
    OVERVIEW,
    bare,
    end_of,
    events_of,
    head,
    receive_complaint,
    register_legacy_issue,
    register_task,
    register_unit,
    rename_unit,
    ws,
)
from tests.api.ws_client import PROTOCOL, TIMEOUT, InProcess, session

# --- who may subscribe to what -------------------------------------------------------------


def close_code_after_init(live: LiveServer, payload: dict[str, Any]) -> int | None:
    """Send ``connection_init`` with ``payload``; the code the server closes with (None if
    it acknowledged instead)."""
    init = json.dumps({"type": "connection_init", "payload": payload})
    if live.served is None:  # in-process
        with session(live.client) as in_process:
            try:
                in_process.send_text(init)
                answer = json.loads(InProcess(in_process).recv(timeout=TIMEOUT))
            except WebSocketDisconnect as closed:
                return closed.code
    else:
        with connect(live.ws_url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT) as raw:
            try:
                raw.send(init)
                answer = json.loads(raw.recv(timeout=TIMEOUT))
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd is not None else -1
    assert answer["type"] == "connection_ack", answer
    return None


@pytest.mark.slow
def test_a_websocket_without_a_token_or_with_an_unknown_one_is_closed_before_an_ack(
    served: LiveServer,
) -> None:
    live = served  # the close code, as a real socket receives it
    for payload in ({}, {"authorization": "Bearer sl_not-a-token"}, {"authorization": "x"}):
        assert close_code_after_init(live, payload) == 4403, payload
    assert close_code_after_init(live, live.auth()) is None


def test_revoking_a_token_ends_the_subscriptions_opened_with_it_and_no_others(
    live: LiveServer,
) -> None:
    revokee = "office:office-li"
    secret = live.token(revokee)
    unit = register_unit(live)["itemId"]
    with ws(live, revokee) as doomed, ws(live) as other:
        feed = doomed.subscribe(LEDGER_EVENTS, {"after": head(live)})
        overview = doomed.subscribe(OVERVIEW)
        doomed.next(overview)
        survivor = other.subscribe(LEDGER_EVENTS, {"after": head(live)})
        revoke(live.services.ledger, secret, "moved to another post", OFFICE)
        for op in (feed, overview):
            messages = end_of(doomed, op)
            assert any("revoked" in m for m in messages), messages
        renamed = rename_unit(live, unit, "Still Followed")
        got = events_of(other, survivor, 2)  # the revocation, then the rename
        assert [(e["itemType"], e["type"]) for e in got] == [
            ("AccessToken", "Revoked"),
            ("Unit", "Renamed"),
        ]
        assert got[1]["position"] == renamed["position"]
    assert close_code_after_init(live, live.auth(revokee)) == 4403


def test_a_viewer_may_follow_the_overview_but_not_the_log_nor_an_item(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live, "viewer:screen-1") as client:
        log = client.subscribe(LEDGER_EVENTS, {"after": 0})
        item = client.subscribe(ITEM_CHANGED, {"id": unit})
        overview = client.subscribe(OVERVIEW)
        for op in (log, item):
            messages = end_of(client, op)
            assert any(m.startswith("Forbidden") for m in messages), messages
        assert "channels" in client.next(overview)["supervisionOverview"]


def test_a_units_staff_follow_only_the_events_of_their_own_units_items(
    live: LiveServer,
) -> None:
    ours = register_unit(live, "Street Office A")["itemId"]
    theirs = register_unit(live, "Street Office B")["itemId"]
    with ws(live, f"unit:wang:{bare(ours)}") as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        register_legacy_issue(live, theirs, baseline=True)
        own_issue = register_legacy_issue(live, ours, baseline=True)
        rename_unit(live, theirs, "Street Office B2")
        register_task(live, "a zone-wide task not yet assigned")
        own_rename = rename_unit(live, ours, "Street Office A2")
        got = events_of(client, feed, 2)
        assert [e["position"] for e in got] == [own_issue["position"], own_rename["position"]]
        assert {e["itemId"] for e in got} == {bare(own_issue["itemId"]), bare(ours)}


def test_the_live_feed_shows_complainants_to_the_office_with_a_purpose_and_masks_them_for_a_leader(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    live.token("leader:chen")  # issued (an event) before the head is taken
    start = head(live)
    complaint = receive_complaint(live, unit, complainant=("Li Si", "13812341234"))
    with ws(live, "leader:chen") as leader_ws, ws(live) as office_ws:
        leader = leader_ws.subscribe(LEDGER_EVENTS, {"after": start, "purpose": "回访核实"})
        (masked,) = events_of(leader_ws, leader, 1)
        assert masked["position"] == complaint["position"]
        assert masked["data"]["complainant_name"] == "L****"
        assert masked["data"]["complainant_phone"] == "138****1234"

        office = office_ws.subscribe(LEDGER_EVENTS, {"after": start, "purpose": "回访核实"})
        clear, disclosure = events_of(office_ws, office, 2)
        assert clear["data"]["complainant_name"] == "Li Si"
        assert clear["data"]["complainant_phone"] == "13812341234"
        assert (disclosure["itemType"], disclosure["type"]) == ("Disclosure", "Recorded")
        assert disclosure["data"]["items"] == [bare(complaint["itemId"])]
        assert sorted(disclosure["data"]["fields"]) == ["complainant_name", "complainant_phone"]
        assert disclosure["actor"]["id"].startswith("office-zhang#")
        assert disclosure["data"]["purpose"] == "回访核实"

        # the leader's masked read recorded nothing, and records of access (the office's
        # disclosure) are not shown to a leader: its next event is the next act itself
        after_that = register_unit(live)
        (seen_by_leader,) = events_of(leader_ws, leader, 1)
        assert seen_by_leader["position"] == after_that["position"]
        assert seen_by_leader["itemType"] == "Unit"
