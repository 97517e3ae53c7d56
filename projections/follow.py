"""Following the log live: catch up, then wait to be woken and catch up again.

A commit in the same process wakes the follower at once (``Ledger.on_commit``).
On PostgreSQL a commit in any process wakes it through LISTEN/NOTIFY (the
library's recorder notifies its table's channel on every insert). On SQLite,
where no such signal crosses processes, it polls.
"""

from __future__ import annotations

import os
import selectors
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from domain.drivers import is_postgres, postgres_errors
from domain.ledger import Ledger
from projections.engine import Runner

if TYPE_CHECKING:
    import psycopg


LOOK_AGAIN_SECONDS = 1.0
"""A wait on the LISTEN connection looks at whether it was stopped at least this often (a
pipe closed under a waiting selector does not wake it)."""


class Wakeup:
    """Wakes a follower when the log may have grown, or when it is asked to stop.

    ``set`` (a commit in this process, or a stop) writes a byte to a pipe of its own;
    ``wait`` watches that pipe together with the LISTEN connection's socket, so either
    ends the wait at once, whatever the poll interval."""

    def __init__(self, ledger: Ledger, poll_seconds: float = 0.5) -> None:
        self.poll_seconds = poll_seconds
        self._event = threading.Event()
        self._listener = _listen(ledger)
        self._woken, self._waker = os.pipe()
        for end in (self._woken, self._waker):
            os.set_blocking(end, False)
        self._closing = threading.RLock()  # `set` may come from a signal handler
        self._closed = False
        ledger.on_commit(lambda _position: self.set())

    def wait(self) -> None:
        """Return when woken, or after the poll interval at the latest; at once when
        closed (a wait started late, by a follower already stopped)."""
        if self._closed:
            return
        if self._listener is None:
            self._event.wait(self.poll_seconds)
        elif not self._event.is_set():
            self._wait_for_notify(self._listener)
        self._event.clear()
        self._drain()

    def _wait_for_notify(self, listener: psycopg.Connection[tuple[object, ...]]) -> None:
        """Wait for a NOTIFY or a ``set``; a LISTEN connection that fails (the server
        restarted) is dropped, and the follower polls from then on."""
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self._woken, selectors.EVENT_READ)
                selector.register(listener.fileno(), selectors.EVENT_READ)
                deadline = time.monotonic() + self.poll_seconds
                while (left := deadline - time.monotonic()) > 0:
                    ready = {key.fd for key, _ in selector.select(min(left, LOOK_AGAIN_SECONDS))}
                    if self._woken in ready or (ready and _notified(listener)):
                        return
                    if self._closed or self._event.is_set():  # closed while waiting: the
                        return  # pipe's end left the selector without waking it
        except postgres_errors():
            self._listener = None
            listener.close()

    def _drain(self) -> None:
        with self._closing, suppress(BlockingIOError):
            while not self._closed and os.read(self._woken, 4096):
                pass

    def set(self) -> None:
        self._event.set()
        with self._closing, suppress(BlockingIOError):  # a full pipe wakes the waiter too
            if not self._closed:
                os.write(self._waker, b"!")

    def close(self) -> None:
        """Close the pipe and the LISTEN connection; a commit after this wakes nobody
        (the ledger keeps calling ``set``, which then writes nowhere)."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            os.close(self._woken)
            os.close(self._waker)
        if self._listener is not None:
            self._listener.close()


def _notified(listener: psycopg.Connection[tuple[object, ...]]) -> bool:
    """Whether what the LISTEN connection received holds a notification."""
    return any(True for _ in listener.notifies(timeout=0, stop_after=1))


def follow(
    runner: Runner,
    wakeup: Wakeup,
    stop: threading.Event,
    on_advance: Callable[[int], None] | None = None,
    end_when_stopped: bool = False,
) -> None:
    """Keep the projections up to date until ``stop`` is set; after each batch, tell
    ``on_advance`` the position every running projection has reached. With
    ``end_when_stopped``, also end when every projection has stopped (there is nothing
    left to run until one is rebuilt)."""
    while not stop.is_set():
        if end_when_stopped and runner.stopped():
            return
        if runner.step() == 0:
            wakeup.wait()
        elif on_advance is not None:
            on_advance(runner.covered())


def _listen(ledger: Ledger) -> psycopg.Connection[tuple[object, ...]] | None:
    """A connection listening on the log's channel, on PostgreSQL; None on SQLite, which
    has no such signal (and never loads the PostgreSQL driver)."""
    recorder = ledger.recorder
    if not is_postgres(recorder):
        return None
    import psycopg

    env = ledger.env
    conn = psycopg.connect(
        host=env.get("POSTGRES_HOST"),
        port=env.get("POSTGRES_PORT"),
        dbname=env.get("POSTGRES_DBNAME"),
        user=env.get("POSTGRES_USER"),
        password=env.get("POSTGRES_PASSWORD") or None,
        autocommit=True,
    )
    conn.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(recorder.channel_name)))
    return conn
