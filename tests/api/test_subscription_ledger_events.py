"""``ledgerEvents`` over graphql-transport-ws: it replays the log from a position and goes live
with no gap and no duplicate, a reconnecting subscriber gets exactly what it missed, and a
subscription the client completes or whose socket closes leaves the live feed.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from domain.channels import Channel
from domain.ledger_base import CommandContext
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    LEDGER_EVENTS,
    OFFICE,
    audit_trail,
    bare,
    events_of,
    eventually,
    feed_subscribers,
    head,
    logged_positions,
    receive_complaint,
    register_legacy_issue,
    register_task,
    register_unit,
    rename_unit,
    ws,
)

# --- ledgerEvents over graphql-transport-ws -----------------------------------------------


def test_a_subscriber_from_the_head_receives_a_mutations_event_with_every_field(
    live: LiveServer,
) -> None:
    unit = register_unit(live)
    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        written = receive_complaint(live, unit["itemId"])
        (event,) = events_of(client, feed, 1)

    assert event["position"] == written["position"]
    assert event["itemId"] == bare(written["itemId"])
    assert event["itemType"] == "Complaint"
    assert event["version"] == written["version"] == 1
    assert event["type"] == "Received"
    occurred = datetime.fromisoformat(event["occurredAt"])
    recorded = datetime.fromisoformat(event["recordedAt"])
    assert occurred.tzinfo is not None and recorded.tzinfo is not None
    assert occurred <= recorded
    assert event["actor"]["id"].startswith("office-zhang#")  # the token's name and id
    assert (event["actor"]["role"], event["actor"]["unit"]) == ("OFFICE", None)
    assert event["data"]["channel"] == "hotline_12345"
    assert event["data"]["summary"] == "road blocked"
    assert event["data"]["first_responder"] == bare(unit["itemId"])
    (listed,) = [e for e in audit_trail(live) if e["position"] == event["position"]]
    assert listed == event


def test_a_reconnecting_subscriber_gets_exactly_the_missed_events_in_order_then_live_ones(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        receive_complaint(live, unit)
        (last,) = events_of(client, feed, 1)

    key = f"complaint-{uuid.uuid4()}"
    missed = [
        receive_complaint(live, unit, channel="MEDIA"),
        register_task(live, "repave Jiefang Road"),
        receive_complaint(live, unit, key=key),  # stores a receipt too: not an event
        rename_unit(live, unit, "Housing Bureau"),
        register_legacy_issue(live, unit, baseline=True),
    ]
    again = receive_complaint(live, unit, key=key)  # the retry writes nothing
    assert again["replayed"] and again["position"] == missed[2]["position"]
    expected = logged_positions(live, last["position"])
    assert expected == [w["position"] for w in missed]

    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": last["position"]})
        replayed = events_of(client, feed, len(missed))
        assert [e["position"] for e in replayed] == expected
        assert [e["itemId"] for e in replayed] == [bare(w["itemId"]) for w in missed]
        new = register_task(live, "light Renmin Square")
        (live_event,) = events_of(client, feed, 1)  # the next one is the new one: no repeat
        assert live_event["position"] == new["position"]
        assert live_event["type"] == "Registered"
        assert client.buffered(feed) == []


def test_after_zero_replays_the_whole_log_as_the_audit_trail_lists_it(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    for i in range(4):
        receive_complaint(live, unit, key=f"k{i}" if i % 2 else None)
    task = register_task(live, "dredge the canal")["itemId"]
    rename_unit(live, unit, "Water Bureau")
    trail = audit_trail(live)
    assert [e["position"] for e in trail] == logged_positions(live)

    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": 0})
        replayed = events_of(client, feed, len(trail))
        assert replayed == trail
        assert bare(task) in {e["itemId"] for e in replayed}
        marker = register_task(live, "marker")
        (next_event,) = events_of(client, feed, 1)
        assert next_event["position"] == marker["position"]


@pytest.mark.slow
def test_a_replay_longer_than_a_page_of_the_log_arrives_whole_and_in_order(
    live: LiveServer,
) -> None:
    live.token()
    ledger = live.services.ledger
    unit = ledger.register_unit(
        CommandContext(OFFICE), name="Transport Bureau", kind=UnitKind.DEPARTMENT
    ).item_id
    for _ in range(650):  # the feed reads the log 500 events at a time
        ledger.receive_complaint(
            CommandContext(OFFICE), channel=Channel.HOTLINE_12345, summary="s", first_responder=unit
        )
    positions = logged_positions(live)
    assert len(positions) > 650

    with ws(live) as client:
        feed = client.subscribe("subscription { ledgerEvents(after: 0) { position } }")
        got = [d["ledgerEvents"]["position"] for d in client.nexts(feed, len(positions))]
        assert got == positions
        middle = client.subscribe(
            "subscription($a: Int!) { ledgerEvents(after: $a) { position } }", {"a": 100}
        )
        expected = [p for p in positions if p > 100]  # more than a page, from inside one
        rest = [d["ledgerEvents"]["position"] for d in client.nexts(middle, len(expected))]
        assert rest == expected


def test_a_subscription_the_client_completes_leaves_the_feed_and_others_go_on(
    live: LiveServer,
) -> None:
    assert feed_subscribers(live) == 0
    with ws(live) as client:
        first = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        second = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        eventually(lambda: feed_subscribers(live) == 2, "both subscriptions join the feed")
        client.stop(first)
        unit = register_unit(live)
        (event,) = events_of(client, second, 1)
        assert event["position"] == unit["position"]
        client.send({"type": "ping"})
        assert client.control() == {"type": "pong"}
        assert client.buffered(first) == []  # nothing more for the completed one
        eventually(lambda: feed_subscribers(live) == 1, "the completed one leaves the feed")


def test_closing_the_socket_ends_its_subscriptions_in_the_feed(live: LiveServer) -> None:
    with ws(live) as client:
        for _ in range(3):
            client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        eventually(lambda: feed_subscribers(live) == 3, "the subscriptions join the feed")
    eventually(lambda: feed_subscribers(live) == 0, "closing the socket ends them")
