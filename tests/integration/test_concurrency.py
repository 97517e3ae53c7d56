"""Two writers at one version: exactly one succeeds, the other gets the conflict."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import pytest

from api.bootstrap import open_ledger
from domain.errors import ConcurrencyConflict, LedgerError
from domain.ledger import Ledger
from domain.task import Task
from tests.conftest import settings_for, signing
from tests.integration.builders import new_processes, office, task_in_progress, unit

RACES = 12


def _report(ledger: Ledger, task_id: UUID, version: int, percent: int) -> str:
    try:
        ledger.report_progress(
            office(expected_version=version), task_id, percent=percent, narrative=f"完成{percent}%"
        )
    except ConcurrencyConflict as conflict:
        assert conflict.current == version + 1
        return "conflict"
    return "written"


def test_two_threads_writing_one_task_at_one_version_never_both_succeed(
    ledger: Ledger, database_url: str
) -> None:
    other = open_ledger(settings_for(database_url))
    lead = unit(ledger)
    for race in range(RACES):
        task_id = task_in_progress(ledger, lead)
        version = ledger.get(Task, task_id).version
        barrier = threading.Barrier(2)

        def write(
            app: Ledger,
            percent: int,
            task_id: UUID = task_id,
            version: int = version,
            barrier: threading.Barrier = barrier,
        ) -> str:
            barrier.wait()
            return _report(app, task_id, version, percent)

        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(write, [ledger, other], [10 + race, 60 + race]))
        assert outcomes == ["conflict", "written"]
        task = other.get(Task, task_id)
        assert task.version == version + 1
        assert len(ledger.item_events(task_id)) == version + 1


def _race_in_process(
    url: str,
    task_id: str,
    version: int,
    percent: int,
    barrier: threading.Barrier,
    results: multiprocessing.Queue[str],
) -> None:
    ledger = open_ledger(settings_for(url))
    barrier.wait()
    try:
        results.put(_report(ledger, UUID(task_id), version, percent))
    except LedgerError as error:  # pragma: no cover - reported to the parent
        results.put(f"error: {error}")


@pytest.mark.parametrize("races", [4])
def test_two_processes_writing_one_task_at_one_version_never_both_succeed(
    postgres_url: str, races: int
) -> None:
    ledger = open_ledger(settings_for(postgres_url))
    lead = unit(ledger)
    context = new_processes()
    for race in range(races):
        task_id = task_in_progress(ledger, lead)
        version = ledger.get(Task, task_id).version
        barrier, results = context.Barrier(2), context.Queue()
        workers = [
            context.Process(
                target=_race_in_process,
                args=(postgres_url, str(task_id), version, p, barrier, results),
            )
            for p in (20 + race, 70 + race)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        assert sorted(results.get(timeout=5) for _ in workers) == ["conflict", "written"]
        assert len(ledger.item_events(task_id)) == version + 1


class _LedgerPausingAfterLoad(Ledger):
    """A Ledger whose writers wait for each other after loading, before saving."""

    name = "Ledger"
    barrier: threading.Barrier | None = None

    def get(self, cls, item_id, version=None):  # type: ignore[no-untyped-def]
        item = super().get(cls, item_id, version)
        barrier, self.barrier = self.barrier, None  # pause on the first load only
        if barrier is not None:
            barrier.wait(timeout=10)
        return item


def test_when_both_writers_pass_the_version_check_the_database_lets_only_one_save(
    database_url: str,
) -> None:
    settings = settings_for(database_url)
    setup = open_ledger(settings)
    task_id = task_in_progress(setup, unit(setup))
    version = setup.get(Task, task_id).version
    barrier = threading.Barrier(2)
    writers = []
    for _ in range(2):
        writer = _LedgerPausingAfterLoad(
            settings.database.eventsourcing_env(), policy=settings.policy, clock=settings.clock
        )
        writer.barrier = barrier
        signing(writer)
        writers.append(writer)
    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(
            pool.map(lambda app, p: _report(app, task_id, version, p), writers, [30, 40])
        )
    assert outcomes == ["conflict", "written"]
    assert len(setup.item_events(task_id)) == version + 1
