"""A small graphql-transport-ws client for the API tests, spoken by hand over ``websockets``
(to a served app) or over Starlette's in-process WebSocket session (to an app in-process).

Every receive has a timeout, so a message that never comes fails the test instead of
hanging it. Messages for other subscriptions are kept until they are asked for.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Protocol

import httpx
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.api.in_process import TestClient, WebSocketTestSession

PROTOCOL = Subprotocol("graphql-transport-ws")
TIMEOUT = 10.0


class ProtocolError(AssertionError):
    """The server sent something the test did not expect."""


class Connection(Protocol):
    """What the client needs of a WebSocket connection (as websockets' sync client has it)."""

    @property
    def subprotocol(self) -> str | None: ...

    def send(self, message: str) -> None: ...

    def recv(self, timeout: float | None = None) -> str | bytes: ...


class InProcess:
    """An in-process WebSocket session (Starlette's TestClient) as a ``Connection``: a
    receive waits in a helper thread, so it can time out; a receive that timed out is
    still the next one's, so no message is lost."""

    def __init__(self, session: WebSocketTestSession) -> None:
        self.session = session
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ws-reader")
        self._waiting: Future[str] | None = None

    @property
    def subprotocol(self) -> str | None:
        accepted: str | None = self.session.accepted_subprotocol
        return accepted

    def send(self, message: str) -> None:
        self.session.send_text(message)

    def recv(self, timeout: float | None = None) -> str:
        if self._waiting is None:
            self._waiting = self._reader.submit(self.session.receive_text)
        try:
            text = self._waiting.result(timeout)
        except FutureTimeout:
            raise TimeoutError from None
        self._waiting = None
        return text

    def close(self) -> None:
        self._reader.shutdown(wait=False, cancel_futures=True)


def session(client: httpx.Client) -> WebSocketTestSession:
    """A WebSocket to ``/graphql`` of the app ``client`` runs in-process (a TestClient),
    speaking graphql-transport-ws: enter it to connect."""
    assert isinstance(client, TestClient), "a served app is reached over a real socket"
    return client.websocket_connect("/graphql", subprotocols=[PROTOCOL])


class GraphQLWS:
    """One graphql-transport-ws connection: ``connection_init`` sent, ``connection_ack`` seen."""

    def __init__(
        self, server: str | httpx.Client, *, payload: dict[str, Any] | None = None
    ) -> None:
        """Connect to ``server``: a ``ws://`` URL, or the client of an app in-process."""
        self._stack = ExitStack()  # connect() is used as a context manager, as websockets asks
        self.ws: Connection
        if isinstance(server, str):
            self.ws = self._stack.enter_context(
                connect(server, subprotocols=[PROTOCOL], open_timeout=TIMEOUT, close_timeout=2)
            )
        else:
            self.ws = in_process = InProcess(self._stack.enter_context(session(server)))
            self._stack.callback(in_process.close)
        self._ids = itertools.count(1)
        self._pending: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
        self._control: deque[dict[str, Any]] = deque()
        try:
            assert self.ws.subprotocol == PROTOCOL, self.ws.subprotocol
            self.send({"type": "connection_init", "payload": payload or {}})
            ack = self._receive()
            if ack.get("type") != "connection_ack":
                raise ProtocolError(f"expected connection_ack, got {ack}")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> GraphQLWS:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        """Start an operation; its id."""
        op_id = str(next(self._ids))
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        self.send({"id": op_id, "type": "subscribe", "payload": payload})
        return op_id

    def stop(self, op_id: str) -> None:
        """Tell the server this client wants no more of ``op_id``."""
        self.send({"id": op_id, "type": "complete"})

    def message(self, op_id: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next message (``next``, ``error`` or ``complete``) for ``op_id``."""
        while not self._pending[op_id]:
            self._file(self._receive(timeout))
        return self._pending[op_id].popleft()

    def next(self, op_id: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The ``data`` of the next result of ``op_id``, which must carry no errors."""
        message = self.message(op_id, timeout)
        if message["type"] != "next":
            raise ProtocolError(f"expected a next message for {op_id}, got {message}")
        payload: dict[str, Any] = message["payload"]
        if payload.get("errors"):
            raise ProtocolError(f"errors in a result of {op_id}: {payload['errors']}")
        data: dict[str, Any] = payload["data"]
        return data

    def nexts(self, op_id: str, count: int, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        return [self.next(op_id, timeout) for _ in range(count)]

    def control(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next message that belongs to no operation (a ``pong``)."""
        while not self._control:
            self._file(self._receive(timeout))
        return self._control.popleft()

    def buffered(self, op_id: str) -> list[dict[str, Any]]:
        """What has arrived for ``op_id`` and was not yet asked for."""
        return list(self._pending[op_id])

    def _file(self, message: dict[str, Any]) -> None:
        if "id" in message:
            self._pending[str(message["id"])].append(message)
        else:
            self._control.append(message)

    def _receive(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        while True:
            try:
                raw = self.ws.recv(timeout=timeout)
            except TimeoutError:
                raise ProtocolError(f"no message from the server in {timeout} s") from None
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") != "ping":
                return message
            self.send({"type": "pong"})  # the protocol asks the client to answer a ping
