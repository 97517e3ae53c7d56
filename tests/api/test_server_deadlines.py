"""A client that trickles its request in is cut off; one that sends it in time is served.

Found by probing: uvicorn closed idle connections between requests, but none while a request
was coming in, so a client sending its headers a byte at a time (or its body) held a
connection for as long as it liked. ``ledger serve`` runs uvicorn as ``server_config`` makes
it; here with deadlines of a fraction of a second, and raw sockets sending slowly. Nothing is
timed: the server must close the connection before the client's own generous deadline.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from api.cli.tokens import create_token
from api.http.app import create_app
from api.http.serve import Timeouts, server_config
from api.runtime.services import ServeOptions
from domain.meta import Role
from tests.api.conftest import bound_socket, serve_in_thread
from tests.conftest import settings_for

pytestmark = pytest.mark.slow
"""End to end: a real uvicorn, configured as ``ledger serve`` configures it."""

TIMEOUTS = Timeouts(headers_seconds=0.5, body_seconds=0.5, keep_alive_seconds=1)
CLIENT_DEADLINE = 15.0
"""How long a client here goes on before it gives up on the server closing (far beyond
the server's deadlines: only a server that never closes gets there)."""
DRIP = 0.05
"""Between two bytes of a trickled request."""
QUERY = json.dumps({"query": "{ __typename }"}).encode()


@dataclass
class Served:
    host: str
    port: int
    server: uvicorn.Server
    auth: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real uvicorn, configured as ``ledger serve`` configures it, with short deadlines."""
    yield from _serve(tmp_path_factory, TIMEOUTS)


@pytest.fixture(scope="module")
def patient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The same with deadlines longer than any client's here, and small headers: only
    their size can make it close a connection."""
    timeouts = Timeouts(
        headers_seconds=CLIENT_DEADLINE * 2, body_seconds=CLIENT_DEADLINE * 2, max_header_bytes=8192
    )
    yield from _serve(tmp_path_factory, timeouts)


def _serve(tmp_path_factory: pytest.TempPathFactory, timeouts: Timeouts) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("deadlines")
    app = create_app(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"), ServeOptions())
    sock = bound_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, timeouts))
    thread = serve_in_thread(server, sock)
    try:
        give_up = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < give_up, "the server did not start"
            time.sleep(0.05)
        ledger = app.state.services.ledger
        token = create_token(ledger, role=Role.OFFICE, unit=None, name="office").secret
        yield Served("127.0.0.1", port, server, {"authorization": f"Bearer {token}"})
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _open(served: Served) -> socket.socket:
    sock = socket.create_connection((served.host, served.port), timeout=CLIENT_DEADLINE)
    sock.settimeout(DRIP)
    return sock


def _closed_by_server(sock: socket.socket) -> tuple[bool, bytes]:
    """Whether the server has closed the connection (all it sent before read), waiting at
    most ``DRIP`` for it."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        return False, received
    except ConnectionResetError:
        pass
    return True, received


def _trickle(sock: socket.socket, data: bytes) -> tuple[bool, bytes]:
    """Sends ``data`` (repeated as needed) a byte at a time until the server closes the
    connection or the client's deadline passes; whether it closed, and what it answered."""
    give_up = time.monotonic() + CLIENT_DEADLINE
    answered = b""
    sent = 0
    while time.monotonic() < give_up:
        try:
            sock.sendall(data[sent % len(data) : sent % len(data) + 1])
        except (BrokenPipeError, ConnectionResetError):
            return True, answered
        sent += 1
        closed, received = _closed_by_server(sock)
        answered += received
        if closed:
            return True, answered
    return False, answered


def _headers(served: Served, length: bytes) -> bytes:
    """A GraphQL POST's line and headers, with a token and the body's ``length`` header."""
    token = served.auth["authorization"].encode()
    return (
        b"POST /graphql HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n"
        b"Authorization: %s\r\n%s\r\n\r\n" % (token, length)
    )


def test_a_connection_that_sends_its_headers_a_byte_at_a_time_is_closed(served: Served) -> None:
    with _open(served) as sock:
        request = b"POST /graphql HTTP/1.1\r\nHost: ledger\r\n"
        endless_header = b"X-Padding: " + b"a" * 10_000  # never ends: no CRLF in it

        closed, answered = _trickle(sock, request + endless_header)

    assert closed
    assert answered == b""


def test_a_request_whose_headers_run_past_the_limit_is_refused_431_and_closed(
    patient: Served,
) -> None:
    with _open(patient) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: ledger\r\n")
        give_up = time.monotonic() + CLIENT_DEADLINE
        closed, answered = False, b""
        while not closed and time.monotonic() < give_up:
            sock.sendall(b"X-Padding: " + b"a" * 1000 + b"\r\n")  # a read of its own each
            closed, answered = _closed_by_server(sock)

    assert closed
    assert answered.startswith(b"HTTP/1.1 431 "), answered


def test_a_request_with_headers_within_the_limit_is_served(patient: Served) -> None:
    padding = {f"x-padding-{i}": "a" * 1000 for i in range(6)}
    with httpx.Client(base_url=patient.url, timeout=CLIENT_DEADLINE) as client:
        answer = client.post(
            "/graphql", content=QUERY, headers={**_JSON, **patient.auth, **padding}
        )

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_a_connection_that_sends_nothing_is_closed(served: Served) -> None:
    with _open(served) as sock:
        give_up = time.monotonic() + CLIENT_DEADLINE
        closed = False
        while not closed and time.monotonic() < give_up:
            closed, _ = _closed_by_server(sock)

    assert closed


def test_a_request_whose_body_trickles_in_is_answered_408_and_its_connection_closed(
    served: Served,
) -> None:
    with _open(served) as sock:
        sock.sendall(_headers(served, b"Content-Length: 100000"))

        closed, answered = _trickle(sock, b" ")

    assert closed
    assert answered.startswith(b"HTTP/1.1 408 "), answered
    assert b"connection: close" in answered.lower()


def test_a_request_answered_before_its_body_is_in_has_its_connection_closed(
    served: Served,
) -> None:
    """Refused for want of a token before its body is read: the rest of the body, sent
    slowly, cannot keep the connection open."""
    with _open(served) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n"
        )

        closed, answered = _trickle(sock, b" ")

    assert closed
    assert answered.startswith(b"HTTP/1.1 401 "), answered
    assert b"connection: close" in answered.lower()


def test_a_chunked_body_that_trickles_in_is_answered_408_and_its_connection_closed(
    served: Served,
) -> None:
    with _open(served) as sock:
        sock.sendall(_headers(served, b"Transfer-Encoding: chunked"))

        closed, answered = _trickle(sock, b"1\r\n \r\n")

    assert closed
    assert answered.startswith(b"HTTP/1.1 408 "), answered


def test_an_idle_connection_after_a_request_is_closed(served: Served) -> None:
    with _open(served) as sock:
        sock.sendall(_headers(served, b"Content-Length: %d" % len(QUERY)) + QUERY)
        give_up = time.monotonic() + CLIENT_DEADLINE
        closed, answered = False, b""
        while not closed and time.monotonic() < give_up:
            closed, received = _closed_by_server(sock)
            answered += received

    assert closed
    assert answered.startswith(b"HTTP/1.1 "), answered
    assert b"connection: close" not in answered.lower()  # answered, then kept alive a while


def test_requests_sent_in_time_are_served_on_one_connection_past_every_deadline(
    served: Served,
) -> None:
    with httpx.Client(base_url=served.url, timeout=CLIENT_DEADLINE) as client:
        answers = []
        for _ in range(3):
            answers.append(client.post("/graphql", content=QUERY, headers={**_JSON, **served.auth}))
            time.sleep(TIMEOUTS.headers_seconds)  # idle, but within the keep-alive

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all("errors" not in a.json() for a in answers)


def test_a_websocket_open_past_the_header_and_body_deadlines_still_answers(
    served: Served,
) -> None:
    url = served.url.replace("http://", "ws://") + "/graphql"
    protocol = Subprotocol("graphql-transport-ws")
    with connect(url, subprotocols=[protocol], open_timeout=CLIENT_DEADLINE) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": served.auth}))
        time.sleep(max(TIMEOUTS.headers_seconds, TIMEOUTS.body_seconds) * 2)

        answer = json.loads(ws.recv(timeout=CLIENT_DEADLINE))

    assert answer == {"type": "connection_ack"}, answer


_JSON = {"content-type": "application/json"}
