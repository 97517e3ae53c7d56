"""The projections, run in a thread of the server, and the wait for a position.

The thread catches up, then follows the log (woken at once by the server's own
commits). Request handlers wait here for the position a client last wrote, so a
client reads its own writes; dashboards wait here for the next change.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from contextlib import suppress

from projections.engine import Runner
from projections.follow import Wakeup, follow

RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 5.0
LOG = logging.getLogger("ledger.projections")


class Projector:
    """Runs ``runner`` in a daemon thread and tells asyncio waiters how far it got."""

    def __init__(self, runner: Runner, poll_seconds: float = 0.5, *, run: bool = True) -> None:
        self.runner = runner
        self.run = run  # False: another process runs them (`ledger project`); watch it
        self.poll_seconds = poll_seconds
        self.position = 0
        self.caught_up = False
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._wakeup: Wakeup | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._advanced: asyncio.Condition | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._advanced = loop, asyncio.Condition()
        target = self._run if self.run else self._watch
        self._thread = threading.Thread(target=target, name="projections", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._wakeup is not None:
            self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    async def wait_for(self, position: int, timeout: float) -> bool:
        """Wait until every running projection has reached ``position``; False on timeout."""
        assert self._advanced is not None
        async with self._advanced:
            with suppress(TimeoutError):
                await asyncio.wait_for(
                    self._advanced.wait_for(lambda: self.position >= position), timeout
                )
        return self.position >= position

    async def next_change(self, seen: int) -> int:
        """Wait until the projections move past ``seen``; return where they are."""
        assert self._advanced is not None
        async with self._advanced:
            await self._advanced.wait_for(lambda: self.position > seen)
        return self.position

    def _run(self) -> None:
        """Catch up, then follow; a database error (a lock, a dropped connection) is
        reported by the readiness probe meanwhile, logged, and tried again after a pause.
        (A projection failing on an event stops on its own, with its position.)"""
        wakeup = self._wakeup = Wakeup(self.runner.ledger, self.poll_seconds)
        if self._stop.is_set():  # stopped while the wakeup was being made
            wakeup.close()
            return
        pause = RETRY_SECONDS
        try:
            while not self._stop.is_set():
                try:
                    self.runner.catch_up()
                    self.caught_up, self.error = True, None
                    self._publish(self.runner.covered())
                    follow(self.runner, wakeup, self._stop, self._publish)
                except Exception as error:
                    self.error = error
                    LOG.exception("the projections thread failed; retrying")
                    self._stop.wait(pause)
                    pause = min(pause * 2, MAX_RETRY_SECONDS)
        finally:
            wakeup.close()

    def _watch(self) -> None:
        """Follow the positions another process's projections record."""
        while not self._stop.is_set():
            try:
                statuses = [s for s in self.runner.status() if s.failed_position is None]
                position = min((s.position for s in statuses), default=0)
                self.caught_up = self.caught_up or position >= self.runner.head()
                self.error = None
                self._publish(position)
            except Exception as error:
                self.error = error
                LOG.exception("reading the projections' positions failed; retrying")
            self._stop.wait(self.poll_seconds)

    def _publish(self, position: int) -> None:
        if position > self.position:  # a holiday schedule adopted elsewhere: lights use it
            self.runner.ledger.current_rules()
        if self._loop is not None and not self._loop.is_closed():
            with suppress(RuntimeError):  # the loop closed while shutting down
                asyncio.run_coroutine_threadsafe(self._advance(position), self._loop)

    async def _advance(self, position: int) -> None:
        assert self._advanced is not None
        async with self._advanced:
            self.position = max(self.position, position)
            self._advanced.notify_all()
