"""A small graphql-transport-ws client for the API tests, spoken by hand over ``websockets``.

Every receive has a timeout, so a message that never comes fails the test instead of
hanging it. Messages for other subscriptions are kept until they are asked for.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict, deque
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")
TIMEOUT = 10.0


class ProtocolError(AssertionError):
    """The server sent something the test did not expect."""


class GraphQLWS:
    """One graphql-transport-ws connection: ``connection_init`` sent, ``connection_ack`` seen."""

    def __init__(self, url: str, *, payload: dict[str, Any] | None = None) -> None:
        self._stack = ExitStack()  # connect() is used as a context manager, as websockets asks
        self.ws: ClientConnection = self._stack.enter_context(
            connect(url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT, close_timeout=2)
        )
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
