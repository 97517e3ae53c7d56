"""The downloads' own workers: exports (``/exports/...``) and documents (``/documents/...``)
take most of a second each, so they run in a small pool of their own, never in the default
executor the token checks and GraphQL reads share. At most ``workers`` run and ``waiting``
wait; one more is refused at once (``Busy``: 503 with ``Retry-After``), so a burst of
downloads neither starves GraphQL nor queues without bound."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

T = TypeVar("T")

WORKERS = 2
WAITING = 4
RETRY_AFTER_SECONDS = 5
"""What a refused download is told to wait before asking again."""


class Busy(Exception):
    """As many downloads as may be are running or waiting already."""


class HeavyWork:
    """A bounded pool; ``admitted`` (running and waiting) is counted on the event loop."""

    def __init__(self, workers: int = WORKERS, waiting: int = WAITING) -> None:
        self.workers, self.waiting = workers, waiting
        self.admitted = 0
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="download")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the pool; ``Busy`` when it is full. A job counts until its thread
        is done with it, even if its client left meanwhile."""
        if self.admitted >= self.workers + self.waiting:
            raise Busy
        loop = asyncio.get_running_loop()
        call = functools.partial(contextvars.copy_context().run, fn, *args)
        job: Future[T] = self._pool.submit(call)
        self.admitted += 1
        job.add_done_callback(lambda _: loop.call_soon_threadsafe(self._finished))
        return await asyncio.wrap_future(job)

    def _finished(self) -> None:
        self.admitted -= 1

    def close(self) -> None:
        """Waits for the jobs running (their reads end before the engine is disposed)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def heavy_work(request: Request) -> HeavyWork:
    work: HeavyWork = request.app.state.heavy_work
    return work


def busy_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}
