"""Live subscriptions end to end: a real server, real WebSocket and SSE clients.

``ledgerEvents`` replays the log from a position and goes live with no gap and no
duplicate; the views send a snapshot, then coalesced updates; ``itemChanged`` follows
one item. Writes go over HTTP (or straight to the server's ledger for a fast burst).
Every receive has a timeout, so a message that never comes fails instead of hanging;
nothing here asserts how fast a message comes.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from api.bootstrap import open_ledger
from api.cli.tokens import revoke
from domain.channels import Channel
from domain.ledger_base import CommandContext
from domain.legacy_issue import LegacyCategory
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import OFFICE as OFFICE_ACTOR
from tests.api.conftest import LiveServer
from tests.api.ws_client import PROTOCOL, TIMEOUT, GraphQLWS

EVENT_FIELDS = (
    "position itemId itemType version type occurredAt recordedAt actor { id role unit } data"
)
LEDGER_EVENTS = f"""
subscription($after: Int!, $filter: LiveEventFilter, $purpose: String) {{
  ledgerEvents(after: $after, filter: $filter, purpose: $purpose) {{ {EVENT_FIELDS} }}
}}"""
OVERVIEW = "subscription { supervisionOverview { asOf channels { channel received open } } }"
TOTALS = "subscription { legacyIssueTotals { asOf total baseline newSinceBaseline remaining } }"
ITEM_CHANGED = """
subscription($id: ID!) {
  itemChanged(id: $id) {
    __typename id version
    ... on Unit { name }
    ... on Task { title }
  }
}"""
OFFICE = Actor(id="office-wang", role=Role.OFFICE)
SUCCESS = (
    "__typename ... on MutationSuccess { itemId version position replayed } "
    "... on UserError { message }"
)


# --- writing ----------------------------------------------------------------------------


def _success(live: LiveServer, field: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = live.gql(query, variables)[field]
    assert result["__typename"] == "MutationSuccess", result
    return result


def register_unit(live: LiveServer, name: str | None = None) -> dict[str, Any]:
    return _success(
        live,
        "registerUnit",
        f"mutation($n: String!) {{ registerUnit(input: {{name: $n, kind: DEPARTMENT}}) "
        f"{{ {SUCCESS} }} }}",
        {"n": name or f"unit {uuid.uuid4().hex[:8]}"},
    )


def receive_complaint(
    live: LiveServer,
    unit: str,
    *,
    channel: str = "HOTLINE_12345",
    key: str | None = None,
    complainant: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A complaint; anonymous unless ``complainant`` gives a name and a phone (personal
    data: each clear read of it is recorded in the log as a Disclosure)."""
    name, phone = complainant or (None, None)
    return _success(
        live,
        "receiveComplaint",
        f"mutation($c: Channel!, $u: ID!, $k: String, $n: String, $p: String) {{ "
        f'receiveComplaint(input: {{channel: $c, summary: "road blocked", firstResponder: $u, '
        f"idempotencyKey: $k, complainantName: $n, complainantPhone: $p}}) {{ {SUCCESS} }} }}",
        {"c": channel, "u": unit, "k": key, "n": name, "p": phone},
    )


def register_task(live: LiveServer, title: str, task_id: str | None = None) -> dict[str, Any]:
    return _success(
        live,
        "registerTask",
        f"mutation($t: String!, $id: ID) {{ registerTask(input: "
        f"{{planYear: 2021, title: $t, taskId: $id}}) {{ {SUCCESS} }} }}",
        {"t": title, "id": task_id},
    )


def rename_unit(live: LiveServer, unit: str, name: str) -> dict[str, Any]:
    return _success(
        live,
        "renameUnit",
        f"mutation($u: ID!, $n: String!) {{ renameUnit(input: {{unitId: $u, name: $n}}) "
        f"{{ {SUCCESS} }} }}",
        {"u": unit, "n": name},
    )


def register_legacy_issue(live: LiveServer, unit: str, *, baseline: bool) -> dict[str, Any]:
    """Straight to the server's ledger, entered from an earlier record: the issues of the
    campaign have target years (2021, 2022, 2025) a command of today can no longer name."""
    written = live.services.ledger.register_legacy_issue(
        CommandContext(OFFICE, occurred_at=datetime(2021, 6, 1, 9, tzinfo=UTC), imported=True),
        title="unpaid land transfer",
        category=LegacyCategory.LAND,
        cause="records lost",
        responsible_unit=uuid.UUID(bare(unit)),
        target_year=2021,
        baseline=baseline,
    )
    return {
        "itemId": f"LegacyIssue:{written.item_id}",
        "version": written.version,
        "position": written.position,
        "replayed": written.replayed,
    }


def bare(global_id: str) -> str:
    """``Complaint:<uuid>`` -> ``<uuid>`` (events name items by their bare UUID)."""
    return global_id.rpartition(":")[2]


# --- reading ----------------------------------------------------------------------------


def head(live: LiveServer) -> int:
    return live.services.ledger.recorder.max_notification_id() or 0


def audit_trail(live: LiveServer, fields: str = EVENT_FIELDS) -> list[dict[str, Any]]:
    """Every event of the audit trail (``events``), once the read models hold the head."""
    events: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = live.gql(
            f"query($after: String) {{ events(first: 100, after: $after) {{ "
            f"nodes {{ {fields} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            {"after": after},
            position=head(live),
        )["events"]
        events.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return events
        after = page["pageInfo"]["endCursor"]


def settle(live: LiveServer) -> None:
    """Wait until the read models hold everything written so far (read your writes): a
    view's first snapshot is whatever they hold when it is taken."""
    live.gql("{ units { id } }", position=head(live))


def logged_positions(live: LiveServer, after: int = 0) -> list[int]:
    """The positions of the ledger's events after ``after`` (its receipts left out)."""
    notifications = live.services.ledger.recorder.select_notifications(
        start=after + 1, limit=1_000_000
    )
    return [n.id for n in notifications if not n.topic.startswith("domain.receipt:")]


def events_of(client: GraphQLWS, op_id: str, count: int) -> list[dict[str, Any]]:
    return [data["ledgerEvents"] for data in client.nexts(op_id, count)]


def feed_subscribers(live: LiveServer) -> int:
    """How many subscribers the server's live feed of the log holds (white box: there is
    no public count, and a leak shows only here)."""
    return len(live.services.tail._subscribers)


def eventually(check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.02)


def ws(live: LiveServer, actor: str = OFFICE_ACTOR) -> GraphQLWS:
    """A graphql-transport-ws connection authenticated as ``actor`` (``role:name[:unit]``)
    with a bearer token in its ``connection_init``."""
    return GraphQLWS(live.ws_url, payload=live.auth(actor))


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_live(request: pytest.FixtureRequest) -> LiveServer:
    """The server on SQLite, then on PostgreSQL (skipped without a server)."""
    server: LiveServer = request.getfixturevalue(
        "live" if request.param == "sqlite" else "live_postgres"
    )
    return server


def test_subscribers_joining_while_two_processes_write_each_get_every_event_once_in_order(
    any_live: LiveServer,
) -> None:
    live = any_live
    live.token()  # the office's token is issued (an event) before the writing starts
    live.services.ledger.register_unit(
        CommandContext(OFFICE), name="Culture Bureau", kind=UnitKind.DEPARTMENT
    )
    before = len(logged_positions(live))
    other_process = open_ledger(live.services.settings)  # its commits wake no one here
    per_writer = 150
    started = threading.Barrier(3, timeout=TIMEOUT)
    failures: list[BaseException] = []

    def write(ledger: Any, name: str) -> None:
        try:
            started.wait()
            for i in range(per_writer):
                ledger.register_task(CommandContext(OFFICE), plan_year=2021, title=f"{name} {i}")
        except BaseException as error:  # reported by the test
            failures.append(error)

    writers = [
        threading.Thread(target=write, args=(live.services.ledger, "server")),
        threading.Thread(target=write, args=(other_process, "other")),
    ]
    for writer in writers:
        writer.start()
    query = "subscription($a: Int!) { ledgerEvents(after: $a) { position } }"
    try:
        started.wait()
        with ws(live) as client:
            feeds: list[tuple[str, int]] = []
            while (any(w.is_alive() for w in writers) and len(feeds) < 30) or len(feeds) < 3:
                after = head(live) // 2  # each joins at another moment, replaying some
                feeds.append((client.subscribe(query, {"a": after}), after))
                time.sleep(0.01)
            for writer in writers:
                writer.join(timeout=60)
            assert not failures, failures
            positions = logged_positions(live)
            assert len(positions) == before + 2 * per_writer
            for op_id, after in feeds:
                expected = [p for p in positions if p > after]
                got = [d["ledgerEvents"]["position"] for d in client.nexts(op_id, len(expected))]
                assert got == expected, f"subscription after {after}"
            marker = register_task(live, "marker")["position"]
            for op_id, _ in feeds:  # and nothing else came in between
                assert client.next(op_id)["ledgerEvents"]["position"] == marker
    finally:
        for writer in writers:
            writer.join(timeout=60)
        other_process.close()


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


def test_a_ping_is_answered_with_a_pong_and_a_subscribe_before_connection_init_is_refused(
    live: LiveServer,
) -> None:
    with ws(live) as client:
        client.send({"type": "ping", "payload": {"n": 1}})
        assert client.control()["type"] == "pong"
    with connect(live.ws_url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT) as raw:
        raw.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ units }"}}))
        with pytest.raises(ConnectionClosed) as closed:
            raw.recv(timeout=TIMEOUT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_a_second_subscribe_with_an_id_still_running_closes_the_connection(
    live: LiveServer,
) -> None:
    with ws(live) as client:
        client.send({"id": "x", "type": "subscribe", "payload": {"query": OVERVIEW}})
        assert client.message("x")["type"] == "next"
        client.send({"id": "x", "type": "subscribe", "payload": {"query": OVERVIEW}})
        with pytest.raises(ConnectionClosed) as closed:
            client.ws.recv(timeout=TIMEOUT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4409


def test_the_legacy_graphql_ws_protocol_is_refused(live: LiveServer) -> None:
    """The server speaks graphql-transport-ws only: a client offering just the old
    subscriptions-transport-ws protocol never gets a ``connection_ack``."""
    try:
        with connect(
            live.ws_url, subprotocols=[Subprotocol("graphql-ws")], open_timeout=TIMEOUT
        ) as raw:
            assert raw.subprotocol != "graphql-ws"
            with pytest.raises(ConnectionClosed) as closed:
                raw.send(json.dumps({"type": "connection_init", "payload": {}}))
                raw.recv(timeout=TIMEOUT)  # never a connection_ack
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4406  # subprotocol not acceptable
    except InvalidStatus as refused:  # refusing the handshake itself would do as well
        assert refused.response.status_code in (400, 403, 426)


def test_a_subscription_with_a_bad_argument_or_field_gets_an_error_not_a_dropped_socket(
    live: LiveServer,
) -> None:
    with ws(live) as client:
        negative = client.subscribe("subscription { ledgerEvents(after: -1) { position } }")
        message = client.message(negative)
        assert message["type"] in ("next", "error")
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert "after" in errors[0]["message"]

        unknown = client.subscribe("subscription { ledgerEventz { position } }")
        message = client.message(unknown)
        assert message["type"] == "error"
        assert "ledgerEventz" in message["payload"][0]["message"]

        bad_id = client.subscribe(ITEM_CHANGED, {"id": "not-an-id"})
        message = client.message(bad_id)
        assert message["payload"]["errors"][0]["message"].startswith("id:")

        still = client.subscribe(LEDGER_EVENTS, {"after": head(live)})
        unit = register_unit(live)
        assert events_of(client, still, 1)[0]["position"] == unit["position"]


def test_a_subscription_missing_a_required_variable_is_told_which_one(live: LiveServer) -> None:
    with ws(live) as client:
        op = client.subscribe("subscription($a: Int!) { ledgerEvents(after: $a) { position } }")
        message = client.message(op)
        assert message["type"] == "error"
        assert "$a" in message["payload"][0]["message"]


def test_a_subscription_with_a_syntax_error_is_told_what_is_wrong(live: LiveServer) -> None:
    # graphql-transport-ws (as strawberry speaks it) closes the socket with 4400 and the
    # parser's message as the reason: the client learns what is wrong, nothing runs.
    with ws(live) as client:
        op = client.subscribe("subscription { ledgerEvents( ")
        with pytest.raises(ConnectionClosed) as closed:
            client.message(op)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4400
    assert closed.value.rcvd.reason.startswith("Syntax Error")


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


def _received(overview: dict[str, Any], channel: str) -> int:
    (figures,) = [c for c in overview["channels"] if c["channel"] == channel]
    count: int = figures["received"]
    return count


def test_the_overview_sends_a_snapshot_then_a_new_one_when_a_complaint_is_received(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    receive_complaint(live, unit)
    settle(live)
    with ws(live) as client:
        op = client.subscribe(OVERVIEW)
        first = client.next(op)["supervisionOverview"]
        assert _received(first, "HOTLINE_12345") == 1
        receive_complaint(live, unit, channel="MEDIA")
        second = client.next(op)["supervisionOverview"]
        assert _received(second, "MEDIA") == _received(first, "MEDIA") + 1
        assert _received(second, "HOTLINE_12345") == 1
        assert second["asOf"] == first["asOf"]


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
        assert _received(client.next(op)["supervisionOverview"], "FAULT_FINDING") == 0
        since_the_snapshot = time.monotonic()
        written = live.gql(f"mutation($u: ID!) {{ {aliases} }}", {"u": unit})
        assert {r["__typename"] for r in written.values()} == {"MutationSuccess"}
        counts: list[int] = []
        while not counts or counts[-1] < burst:
            counts.append(_received(client.next(op)["supervisionOverview"], "FAULT_FINDING"))
        span = time.monotonic() - since_the_snapshot
        assert counts == sorted(set(counts))  # each update differs from the one before
        assert counts[-1] == burst
        # coalesced: at most one update per interval, however long the burst took to write
        # (a slow machine only allows more), not one per event
        assert len(counts) <= span / interval + 1, (len(counts), span)
        receive_complaint(live, unit, channel="FAULT_FINDING")  # nothing stale in between
        assert _received(client.next(op)["supervisionOverview"], "FAULT_FINDING") == burst + 1


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


# --- who may subscribe to what -------------------------------------------------------------


def close_code_after_init(live: LiveServer, payload: dict[str, Any]) -> int | None:
    """Send ``connection_init`` with ``payload``; the code the server closes with (None if
    it acknowledged instead)."""
    with connect(live.ws_url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT) as raw:
        try:
            raw.send(json.dumps({"type": "connection_init", "payload": payload}))
            answer = json.loads(raw.recv(timeout=TIMEOUT))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else -1
        assert answer["type"] == "connection_ack", answer
        return None


def test_a_websocket_without_a_token_or_with_an_unknown_one_is_closed_before_an_ack(
    live: LiveServer,
) -> None:
    for payload in ({}, {"authorization": "Bearer sl_not-a-token"}, {"authorization": "x"}):
        assert close_code_after_init(live, payload) == 4403, payload
    assert close_code_after_init(live, live.auth()) is None


def _end_of(client: GraphQLWS, op_id: str) -> list[str]:
    """Skip the results of ``op_id`` until it ends; the error messages it ended with."""
    for _ in range(20):
        message = client.message(op_id)
        if message["type"] == "error":
            return [e["message"] for e in message["payload"]]
        if message["type"] == "complete":
            return []
        if message["payload"].get("errors"):
            messages = [e["message"] for e in message["payload"]["errors"]]
            assert client.message(op_id)["type"] == "complete"
            return messages
    raise AssertionError(f"{op_id} did not end")


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
            messages = _end_of(doomed, op)
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
            messages = _end_of(client, op)
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


# --- server-sent events ------------------------------------------------------------------


@contextmanager
def sse(
    live: LiveServer,
    method: str = "GET",
    *,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> Iterator[tuple[httpx.Response, Iterator[tuple[str, str]]]]:
    """A stream from ``/graphql/stream`` (as the office, unless ``headers`` say otherwise)
    and an iterator of its ``(event, data)`` pairs, comments skipped; a read that waits
    over 10 s fails with ``httpx.ReadTimeout``."""
    sent = {**live.auth(), **(headers or {})}
    with (
        httpx.Client(base_url=live.url, timeout=TIMEOUT) as client,
        client.stream(method, "/graphql/stream", headers=sent, **kwargs) as response,
    ):
        yield response, _sse_events(response.iter_lines())


def _sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    name: str = "message"
    data: list[str] = []
    for line in lines:
        if line.startswith(":"):
            continue
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)


def test_sse_replays_the_log_then_streams_new_events_as_next_events(live: LiveServer) -> None:
    live.token()  # issued (an event of the log) before the head is taken
    start = head(live)
    unit = register_unit(live)
    complaint = receive_complaint(live, unit["itemId"])
    query = "subscription($a: Int!) { ledgerEvents(after: $a) { position type itemType } }"
    variables = json.dumps({"a": start})
    with sse(live, params={"query": query, "variables": variables}) as (response, events):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name, data = next(events)
        assert name == "next"
        assert json.loads(data) == {
            "data": {
                "ledgerEvents": {
                    "position": unit["position"],
                    "type": "Registered",
                    "itemType": "Unit",
                }
            }
        }
        name, data = next(events)
        assert name == "next"
        assert json.loads(data) == {
            "data": {
                "ledgerEvents": {
                    "position": complaint["position"],
                    "type": "Received",
                    "itemType": "Complaint",
                }
            }
        }
        task = register_task(live, "sweep the market")
        name, data = next(events)
        assert name == "next"
        assert json.loads(data)["data"]["ledgerEvents"]["position"] == task["position"]


def test_an_sse_client_that_disconnects_leaves_the_feed(live: LiveServer) -> None:
    query = "subscription { ledgerEvents(after: 0) { position } }"
    with sse(live, params={"query": query}) as (response, events):
        assert response.status_code == 200
        assert next(events)[0] == "next"
        assert feed_subscribers(live) == 1
    eventually(lambda: feed_subscribers(live) == 0, "a closed stream leaves the feed")


def test_sse_over_post_with_variables_streams_the_overview(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    body = {
        "query": "subscription($d: Date) { supervisionOverview(asOf: $d) "
        "{ channels { channel received } } }",
        "variables": {"d": None},
    }
    with sse(live, "POST", json=body) as (response, events):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name, data = next(events)
        assert name == "next"
        assert _received(json.loads(data)["data"]["supervisionOverview"], "MEDIA") == 0
        receive_complaint(live, unit, channel="MEDIA")
        name, data = next(events)
        assert name == "next"
        assert _received(json.loads(data)["data"]["supervisionOverview"], "MEDIA") == 1


def test_sse_ends_a_stream_that_fails_with_an_error_then_complete(live: LiveServer) -> None:
    query = "subscription { ledgerEvents(after: -1) { position } }"
    with sse(live, params={"query": query}) as (response, events):
        assert response.status_code == 200
        received = list(events)
    assert [name for name, _ in received] == ["next", "complete"]
    assert "after" in json.loads(received[0][1])["errors"][0]["message"]


@pytest.mark.parametrize(
    ("method", "request_kwargs"),
    [
        ("GET", {"params": {"query": "subscription { ledgerEvents( "}}),
        ("GET", {"params": {"query": "subscription { ledgerEventz { position } }"}}),
        ("GET", {"params": {}}),
        (
            "GET",
            {
                "params": {
                    "query": "subscription { ledgerEvents { position } }",
                    "variables": "{not json",
                }
            },
        ),
        (
            "GET",
            {
                "params": {
                    "query": "subscription { ledgerEvents { position } }",
                    "variables": "[1, 2]",
                }
            },
        ),
        ("POST", {"content": b"not json", "headers": {"content-type": "application/json"}}),
        ("POST", {"json": ["a", "list"]}),
        ("POST", {"json": {"query": 42}}),
        (
            "POST",
            {"json": {"query": "subscription { ledgerEvents { position } }", "operationName": 7}},
        ),
        (
            "GET",
            {
                "params": {"query": "subscription { ledgerEvents { position } }"},
                "headers": {"X-Ledger-Position": "soon"},
            },
        ),
        (
            "GET",
            {
                "params": {
                    "query": "subscription A { ledgerEvents { position } }",
                    "operationName": "B",
                }
            },
        ),
    ],
)
def test_sse_answers_a_bad_request_with_a_400_or_an_error_event_never_a_500(
    live: LiveServer, method: str, request_kwargs: dict[str, Any]
) -> None:
    with sse(live, method, **request_kwargs) as (response, events):
        assert response.status_code < 500
        if response.status_code == 400:
            response.read()
            assert response.json()["errors"][0]["message"]
            return
        assert response.status_code == 200
        received = list(events)
    assert received[-1][0] == "complete"
    assert any(
        name == "error" or (name == "next" and json.loads(data).get("errors"))
        for name, data in received
    )


def test_sse_given_a_query_instead_of_a_subscription_answers_it_or_says_why_not(
    live: LiveServer,
) -> None:
    with sse(live, params={"query": "{ __typename }"}) as (response, events):
        if response.status_code == 400:
            response.read()
            messages = [e["message"] for e in response.json()["errors"]]
        else:
            payload = json.loads(next(events)[1])
            if payload.get("data") == {"__typename": "Query"}:
                return  # answered, as graphql-transport-ws does
            messages = [e["message"] for e in payload["errors"]]
    assert "Unexpected error." not in messages
    assert not any("token" in m for m in messages), messages


def test_sse_without_a_token_or_with_an_unknown_one_streams_nothing(live: LiveServer) -> None:
    register_unit(live)
    query = "subscription { ledgerEvents(after: 0) { position } }"
    for headers in ({"authorization": ""}, {"authorization": "Bearer sl_not-a-token"}):
        with sse(live, params={"query": query}, headers=headers) as (response, events):
            assert response.status_code in (200, 401), response.status_code
            if response.status_code == 401:
                continue
            received = list(events)
        assert received[-1][0] == "complete"
        assert not any(json.loads(d).get("data") for n, d in received if n == "next")


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_on_postgresql_a_reconnecting_subscriber_misses_nothing_and_hears_other_processes(
    live_postgres: LiveServer,
) -> None:
    live = live_postgres
    live.token()
    start = head(live)
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": start})
        (registered,) = events_of(client, feed, 1)
        assert registered["itemId"] == bare(unit)

    missed = [
        receive_complaint(live, unit),
        register_task(live, "pave"),
        receive_complaint(live, unit, key="pg-retry"),
    ]
    other_process = open_ledger(live.services.settings)  # commits the server does not see
    try:
        with ws(live) as client:
            feed = client.subscribe(LEDGER_EVENTS, {"after": registered["position"]})
            replayed = events_of(client, feed, len(missed))
            assert [e["position"] for e in replayed] == [w["position"] for w in missed]
            assert replayed == [
                e for e in audit_trail(live) if e["position"] > registered["position"]
            ]

            elsewhere = other_process.register_task(
                CommandContext(OFFICE), plan_year=2021, title="written by another process"
            )
            (woken,) = events_of(client, feed, 1)
            assert woken["position"] == elsewhere.position
            assert woken["actor"] == {"id": "office-wang", "role": "OFFICE", "unit": None}
            here = register_task(live, "written by the server")
            (own,) = events_of(client, feed, 1)
            assert own["position"] == here["position"]
            assert logged_positions(live, registered["position"]) == [
                *(w["position"] for w in missed),
                elsewhere.position,
                here["position"],
            ]
    finally:
        other_process.close()


@pytest.mark.postgres
def test_on_postgresql_item_changed_follows_an_item_written_by_another_process(
    live_postgres: LiveServer,
) -> None:
    live = live_postgres
    unit = register_unit(live, "Port Authority")["itemId"]
    settle(live)
    other_process = open_ledger(live.services.settings)
    try:
        with ws(live) as client:
            op = client.subscribe(ITEM_CHANGED, {"id": unit})
            assert client.next(op)["itemChanged"]["version"] == 1
            other_process.rename_unit(
                CommandContext(OFFICE), uuid.UUID(bare(unit)), name="Harbour Authority"
            )
            node = client.next(op)["itemChanged"]
            assert (node["version"], node["name"]) == (2, "Harbour Authority")
    finally:
        other_process.close()
