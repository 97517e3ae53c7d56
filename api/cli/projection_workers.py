"""``ledger project`` and ``ledger rebuild``: the read-model workers, each a process of
its own (the rebuild's machinery is ``projections.rebuild``'s, imported only by a rebuild:
every command reading the read models opens its runner here)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from api.bootstrap import open_ledger, open_read_models, projection_runner_on
from api.settings import Settings
from domain.errors import LedgerError
from domain.ledger import Ledger
from projections.catalog import PROJECTION_NAMES
from projections.engine import Runner
from projections.follow import Wakeup, follow

if TYPE_CHECKING:
    from projections.rebuild.from_scratch import RebuildResult

__all__ = [
    "UnknownProjection",
    "projection_runner",
    "rebuild_in_parallel",
    "run_until_stopped",
]


class UnknownProjection(LedgerError):
    """A projection name that is not one of the ledger's."""


def projection_runner(
    settings: Settings,
    names: Sequence[str] = (),
    batch_size: int | None = None,
    *,
    sign: bool = True,
) -> Runner:
    """A runner over the named projections (all when none are named), its tables set
    up; ``sign`` False: on a ledger opened only to read the log (no signing key made or
    used, the log's tables and triggers left as they are)."""
    unknown = [n for n in names if n not in PROJECTION_NAMES]
    if unknown:
        raise UnknownProjection(
            f"no projection {unknown[0]!r}; known: {', '.join(PROJECTION_NAMES)}"
        )
    # A missing SQLite file is refused; an empty one, or a new PostgreSQL schema, is set
    # up as `ledger serve` sets it up (under the set-up lock, with any others starting).
    ledger = (
        open_ledger(settings, create=settings.database.exists())
        if sign
        else open_ledger(settings, create=False, sign=False)
    )
    runner = projection_runner_on(ledger, open_read_models(settings), names)
    if batch_size is not None:
        runner.batch_size = batch_size
    runner.set_up()
    return runner


def rebuild_in_parallel(
    settings: Settings, runner: Runner, progress: bool = True, workers: int = 2
) -> RebuildResult:
    """Empty the runner's projections, then rebuild them in worker processes, each
    opening the ledger of ``settings`` (``projections.rebuild.workers``)."""
    from projections.rebuild import workers as in_workers

    opener = partial(_open_for_worker, settings)
    return in_workers.rebuild_in_parallel(opener, runner, progress, workers)


def _open_for_worker(settings: Settings) -> tuple[Ledger, Engine]:
    return open_ledger(settings, create=False), open_read_models(settings)


def run_until_stopped(
    runner: Runner, poll_seconds: float, *, timed_act_seconds: float | None = None
) -> None:
    """Catch up, then follow the log until SIGINT or SIGTERM, or until every projection
    has stopped (on an event, or at a row the checks refuse): nothing is left to run.
    Beside it, unless ``timed_act_seconds`` is None, the ledger's clock looks that often
    for the timed acts due (``api.runtime.timed_clock``)."""
    from api.runtime.timed_clock import TimedActs

    stop = threading.Event()
    wakeup = Wakeup(runner.ledger, poll_seconds)
    clock = None
    if timed_act_seconds is not None:
        clock = TimedActs(runner.ledger, runner.engine, tick_seconds=timed_act_seconds)
        clock.start()

    def stopping(*_: object) -> None:
        stop.set()
        wakeup.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopping)
    try:
        follow(runner, wakeup, stop, end_when_stopped=True)
    finally:
        if clock is not None:
            clock.stop()
        wakeup.close()
