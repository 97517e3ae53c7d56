"""A browser's WebSocket is let in from the service's own pages (its own origin) and from
the origins of LEDGER_ALLOWED_ORIGINS, and refused from any other page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import LiveServer
from tests.api.ws_client import PROTOCOL


def first_answer(live: LiveServer, origin: str) -> dict[str, Any]:
    headers = {"origin": origin}
    with live.client.websocket_connect("/graphql", subprotocols=[PROTOCOL], headers=headers) as ws:
        ws.send_text(json.dumps({"type": "connection_init", "payload": live.auth("viewer:s")}))
        answer: dict[str, Any] = json.loads(ws.receive_text())
        return answer


def test_a_page_of_the_service_itself_opens_a_websocket_with_no_origin_configured(
    live: LiveServer,
) -> None:
    assert first_answer(live, "http://testserver")["type"] == "connection_ack"


def test_a_page_of_another_origin_is_refused_its_websocket(live: LiveServer) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:
        first_answer(live, "http://elsewhere.example")
    assert refused.value.code in (1008, 4403)  # policy violation, or graphql-ws's Forbidden
