"""``ledger serve``: uvicorn running the app, with WebSocket keep-alive pings."""

from __future__ import annotations

import sys

import uvicorn

from api.config import Settings
from api.service.app import ServeOptions, create_app

WS_PING_SECONDS = 15.0


def serve(settings: Settings, host: str, port: int, options: ServeOptions) -> None:
    app = create_app(settings, options)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        ws_ping_interval=WS_PING_SECONDS,  # the server's keep-alive on every WebSocket
        ws_ping_timeout=WS_PING_SECONDS * 2,
        ws_max_size=1_000_000,
    )
    server = uvicorn.Server(config)
    print(f"ledger: serving GraphQL at http://{host}:{port}/graphql", file=sys.stderr, flush=True)
    server.run()
