"""A rebuild in this process: each projection emptied, then caught up to the end of the
log with the garbage collector paused and its indexes left out until its tables are
full."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tqdm import tqdm

from projections.engine import Runner
from projections.indexes import create_indexes, drop_indexes

REBUILD_BATCH = 50_000
"""Log positions per transaction in a rebuild: few transactions, so the two workers
seldom wait for each other's write lock (a worker following live takes what is new)."""


@dataclass(frozen=True)
class RebuildResult:
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def rebuild(runner: Runner, progress: bool = True) -> RebuildResult:
    """Empty the runner's projections and project the whole log again, in this process."""
    for name in runner.projections:
        runner.reset(name)
    started = time.perf_counter()
    with tqdm(total=runner.head(), unit="ev", disable=not progress, file=sys.stderr) as bar:

        def advance(covered: int) -> None:
            bar.update(covered)

        covered = catch_up_from_scratch(runner, on_batch=advance)
    return RebuildResult(covered, time.perf_counter() - started)


def catch_up_from_scratch(runner: Runner, on_batch: Callable[[int], None] | None = None) -> int:
    """Catch up projections just reset, as fast as this process allows: their indexes
    dropped meanwhile and built once at the end (indexing a million rows at once costs a
    fraction of keeping the index up to date row by row), the garbage collector paused.
    Return the positions covered."""
    for name, projection in runner.projections.items():
        drop_indexes(runner.engine, runner.ledger.clock, name, projection)

    def collected(covered: int) -> None:
        gc.collect(0)
        if on_batch is not None:
            on_batch(covered)

    with _collection_paused():
        covered = runner.catch_up(on_batch=collected)
    for name, projection in sorted(runner.projections.items()):
        create_indexes(runner.engine, runner.ledger.clock, name, projection)
    return covered


@contextmanager
def _collection_paused() -> Iterator[None]:
    """No automatic garbage collection meanwhile: a batch holds a million live objects
    (its events, beside a lasting cache of item states), and each automatic pass rescans
    them all, costing a rebuild a fifth of its time. Nothing a batch leaves is cyclic,
    bar a little, which the young collection between batches takes; automatic collection
    resumes after. Only for a process that does nothing else (a rebuild's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
