"""The graphql-transport-ws protocol itself, over a real socket: ping and pong, a subscribe
before connection_init, a duplicate id, the legacy graphql-ws protocol, and subscriptions
with bad arguments, a missing variable or a syntax error.
"""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    ITEM_CHANGED,
    LEDGER_EVENTS,
    OVERVIEW,
    events_of,
    head,
    register_unit,
    ws,
)
from tests.api.ws_client import PROTOCOL, TIMEOUT

pytestmark = pytest.mark.slow
"""End to end: every test here talks to a real uvicorn over a socket."""


@pytest.fixture
def live(served: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on SQLite)."""
    return served


@pytest.fixture
def live_postgres(served_postgres: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on PostgreSQL)."""
    return served_postgres


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
