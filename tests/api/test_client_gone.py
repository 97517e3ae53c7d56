"""A client that leaves before its request's body is in (a browser leaving a page with a
request in flight) ends that request quietly: no error, no traceback in the log."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from tests.api.conftest import LiveServer


def test_a_request_whose_client_left_before_its_body_ends_quietly(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[dict[str, Any]] = []
    token = live.token().encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", b"Bearer " + token),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "app": live.app,
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.ERROR):
        asyncio.run(live.app.router(scope, receive, send))
    assert sent[0]["status"] == 499
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
