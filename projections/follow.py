"""Following the log live: catch up, then wait to be woken and catch up again.

A commit in the same process wakes the follower at once (``Ledger.on_commit``).
On PostgreSQL a commit in any process wakes it through LISTEN/NOTIFY (the
library's recorder notifies its table's channel on every insert). On SQLite,
where no such signal crosses processes, it polls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import suppress

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder

from domain.ledger import Ledger
from projections.engine import Runner

NOTIFY_SLICE_SECONDS = 0.2


class Wakeup:
    """Wakes a follower when the log may have grown."""

    def __init__(self, ledger: Ledger, poll_seconds: float = 0.5) -> None:
        self.poll_seconds = poll_seconds
        self._event = threading.Event()
        ledger.on_commit(lambda _position: self._event.set())
        self._listener = _listen(ledger)

    def wait(self) -> None:
        """Return when woken, or after the poll interval at the latest."""
        if self._listener is None:
            self._event.wait(self.poll_seconds)
        else:
            self._wait_for_notify()
        self._event.clear()

    def _wait_for_notify(self) -> None:
        """Wait for a NOTIFY in short slices, so a wake-up in this process is not missed."""
        assert self._listener is not None
        deadline = time.monotonic() + self.poll_seconds
        with suppress(psycopg.Error):
            while not self._event.is_set() and time.monotonic() < deadline:
                for _ in self._listener.notifies(timeout=NOTIFY_SLICE_SECONDS, stop_after=1):
                    return

    def set(self) -> None:
        self._event.set()

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()


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
    recorder = ledger.recorder
    if not isinstance(recorder, PostgresApplicationRecorder):
        return None
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
