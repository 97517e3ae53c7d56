"""``ledger project``, ``ledger rebuild`` and ``ledger projections``: the read-model workers."""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tqdm import tqdm

from api.config import Settings, open_ledger
from domain.errors import LedgerError
from projections.catalog import PROJECTION_NAMES, runner_for
from projections.database import read_model_engine
from projections.engine import Runner
from projections.follow import Wakeup, follow

REBUILD_BATCH = 50_000
"""Log positions per transaction in a rebuild: few transactions, so the two workers
seldom wait for each other's write lock (a worker following live takes what is new)."""


class UnknownProjection(LedgerError):
    """A projection name that is not one of the ledger's."""


@dataclass(frozen=True)
class RebuildResult:
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def projection_runner(
    settings: Settings, names: Sequence[str] = (), batch_size: int | None = None
) -> Runner:
    """A prepared runner over the named projections (all when none are named)."""
    unknown = [n for n in names if n not in PROJECTION_NAMES]
    if unknown:
        raise UnknownProjection(
            f"no projection {unknown[0]!r}; known: {', '.join(PROJECTION_NAMES)}"
        )
    ledger = open_ledger(settings, create=False)
    runner = runner_for(ledger, read_model_engine(settings.database), names)
    if batch_size is not None:
        runner.batch_size = batch_size
    runner.prepare()
    return runner


def rebuild(runner: Runner, progress: bool = True) -> RebuildResult:
    """Empty the runner's projections and project the whole log again, in this process."""
    for name in runner.projections:
        runner.reset(name)
    started = time.perf_counter()
    with tqdm(total=runner.head(), unit="ev", disable=not progress, file=sys.stderr) as bar:

        def advance(covered: int) -> None:
            bar.update(covered)

        covered = runner.catch_up(on_batch=advance)
    return RebuildResult(covered, time.perf_counter() - started)


def rebuild_in_parallel(settings: Settings, runner: Runner, progress: bool = True) -> RebuildResult:
    """Empty the runner's projections, then rebuild them in two worker processes.

    The complaints projection, the heaviest, gets a process of its own; the others
    (the seal among them, which reads every stored row) share the second. Each worker
    reads the log and applies its projections' batches exactly as ``ledger project``
    does, so a worker killed midway leaves tables that any later run completes.
    """
    groups = _split(list(runner.projections))
    if len(groups) < 2:
        return rebuild(runner, progress)
    for name in runner.projections:
        runner.reset(name)
    head, started = runner.head(), time.perf_counter()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_catch_up, args=(settings, group, runner.batch_size))
        for group in groups
    ]
    for worker in workers:
        worker.start()
    try:
        with tqdm(total=head, unit="ev", disable=not progress, file=sys.stderr) as bar:
            while any(worker.is_alive() for worker in workers):
                time.sleep(0.2)
                bar.update(max(0, _slowest(runner) - bar.n))
            bar.update(max(0, head - bar.n))
    finally:
        for worker in workers:  # interrupted: the workers stop too (their batches roll back)
            if worker.is_alive():
                worker.terminate()
            worker.join()
    failed = [w.exitcode for w in workers if w.exitcode != 0]
    if failed:
        raise RebuildFailed(f"a rebuild worker stopped with exit code {failed[0]}")
    return RebuildResult(head, time.perf_counter() - started)


class RebuildFailed(LedgerError):
    """A rebuild worker process did not finish."""


HEAVY = ("complaints",)


def _split(names: list[str]) -> list[list[str]]:
    heavy = [n for n in names if n in HEAVY]
    rest = [n for n in names if n not in HEAVY]
    return [group for group in (heavy, rest) if group]


def _catch_up(settings: Settings, names: list[str], batch_size: int) -> None:
    projection_runner(settings, names, batch_size).catch_up()


def _slowest(runner: Runner) -> int:
    return min((s.position for s in runner.status() if s.name in runner.projections), default=0)


def run_until_stopped(runner: Runner, poll_seconds: float) -> None:
    """Catch up, then follow the log until SIGINT or SIGTERM."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    wakeup = Wakeup(runner.ledger, poll_seconds)
    try:
        follow(runner, wakeup, stop)
    finally:
        wakeup.close()


def status_lines(runner: Runner) -> list[str]:
    head = runner.head()
    lines = []
    for s in runner.status():
        state = (
            f"FAILED at position {s.failed_position}: {s.error}"
            if s.failed_position is not None
            else "up to date"
            if s.position >= head
            else f"{head - s.position} behind"
        )
        lines.append(f"{s.name:<11} v{s.version}  position {s.position:>9}  {state}")
    return lines
