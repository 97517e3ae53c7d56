"""No valid token, nobody gets in: no token, a malformed one, an unknown one, an expired one
and a revoked one are refused over HTTP, WebSocket and server-sent events, and an open
subscription ends with its token.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from api.bootstrap import open_ledger
from api.cli.tokens import create_token, revoke, token_id_of
from domain.ledger_base import CommandContext
from domain.meta import Role
from tests.api.access_builders import (
    Credential,
    Socket,
    mutation_document,
    refusal,
    socket,
    unknown_secret,
)
from tests.api.access_world import (
    SEEDER,
    Bare,
    bare_server,
    head,
    issue_expiring,
    wait_for_tail,
    write_something,
)
from tests.api.conftest import OFFICE, LiveServer


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bare]:
    with bare_server(tmp_path_factory) as found:
        yield found


@pytest.fixture(scope="module")
def served_bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bare]:
    """The same bare server, served by uvicorn, for the tests over a real socket (slow)."""
    with bare_server(tmp_path_factory, served=True) as found:
        yield found


# --- no valid token: nobody gets in -------------------------------------------------------------

LOCKED_OUT = [
    "no-token",
    "not-bearer",
    "empty-bearer",
    "unknown",
    "expired",
    "revoked-unused",
    "revoked-after-use",
]


@pytest.fixture(scope="module")
def credentials(bare: Bare) -> dict[str, Credential]:
    """Every kind of ``Authorization`` that must let no one in, on the bare server."""
    return locked_out(bare)


@pytest.fixture(scope="module")
def served_credentials(served_bare: Bare) -> dict[str, Credential]:
    """The same on the bare server served by uvicorn."""
    return locked_out(served_bare)


def locked_out(bare: Bare) -> dict[str, Credential]:
    """Every kind of ``Authorization`` that must let no one in, on ``bare``."""
    live, ledger = bare.live, bare.live.services.ledger
    expiring = issue_expiring(live, "expiring")
    used = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked after use").secret
    for secret in (expiring, used):  # admitted (and remembered) while valid
        response = live.client.post(
            "/graphql",
            json={"query": "{ ledgerSeal { position } }"},
            headers={"authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 200, response.text
    unused = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked unused")
    ledger.revoke_token(CommandContext(SEEDER), unused.token_id, reason="left the office")
    revoked = ledger.revoke_token(CommandContext(SEEDER), token_id_of(used), reason="laptop lost")
    wait_for_tail(live, revoked.position)
    bare.clock.advance(61)  # past the expiring token's minute
    return {
        "no-token": Credential("no-token", None),
        "not-bearer": Credential("not-bearer", "Basic b2ZmaWNlOnNlY3JldA=="),
        "empty-bearer": Credential("empty-bearer", "Bearer"),
        "unknown": Credential("unknown", f"Bearer {unknown_secret()}"),
        "expired": Credential("expired", f"Bearer {expiring}"),
        "revoked-unused": Credential("revoked-unused", f"Bearer {unused.secret}"),
        "revoked-after-use": Credential("revoked-after-use", f"Bearer {used}"),
    }


LOCKED_OPERATIONS: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
    "query": lambda: ("{ units { id name } }", {}),
    "mutation": lambda: (
        mutation_document("registerUnit"),
        {"input": {"name": f"intruder {uuid.uuid4().hex[:8]}", "kind": "DEPARTMENT"}},
    ),
}


@pytest.mark.parametrize("operation", list(LOCKED_OPERATIONS))
@pytest.mark.parametrize("credential", LOCKED_OUT)
def test_a_request_without_a_valid_token_is_refused_with_401_and_writes_nothing(
    bare: Bare, credentials: dict[str, Credential], credential: str, operation: str
) -> None:
    live = bare.live
    query, variables = LOCKED_OPERATIONS[operation]()
    before = head(live)
    response = live.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=credentials[credential].headers(),
    )
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}, error
    assert error["message"], error
    assert head(live) == before, "a refused request wrote to the log"


@pytest.mark.slow
@pytest.mark.parametrize("credential", LOCKED_OUT)
def test_a_websocket_without_a_valid_token_is_closed_with_4403(
    served_bare: Bare, served_credentials: dict[str, Credential], credential: str
) -> None:
    bare, credentials = served_bare, served_credentials
    before = head(bare.live)
    code, reason = refusal(bare.live.ws_url, credentials[credential].init_payload())
    assert code == 4403, reason
    assert head(bare.live) == before


def test_a_token_revoked_by_the_cli_is_refused_by_the_very_next_request(bare: Bare) -> None:
    """Revoked as ``ledger token revoke`` does it: from another Ledger on the same database
    (api.cli.tokens.revoke). Five tokens, each used, revoked, then used again at once."""
    live = bare.live
    cli = open_ledger(live.services.settings, create=False)
    admitted = []
    try:
        for i in range(5):
            issued = create_token(cli, role=Role.OFFICE, unit=None, name=f"revoked by cli {i}")
            headers = {"authorization": f"Bearer {issued.secret}"}
            query = {"query": "{ ledgerSeal { position } }"}
            assert live.client.post("/graphql", json=query, headers=headers).status_code == 200
            revoke(cli, issued.secret, "revoked by the office")
            response = live.client.post("/graphql", json=query, headers=headers)
            if response.status_code != 401:
                admitted.append(response.status_code)
    finally:
        cli.close()
    assert admitted == [], f"{len(admitted)} of 5 revoked tokens were admitted once more"


# --- an open subscription ends with its token ---------------------------------------------------

LEDGER_EVENTS = "subscription($after: Int!) { ledgerEvents(after: $after) { position type } }"


def _events_until(ws: Socket, op_id: str, position: int) -> list[dict[str, Any]]:
    """The ``next`` messages of ``op_id`` up to the one at ``position``."""
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["position"] < position:
        message = ws.message(op_id)
        assert message["type"] == "next" and "errors" not in message["payload"], message
        seen.append(message["payload"]["data"]["ledgerEvents"])
    return seen


def _no_message_for(ws: Socket, op_id: str, seconds: float) -> dict[str, Any] | None:
    try:
        return ws.message(op_id, timeout=seconds)
    except (TimeoutError, ConnectionClosed):
        return None


@pytest.mark.slow
def test_a_revoked_token_ends_an_open_ledger_events_subscription(served_bare: Bare) -> None:
    bare = served_bare
    live, ledger = bare.live, bare.live.services.ledger
    issued = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked while subscribed")
    start = head(live)
    with (
        socket(live.ws_url, {"authorization": f"Bearer {issued.secret}"}) as revoked,
        socket(live.ws_url, live.auth()) as observer,
    ):
        revoked.subscribe("1", LEDGER_EVENTS, {"after": start})
        observer.subscribe("1", LEDGER_EVENTS, {"after": start})
        first = write_something(live)
        assert _events_until(revoked, "1", first.position)[-1]["position"] == first.position
        revocation = ledger.revoke_token(CommandContext(SEEDER), issued.token_id, reason="gone")
        ending = revoked.message("1")
        while ending["type"] == "next" and "errors" not in ending["payload"]:
            # at most the revocation itself may still come through, nothing after it
            assert ending["payload"]["data"]["ledgerEvents"]["position"] <= revocation.position
            ending = revoked.message("1")
        errors = ending["payload"] if ending["type"] == "error" else ending["payload"]["errors"]
        assert [e["message"] for e in errors] == ["this subscription's token was revoked"]
        if ending["type"] == "next":
            assert revoked.message("1") == {"id": "1", "type": "complete"}
        later = write_something(live)
        _events_until(observer, "1", later.position)  # the feed has handed it out
        assert _no_message_for(revoked, "1", 1.0) is None


@pytest.mark.slow
@pytest.mark.parametrize("view", ["supervisionOverview", "ledgerEvents"])
def test_a_token_that_expires_ends_an_open_subscription_with_an_error(
    served_bare: Bare, view: str
) -> None:
    bare = served_bare
    live = bare.live
    secret = issue_expiring(live, f"expires while subscribed to {view}")
    with socket(live.ws_url, {"authorization": f"Bearer {secret}"}) as ws:
        if view == "ledgerEvents":  # from the last event: one message, then the live feed
            ws.subscribe("1", LEDGER_EVENTS, {"after": head(live) - 1})
        else:
            ws.subscribe("1", "subscription { supervisionOverview { asOf } }")
        assert ws.message("1")["type"] == "next"
        bare.clock.advance(61)
        ending = ws.message("1", timeout=30)
        assert ending["type"] == "next", ending
        assert [e["message"] for e in ending["payload"]["errors"]] == [
            "this subscription's token has expired"
        ]
        assert ws.message("1") == {"id": "1", "type": "complete"}


@pytest.mark.slow
@pytest.mark.parametrize("operation", list(LOCKED_OPERATIONS))
def test_a_socket_whose_token_was_revoked_can_no_longer_query_or_mutate(
    served_bare: Bare, operation: str
) -> None:
    bare = served_bare
    live, ledger = bare.live, bare.live.services.ledger
    issued = create_token(ledger, role=Role.OFFICE, unit=None, name=f"socket {operation}")
    query, variables = LOCKED_OPERATIONS[operation]()
    with socket(live.ws_url, {"authorization": f"Bearer {issued.secret}"}) as ws:
        revocation = ledger.revoke_token(CommandContext(SEEDER), issued.token_id, reason="gone")
        wait_for_tail(live, revocation.position)
        before = head(live)
        ws.subscribe("1", query, variables)
        answer = ws.message("1")
        written = head(live) - before
    assert written == 0, f"{written} event(s) written with a revoked token: {answer}"
    assert answer["type"] == "error" or answer["payload"].get("data") is None, answer


@pytest.mark.slow
def test_a_socket_whose_token_expired_can_no_longer_query(served_bare: Bare) -> None:
    bare = served_bare
    live = bare.live
    secret = issue_expiring(live, "socket outliving its token")
    with socket(live.ws_url, {"authorization": f"Bearer {secret}"}) as ws:
        bare.clock.advance(61)
        ws.subscribe("1", "{ units { id name } }")
        answer = ws.message("1")
    assert answer["type"] == "error" or answer["payload"].get("data") is None, answer


# --- subscriptions over server-sent events ------------------------------------------------------

OVERVIEW = {"query": "subscription { supervisionOverview { asOf } }"}


def _first_sse_event(live: LiveServer, headers: dict[str, str]) -> tuple[int, str]:
    with live.client.stream("POST", "/graphql/stream", json=OVERVIEW, headers=headers) as r:
        if r.status_code != 200:
            r.read()
            return r.status_code, r.text
        lines: list[str] = []
        for line in r.iter_lines():
            if not line and lines:
                break
            if line:
                lines.append(line)
        return r.status_code, "\n".join(lines)


@pytest.mark.slow
def test_the_event_stream_refuses_a_request_without_a_token_with_401(served_bare: Bare) -> None:
    bare = served_bare
    status, text = _first_sse_event(bare.live, {})
    assert status == 401, text


@pytest.mark.slow
def test_the_event_stream_serves_a_subscription_to_a_valid_token(served_bare: Bare) -> None:
    bare = served_bare
    status, text = _first_sse_event(bare.live, bare.live.auth(OFFICE))
    assert status == 200, text
    event, data = text.split("\n", 1)
    assert event == "event: next"
    payload = json.loads(data.removeprefix("data: "))
    assert "errors" not in payload, payload
    assert payload["data"]["supervisionOverview"]["asOf"]
