"""The service the page tests open: a real uvicorn on a loopback port of its own, on an
SQLite ledger holding the 2021 plan, the demo's activity (``ledger demo``, as ``make run``
records it) and a token for each role. It can
be stopped and started again on the same port (a page must reconnect by itself)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.bootstrap import open_ledger
from api.cli.demo import record_demo
from api.cli.tokens import demo_tokens
from api.runtime.services import ServeOptions
from api.settings import Settings
from domain.meta import Role
from domain.unit import unit_id_for
from tests.api.conftest import LiveServer, serve, stop_server
from tests.conftest import settings_for
from tests.pages.ports import port_outside_ephemeral_range

DEMO_UNIT = "区经济发展局"
"""The unit whose staff the unit token acts for: a lead unit of the 2021 plan."""


def socket_on(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@dataclass
class PageServer:
    settings: Settings
    port: int
    tokens: dict[Role, str]
    live: LiveServer | None = None
    written: int = 0
    """The highest log position a mutation sent through ``gql`` wrote: every later request
    through ``gql`` reads it (X-Ledger-Position), so a test's next step sees its last one
    (a unit acting on a task the office has just assigned to it, say)."""
    options: ServeOptions = field(
        # the ledger's clock (timed acts) does not run: items stay as the pages' tests wrote them
        default_factory=lambda: ServeOptions(graphiql=True, poll_seconds=0.02, timed_acts=False)
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, sock: socket.socket | None = None) -> None:
        self.live = serve(self.settings, self.options, sock or socket_on(self.port))

    def stop(self) -> None:
        if self.live is not None:
            stop_server(self.live)
            self.live = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def gql(
        self, query: str, variables: dict[str, Any] | None = None, role: Role = Role.OFFICE
    ) -> Any:
        """The ``data`` of a request that must succeed, as ``role``'s token, reading every
        write made through here before it."""
        assert self.live is not None, "the server is stopped"
        headers = {
            "authorization": f"Bearer {self.tokens[role]}",
            "x-ledger-position": str(self.written),
        }
        response = self.live.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        self.written = max([self.written, *positions_written(body["data"])])
        return body["data"]

    def link(self, path: str, role: Role) -> str:
        """``path`` on this server, with ``role``'s token given in the URL fragment."""
        return f"{self.url}{path}#token={self.tokens[role]}"


def page_server_on(folder: Path) -> PageServer:
    """A ledger in ``folder`` with the plan, the demo and a token per role, served and ready."""
    # a port no other server is handed meanwhile: this one lets it go at each restart
    sock = socket_on(port_outside_ephemeral_range())
    settings = settings_for(f"sqlite:///{folder / 'ledger.sqlite'}")
    with closing(open_ledger(settings)) as ledger:
        record_demo(ledger)  # the 2021 plan and 90 days of activity, as `make run` records
        issued = demo_tokens(ledger, unit_id_for(DEMO_UNIT))
    tokens = {token.role: token.secret for token in issued}
    server = PageServer(settings, int(sock.getsockname()[1]), tokens)
    server.start(sock)
    return server


def positions_written(data: Any) -> Iterator[int]:
    """The log positions of the MutationSuccess answers in ``data``."""
    if isinstance(data, dict):
        if data.get("__typename") == "MutationSuccess" and isinstance(data.get("position"), int):
            yield data["position"]
        for value in data.values():
            yield from positions_written(value)
    elif isinstance(data, list):
        for value in data:
            yield from positions_written(value)
