"""A real server for the API tests: uvicorn on a free loopback port, in a thread of the
test process (so a test can also count what the server asks of its database), with
real HTTP and WebSocket clients talking to it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import pytest
import uvicorn
from sqlalchemy import event

from api.cli.tokens import create_token
from api.http.app import create_app
from api.runtime.services import ServeOptions, Services
from api.settings import Settings
from domain.meta import Role
from tests.conftest import settings_for

OFFICE = "office:office-zhang"
VIEWER = "viewer:screen-1"


def bound_socket() -> socket.socket:
    """A socket bound to a free loopback port, for a server to take over: the port is the
    server's from the start, so no other test's server can take it meanwhile."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def serve_in_thread(server: uvicorn.Server, sock: socket.socket) -> threading.Thread:
    """Run ``server`` on ``sock`` in a daemon thread."""
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    return thread


@dataclass
class LiveServer:
    """A running ``ledger serve`` and a client for it."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    app: Any
    client: httpx.Client = field(init=False)
    tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=30)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def token(self, actor: str = OFFICE) -> str:
        """A bearer token for ``role:name[:unit uuid]``, issued once per actor."""
        if actor not in self.tokens:
            role, _, rest = actor.partition(":")
            name, _, unit = rest.partition(":")
            issued = create_token(
                self.services.ledger,
                role=Role(role),
                unit=UUID(unit) if unit else None,
                name=name or role,
            )
            self.tokens[actor] = issued.secret
        return self.tokens[actor]

    def auth(self, actor: str = OFFICE) -> dict[str, str]:
        """The Authorization header (HTTP) or connection_init payload (WebSocket)."""
        return {"authorization": f"Bearer {self.token(actor)}"}

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        actor: str | None = OFFICE,
        position: int | None = None,
    ) -> httpx.Response:
        """A GraphQL request as ``actor`` (``role:name[:unit]``; None: no token at all)."""
        headers = {}
        if actor is not None:
            headers.update(self.auth(actor))
        if position is not None:
            headers["X-Ledger-Position"] = str(position)
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    def gql(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """The ``data`` of a query that must succeed (no errors)."""
        response = self.post(query, variables, **kw)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def count_queries(self) -> QueryCounter:
        return QueryCounter(self.services)


class QueryCounter:
    """Counts the statements the server sends to its read models while active."""

    def __init__(self, services: Services) -> None:
        self.engine = services.engine
        self.count = 0

    def _seen(self, *_: Any) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def start_server(settings: Settings, options: ServeOptions | None = None) -> LiveServer:
    options = options or ServeOptions(poll_seconds=0.1)
    app = create_app(settings, options)
    sock = bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws_ping_interval=5
    )
    server = uvicorn.Server(config)
    thread = serve_in_thread(server, sock)
    live = LiveServer(f"http://127.0.0.1:{port}", server, thread, app)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if live.client.get("/readyz").status_code == 200:
                return live
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.should_exit = True
    raise RuntimeError("the server did not become ready in 30 s")


def stop_server(live: LiveServer) -> None:
    live.client.close()
    live.server.should_exit = True
    live.thread.join(timeout=15)


@pytest.fixture
def live(sqlite_url: str) -> Iterator[LiveServer]:
    """A server on a fresh SQLite ledger."""
    server = start_server(settings_for(sqlite_url))
    yield server
    stop_server(server)


@pytest.fixture
def live_postgres(postgres_url: str) -> Iterator[LiveServer]:
    """A server on a fresh PostgreSQL schema."""
    server = start_server(settings_for(postgres_url))
    yield server
    stop_server(server)
