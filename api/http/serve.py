"""``ledger serve``: uvicorn running the app, with WebSocket keep-alive pings and deadlines
for what clients send (``api.http.deadlines``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import uvicorn

from api.http.app import create_app
from api.http.collector import tune_for_serving
from api.http.deadlines import ASGIApp, BodyDeadline, header_deadline_protocol
from api.runtime.services import ServeOptions
from api.settings import Settings

WS_PING_SECONDS = 15.0


@dataclass(frozen=True)
class Timeouts:
    """How long the server waits on a client before closing its connection."""

    headers_seconds: float = 10.0
    """For a request's line and headers, from the connection's opening or the first byte of
    the request (a client trickling them in is cut off)."""
    body_seconds: float = 30.0
    """For a request's body, from its headers (then ``408`` and the connection closed)."""
    keep_alive_seconds: int = 5
    """An idle connection between two requests (uvicorn's ``timeout_keep_alive``)."""
    max_header_bytes: int = 32 * 1024
    """A request's line and headers together (then ``431`` and the connection closed)."""


def server_config(app: ASGIApp, host: str, port: int, timeouts: Timeouts) -> uvicorn.Config:
    """uvicorn's configuration for the app, the deadlines of ``timeouts`` included."""
    return uvicorn.Config(
        BodyDeadline(app, timeouts.body_seconds),
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        http=header_deadline_protocol(timeouts.headers_seconds, timeouts.max_header_bytes),
        timeout_keep_alive=timeouts.keep_alive_seconds,
        ws_ping_interval=WS_PING_SECONDS,  # the server's keep-alive on every WebSocket
        ws_ping_timeout=WS_PING_SECONDS * 2,
        ws_max_size=1_000_000,
        # snapshots and events are small and screens many: compressing each message for
        # each subscriber cost more than it saved on a local network
        ws_per_message_deflate=False,
    )


def serve(
    settings: Settings,
    host: str,
    port: int,
    options: ServeOptions,
    timeouts: Timeouts | None = None,
) -> None:
    app = create_app(settings, options)
    server = uvicorn.Server(server_config(app, host, port, timeouts or Timeouts()))
    tune_for_serving()  # thousands of subscriptions, without long pauses to collect them
    print(f"ledger: serving GraphQL at http://{host}:{port}/graphql", file=sys.stderr, flush=True)
    server.run()
