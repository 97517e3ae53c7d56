"""The service for the API tests, as a client sees it: its Starlette app, in the test process
(so a test can also count what the server asks of its database), with an HTTP client for it.

Most tests (the ``live`` and ``live_postgres`` fixtures) run the app in-process: Starlette's
``TestClient`` runs its lifespan (the projections thread, the live feed, the seal watch) and
sends each request, and each WebSocket message (``ws_client.GraphQLWS`` given ``live.client``),
through the app without a socket. The end-to-end tests, which test the wire itself
(graphql-transport-ws and its close codes, server-sent events, deadlines, fuzzing over real
HTTP, clients racing on their own connections, subscribers while another process writes) use
``served``/``served_postgres``: a real uvicorn on a free loopback port, in a thread; they are
marked slow.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import uvicorn
from sqlalchemy import event
from starlette.applications import Starlette

from api.cli.tokens import create_token
from api.http.app import create_app
from api.runtime.services import ServeOptions, Services
from api.settings import Settings
from domain.meta import Role
from tests.api.in_process import TestClient
from tests.conftest import _fresh_schema, settings_for

OFFICE = "office:office-zhang"
VIEWER = "viewer:screen-1"
READY_SECONDS = 30.0
"""How long a new server may take to open its ledger and catch its projections up."""


def serve_options(**changes: Any) -> ServeOptions:
    """The options the tests serve with: the projections and the live feed poll every 20 ms
    (on SQLite nothing else wakes them for a write made by another process; a view's
    updates are coalesced over 0.2 s: ``tests.conftest.TEST_LIMITS``). The ledger's clock
    (timed acts) does not run: a test's items past their deadline stay as it wrote them
    (``tests.api.test_server_clock`` runs it)."""
    given: dict[str, Any] = {"poll_seconds": 0.02, "timed_acts": False}
    return ServeOptions(**{**given, **changes})


def new_app(settings: Settings, options: ServeOptions) -> Starlette:
    return create_app(settings, options)


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
class Served:
    """A real uvicorn serving the app on a loopback port, in a thread of the test process."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread


@dataclass
class LiveServer:
    """A running ``ledger serve`` (in-process, or ``served`` by uvicorn) and a client for it."""

    app: Any
    client: httpx.Client
    served: Served | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The server's address on the loopback (end-to-end tests only)."""
        if self.served is None:
            raise AssertionError("an in-process server has no address: use `served`")
        return self.served.url

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


BACKGROUND_THREADS = ("projections", "seal-watch")
"""The server's own threads: what they ask meanwhile is no request's work."""


class QueryCounter:
    """Counts the statements the server sends to its read models while active, for the
    requests (not the projections catching up or the seal watch walking meanwhile)."""

    def __init__(self, services: Services) -> None:
        self.engine = services.engine
        self.count = 0

    def _seen(self, *_: Any) -> None:
        if threading.current_thread().name not in BACKGROUND_THREADS:
            self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def start_server(
    settings: Settings, options: ServeOptions | None = None, *, ready: bool = True
) -> LiveServer:
    """The app in-process, its lifespan run, and (``ready``) its projections caught up."""
    app = new_app(settings, options or serve_options())
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    live = LiveServer(app, client)
    try:
        if ready:
            wait_until_ready(live)
    except BaseException:
        client.__exit__(None, None, None)
        raise
    return live


def serve(
    settings: Settings, options: ServeOptions | None = None, sock: socket.socket | None = None
) -> LiveServer:
    """The app served by a real uvicorn on a free loopback port (or on ``sock``), ready."""
    app = new_app(settings, options or serve_options())
    sock = sock or bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws_ping_interval=5
    )
    server = uvicorn.Server(config)
    thread = serve_in_thread(server, sock)
    url = f"http://127.0.0.1:{port}"
    live = LiveServer(app, httpx.Client(base_url=url, timeout=30), Served(url, server, thread))
    try:
        wait_until_ready(live)
    except BaseException:
        stop_server(live)
        raise
    return live


@contextmanager
def server_on(database: str, folder: Path) -> Iterator[LiveServer]:
    """A server in-process on a new ledger: ``database`` "sqlite" (a file in ``folder``) or
    "postgres" (a schema of its own, dropped after): for module-scoped worlds of both."""
    if database == "sqlite":
        live = start_server(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"))
        try:
            yield live
        finally:
            stop_server(live)
        return
    schemas = _fresh_schema()
    live = start_server(settings_for(next(schemas)))
    try:
        yield live
    finally:
        stop_server(live)
        next(schemas, None)  # drops the schema


def wait_until_ready(live: LiveServer) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if live.client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass  # uvicorn not listening yet
        time.sleep(0.01)
    raise RuntimeError(f"the server did not become ready in {READY_SECONDS} s")


def stop_server(live: LiveServer) -> None:
    """Stop either kind of server: its lifespan ends (the ledger closed, threads joined)."""
    if live.served is None:
        live.client.__exit__(None, None, None)
        return
    live.client.close()
    live.served.server.should_exit = True
    live.served.thread.join(timeout=15)


@pytest.fixture(scope="session")
def prepared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite ledger as a new server leaves it (its tables made, nothing in them), made
    once per worker: preparing one costs a few hundred commits."""
    path = tmp_path_factory.mktemp("prepared") / "ledger.sqlite"
    stop_server(start_server(settings_for(f"sqlite:///{path}")))
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, prepared_ledger: Path) -> str:
    """A fresh SQLite ledger of the test's own: a copy of the prepared one."""
    for made in prepared_ledger.parent.glob(f"{prepared_ledger.name}*"):
        shutil.copyfile(made, tmp_path / made.name)
    return f"sqlite:///{tmp_path / prepared_ledger.name}"


@pytest.fixture
def live(sqlite_url: str) -> Iterator[LiveServer]:
    """The service in-process on a fresh SQLite ledger."""
    server = start_server(settings_for(sqlite_url))
    yield server
    stop_server(server)


@pytest.fixture
def live_postgres(postgres_url: str) -> Iterator[LiveServer]:
    """The service in-process on a fresh PostgreSQL schema."""
    server = start_server(settings_for(postgres_url))
    yield server
    stop_server(server)


@pytest.fixture
def served(sqlite_url: str) -> Iterator[LiveServer]:
    """A real uvicorn on a fresh SQLite ledger (end-to-end tests: mark them slow)."""
    server = serve(settings_for(sqlite_url))
    yield server
    stop_server(server)


@pytest.fixture
def served_postgres(postgres_url: str) -> Iterator[LiveServer]:
    """A real uvicorn on a fresh PostgreSQL schema (end-to-end tests: mark them slow)."""
    server = serve(settings_for(postgres_url))
    yield server
    stop_server(server)
