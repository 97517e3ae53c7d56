"""Deadlines for what a client sends: a connection that trickles its request in is closed.

uvicorn closes an idle connection between two requests (``timeout_keep_alive``), but none
while a request is coming in: a client sending its headers a byte at a time, or its body,
held a connection (and the memory it gathered) for as long as it liked, and enough such
clients hold them all. So:

- the request line and headers must be complete within ``headers_seconds`` of the
  connection's opening, or of the first byte of the next request on it; otherwise the
  connection is closed (``header_deadline_protocol``: uvicorn's own HTTP protocol, told when
  a request begins and when its headers are complete). Nor may they pass ``max_header_bytes``
  (httptools sets no bound: a client could send megabytes of headers within the deadline):
  ``431`` and the connection closed;
- the body must be complete within ``body_seconds`` of the headers; otherwise the request
  is answered ``408 Request Timeout`` and the connection closed (``BodyDeadline``, around the
  ASGI app: a late body is noticed when the app waits for it).

A WebSocket or an event stream, once its request is in, is not held to either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TIMED_OUT = b"the request's body did not arrive in time\n"
_TOO_LARGE = b"the request's headers are too large\n"
HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TOO_LARGE), _TOO_LARGE)
)


def header_deadline_protocol(
    headers_seconds: float, max_header_bytes: int
) -> type[HttpToolsProtocol]:
    """uvicorn's HTTP protocol (httptools, as ``uvicorn[standard]`` brings) closing a
    connection whose request line and headers are not in within ``headers_seconds``, or
    run past ``max_header_bytes`` (counted from the read after the one they began in)."""

    class HeaderDeadline(HttpToolsProtocol):
        deadline: asyncio.TimerHandle | None = None
        header_bytes = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm()  # a connection that sends nothing at all is closed as well

        def data_received(self, data: bytes) -> None:
            in_headers = self.deadline is not None
            super().data_received(data)
            if in_headers and self.deadline is not None:  # all of it was headers
                self.header_bytes += len(data)
                if self.header_bytes > max_header_bytes:
                    self.refuse_headers()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self.deadline is None:
                self.arm()

        def on_headers_complete(self) -> None:
            self.disarm()  # also before a WebSocket takes the connection over
            super().on_headers_complete()

        def refuse_headers(self) -> None:
            self.disarm()
            if not self.transport.is_closing():
                self.transport.write(HEADERS_TOO_LARGE)
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm()
            super().connection_lost(exc)

        def arm(self) -> None:
            self.header_bytes = 0
            self.deadline = self.loop.call_later(headers_seconds, self.expired)

        def disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def expired(self) -> None:
            self.deadline = None
            if not self.transport.is_closing():
                self.transport.close()

    return HeaderDeadline


class BodyDeadline:
    """Around an ASGI app: an HTTP request's body must be in within ``seconds`` of the app
    being called (its headers complete). When it is not, the app is told the client left
    (``http.disconnect``), the client is answered ``408`` with ``connection: close`` (unless
    the app had begun answering) and anything the app sends after is dropped. Any answer
    given before the whole body is in closes the connection, so the rest of a body cannot
    keep it open either."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = _Request(receive, send, asyncio.get_running_loop().time() + self.seconds)
        try:
            await self.app(scope, request.receive, request.send)
        except Exception:
            if not request.timed_out:
                raise  # after a timeout, the app's complaint about the missing body is moot


class _Request:
    """One request's receive and send, watched for its body's deadline."""

    def __init__(self, receive: Receive, send: Send, deadline: float) -> None:
        self._receive = receive
        self._send = send
        self.deadline = deadline
        self.body_in = False
        self.answering = False
        self.timed_out = False

    async def receive(self) -> Message:
        if self.timed_out:
            return {"type": "http.disconnect"}
        if self.body_in:
            return await self._receive()  # waiting for the client to leave is not bounded
        try:
            async with asyncio.timeout_at(self.deadline):
                message = await self._receive()
        except TimeoutError:
            await self._time_out()
            return {"type": "http.disconnect"}
        if message["type"] != "http.request" or not message.get("more_body", False):
            self.body_in = True
        return message

    async def send(self, message: Message) -> None:
        if self.timed_out:
            return
        if message["type"] == "http.response.start":
            self.answering = True
            if not self.body_in:
                kept = [h for h in message.get("headers", []) if h[0].lower() != b"connection"]
                message = {**message, "headers": [*kept, _CLOSE]}
        await self._send(message)

    async def _time_out(self) -> None:
        self.timed_out = True
        if self.answering:
            return
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(TIMED_OUT)).encode()),
            _CLOSE,
        ]
        await self._send({"type": "http.response.start", "status": 408, "headers": headers})
        await self._send({"type": "http.response.body", "body": TIMED_OUT})


_CLOSE = (b"connection", b"close")
