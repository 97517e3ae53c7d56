"""A rebuild shared out among worker processes.

The projections wait in a queue, the costliest first (``REBUILD_ORDER``); each worker
takes the next one and catches it up to the end of the log, then takes another, so the
workers finish together whatever each projection costs on this database. A worker
applies its projection's batches exactly as ``ledger project`` does, so a worker killed
midway leaves tables that any later run completes. A worker that fails says why in one
line, which ``RebuildFailed`` carries; the workers end with this process, however it
ends (see ``_end_with_parent``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from domain.errors import OperationalFailure
from domain.ledger import Ledger
from projections.catalog import runner_for
from projections.engine import Runner
from projections.rebuild.from_scratch import RebuildResult, catch_up_from_scratch, rebuild

Opener = Callable[[], tuple[Ledger, Engine]]
"""What a worker process opens its ledger and read-model engine with (picklable: it is
sent to the worker)."""

REBUILD_ORDER = ("complaints", "audit", "tasks", "seal", "legacy", "oversight", "measures")
"""The projections by what a rebuild of each costs, the costliest first (measured with
``bench/rebuild.py``: complaints are two thirds of the log; the audit index and the
seal read every stored row)."""


class RebuildFailed(OperationalFailure):
    """A rebuild worker process did not finish."""


def rebuild_in_parallel(
    open_worker: Opener, runner: Runner, progress: bool = True, workers: int = 2
) -> RebuildResult:
    """Empty the runner's projections, then rebuild them in worker processes, each
    opening its ledger and engine with ``open_worker``."""
    names = _costliest_first(list(runner.projections))
    count = min(workers, len(names))
    if count < 2:
        return rebuild(runner, progress)
    for name in names:
        runner.reset(name)
    head, started = runner.head(), time.perf_counter()
    context = multiprocessing.get_context("spawn")
    queue = context.SimpleQueue()  # written at once, read by one worker at a time
    problems = context.SimpleQueue()  # what a failing worker says, one line each
    for name in names:
        queue.put(name)
    for _ in range(count):
        queue.put(None)  # one for each worker: stop
    processes = [
        context.Process(target=_take_from, args=(open_worker, queue, problems, runner.batch_size))
        for _ in range(count)
    ]
    with _terminated_as_interrupted():
        for process in processes:
            process.start()
        try:
            _watch(processes, runner, head, progress)
        finally:
            for process in processes:  # interrupted: the workers stop too (batches roll back)
                if process.is_alive():
                    process.terminate()
                process.join()
    failed = [p.exitcode for p in processes if p.exitcode != 0]
    if failed:
        said = problems.get() if not problems.empty() else None
        raise RebuildFailed(said or f"a rebuild worker stopped with exit code {failed[0]}")
    unfinished = [  # one stopped on a bad event is reported by the caller, with its position
        s.name
        for s in runner.status()
        if s.name in names and s.position < head and s.failed_position is None
    ]
    if unfinished:
        raise RebuildFailed(f"the rebuild did not reach the end of the log: {unfinished[0]}")
    return RebuildResult(head, time.perf_counter() - started)


def _watch(processes: Sequence[Any], runner: Runner, head: int, progress: bool) -> None:
    """Show the slowest projection's progress until the workers are done, or one dies
    (perhaps holding the queue: then the caller stops the others)."""
    with tqdm(total=head, unit="ev", disable=not progress, file=sys.stderr) as bar:
        while any(process.is_alive() for process in processes):
            if any(process.exitcode not in (None, 0) for process in processes):
                return
            time.sleep(0.2)
            bar.update(max(0, _slowest(runner) - bar.n))
        bar.update(max(0, head - bar.n))


def _costliest_first(names: list[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(REBUILD_ORDER)}
    return sorted(names, key=lambda name: rank.get(name, len(rank)))


def _take_from(open_worker: Opener, queue: Any, problems: Any, batch_size: int) -> None:
    """A worker: catch up the queue's projections one at a time until none is left,
    over one ledger and one engine. It ends when its parent does; a failure is one line
    put on ``problems`` and exit code 1, never a traceback. (An interrupt from the
    terminal is the parent's to handle: it ends the workers.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    name = None
    try:
        ledger, engine = open_worker()
        try:
            while (name := queue.get()) is not None:
                runner = runner_for(ledger, engine, [name])
                runner.batch_size = batch_size
                runner.set_up()
                catch_up_from_scratch(runner)
        finally:
            engine.dispose()
            ledger.close()
    except Exception as error:
        first = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]
        where = f"rebuilding {name}" if name else "a rebuild worker"
        problems.put(f"{where} stopped: {type(error).__name__}: {first}")
        sys.exit(1)


def _end_with_parent() -> None:
    """End this worker process as soon as its parent has ended, however it ended (even
    killed outright, when it could not end its workers itself)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def wait() -> None:
        parent.join()
        os._exit(1)  # the batch being written rolls back with the connection

    threading.Thread(target=wait, name="end-with-parent", daemon=True).start()


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM raises ``KeyboardInterrupt`` meanwhile, so the workers are ended on the way
    out (by default it would end this process at once and leave them running)."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _slowest(runner: Runner) -> int:
    return min((s.position for s in runner.status() if s.name in runner.projections), default=0)
