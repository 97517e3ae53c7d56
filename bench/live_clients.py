"""One process of bench/live.py's subscribers: many WebSockets (graphql-transport-ws) on one
asyncio loop, driven by bench/live.py over its standard input and output, a JSON object a
line each way.

Commands, each answered by one line:

``open``: connect ``count`` sockets to ``url``, each sending ``{"authorization": "Bearer
<token>"}`` as its ``connection_init`` payload and waiting for the ack;
``subscribe``: send ``query`` (with ``variables``) on every socket at once; answers each
socket's seconds from its subscribe to its first message (null: none within ``timeout``);
``expect``: for each socket, seconds from ``answered`` (the write's response) to the first
message received since ``sent`` (the write's request) that reflects it: for ledgerEvents
the event at ``position``, for a view any new snapshot (null: none by ``timeout``);
``close``: close every socket, then exit.

Answers to ``subscribe`` and ``expect`` carry ``busy``: the process's CPU time during the
command over the time from the first message to the last (``busy``), near 1 when reading
them, rather than the server, was the limit. Times are
``time.monotonic()``, one clock for every process of the machine.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")
HANDSHAKES_AT_ONCE = 64
BUSY_FROM = 100


@dataclass(eq=False)
class Socket:
    """One subscriber: its connection and when each message came (with its log position,
    for ledgerEvents)."""

    connection: ClientConnection
    subscribed_at: float = 0.0
    arrivals: list[tuple[float, int | None]] = field(default_factory=list)
    error: str | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        try:
            async for raw in self.connection:
                now = time.monotonic()
                message = json.loads(raw)
                if message.get("type") == "next":
                    data = message["payload"].get("data") or {}
                    event = data.get("ledgerEvents")
                    self.arrivals.append((now, event["position"] if event else None))
                    if message["payload"].get("errors"):
                        self.error = str(message["payload"]["errors"])[:300]
                elif message.get("type") in ("error", "complete"):
                    self.error = f"{message['type']}: {str(message.get('payload'))[:300]}"
                elif message.get("type") == "ping":
                    await self.connection.send(json.dumps({"type": "pong"}))
                self.arrived.set()
        except WebSocketException as error:
            self.error = f"{type(error).__name__}: {error}"
        self.arrived.set()

    async def first_since(self, since: float, position: int | None, deadline: float) -> float:
        """When the first message since ``since`` (at ``position``, if given) came; NaN if
        none by ``deadline``."""
        while True:
            for at, at_position in self.arrivals:
                if at >= since and (position is None or at_position == position):
                    return at
            left = deadline - time.monotonic()
            if left <= 0 or self.error is not None:
                return float("nan")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except TimeoutError:
                return float("nan")


async def open_socket(url: str, token: str, gate: asyncio.Semaphore) -> Socket:
    async with gate:
        connection = await connect(
            url, subprotocols=[PROTOCOL], ping_interval=None, max_size=None, open_timeout=60
        )
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await connection.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(connection.recv(), 60))
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no connection_ack but {ack}")
    return Socket(connection)


def span(arrivals: list[float]) -> float:
    """Seconds from the first arrival to the last (NaN, none in time, left out); NaN for
    fewer than BUSY_FROM (too few for the CPU time they took to say anything)."""
    came = [at for at in arrivals if not math.isnan(at)]
    return max(came) - min(came) if len(came) >= BUSY_FROM else math.nan


class Subscribers:
    """This process's sockets and the tasks reading them."""

    def __init__(self) -> None:
        self.sockets: list[Socket] = []
        self.readers: list[asyncio.Task[None]] = []

    async def open(self, url: str, token: str, count: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        self.sockets = list(
            await asyncio.gather(*(open_socket(url, token, gate) for _ in range(count)))
        )
        self.readers = [asyncio.create_task(s.read()) for s in self.sockets]
        return {"opened": len(self.sockets)}

    async def subscribe(
        self, query: str, variables: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        payload = {"query": query, "variables": variables}
        for number, socket in enumerate(self.sockets):
            socket.subscribed_at = time.monotonic()
            message = {"id": str(number), "type": "subscribe", "payload": payload}
            await socket.connection.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        firsts = await asyncio.gather(
            *(s.first_since(s.subscribed_at, None, deadline) for s in self.sockets)
        )
        delays = [first - s.subscribed_at for first, s in zip(firsts, self.sockets, strict=True)]
        return {"delays": delays, "errors": self.errors(), "span": span(firsts)}

    async def expect(
        self, sent: float, answered: float, position: int | None, timeout: float
    ) -> dict[str, Any]:
        deadline = answered + timeout
        firsts = await asyncio.gather(
            *(s.first_since(sent, position, deadline) for s in self.sockets)
        )
        delays = [first - answered for first in firsts]
        return {"delays": delays, "errors": self.errors(), "span": span(firsts)}

    def errors(self) -> list[str]:
        return [s.error for s in self.sockets if s.error is not None]

    async def close(self) -> dict[str, Any]:
        await asyncio.gather(*(s.connection.close() for s in self.sockets), return_exceptions=True)
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        return {"closed": len(self.sockets)}


def busy(cpu: float, span: float) -> float:
    """How busy this process was while the messages came: its CPU time over the time from
    the first to the last (near 1: reading them was the limit, they came as fast as it
    could take them); NaN when too few came."""
    return min(cpu / span, 1.0) if span > 0 else math.nan


async def serve_commands() -> None:
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    subscribers = Subscribers()
    while line := await commands.readline():
        command = json.loads(line)
        name = command.pop("command")
        cpu = time.process_time()
        try:
            answer = await getattr(subscribers, name)(**command)
        except (OSError, WebSocketException, RuntimeError, TimeoutError) as error:
            answer = {"failed": f"{name}: {type(error).__name__}: {error}"}
        answer["busy"] = busy(time.process_time() - cpu, answer.get("span", math.nan))
        print(json.dumps(answer, allow_nan=True), flush=True)
        if name == "close":
            return


if __name__ == "__main__":
    asyncio.run(serve_commands())
