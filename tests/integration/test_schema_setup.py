"""Any number of processes may start at once on a new database: the set-up is serialised.

Each process opens the ledger as every command does (the log's table, its guard and, on
PostgreSQL, the schema) and sets up the read models, half of them as ``ledger serve`` does
and half as ``ledger project`` does, all released together by a barrier, then writes one
event. (``ledger project`` refuses an SQLite file that is not there: on a missing file all
of them start as ``ledger serve``.)
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select

from api.bootstrap import open_ledger
from api.cli.projection_workers import projection_runner
from domain.unit import Unit
from projections.catalog import PROJECTION_NAMES, runner_for
from projections.database import read_model_engine
from projections.tables import units
from tests.conftest import settings_for
from tests.integration.builders import new_processes, unit

PROCESSES = 6
WAIT_SECONDS = 120


def _start_and_write(url: str, number: int, as_project: bool, barrier: Any, results: Any) -> None:
    """One process: wait for the others, set everything up, write one event."""
    try:
        settings = settings_for(url)
        barrier.wait(timeout=WAIT_SECONDS)
        if as_project:  # as `ledger project` does
            runner = projection_runner(settings)
            ledger = runner.ledger
        else:  # as `ledger serve` does
            ledger = open_ledger(settings)
            runner = runner_for(ledger, read_model_engine(settings.database))
            runner.set_up()
        item_id = unit(ledger, name=f"区住建局{number}")
        runner.engine.dispose()
        ledger.close()
        results.put(("written", str(item_id)))
    except BaseException as error:  # reported to the parent, which fails the test
        results.put(("failed", f"process {number}: {type(error).__name__}: {error}"))


def _start_together(url: str, *, with_project: bool = True) -> list[UUID]:
    """Start the processes at once on ``url``; the ids they wrote (failing on any error)."""
    context = new_processes()
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(
            target=_start_and_write,
            args=(url, number, with_project and number % 2 == 1, barrier, results),
        )
        for number in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=WAIT_SECONDS) for _ in processes]
    for process in processes:
        process.join(timeout=WAIT_SECONDS)
    failures = [detail for outcome, detail in outcomes if outcome != "written"]
    assert failures == [], "\n".join(failures)
    assert [process.exitcode for process in processes] == [0] * PROCESSES
    return [UUID(detail) for _, detail in outcomes]


def _assert_all_there(url: str, written: list[UUID]) -> None:
    settings = settings_for(url)
    ledger = open_ledger(settings, create=False)
    engine = read_model_engine(settings.database)
    try:
        assert ledger.recorder.max_notification_id() == PROCESSES
        assert sorted(ledger.get(Unit, item_id).name for item_id in written) == sorted(
            f"区住建局{number}" for number in range(PROCESSES)
        )
        runner = runner_for(ledger, engine)
        runner.set_up()
        runner.catch_up()
        assert sorted(s.name for s in runner.status()) == sorted(PROJECTION_NAMES)
        assert runner.failures() == []
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(units)).scalar() == PROCESSES
    finally:
        engine.dispose()
        ledger.close()


@pytest.mark.slow
def test_processes_starting_at_once_on_a_new_empty_sqlite_file_all_set_it_up_and_write(
    sqlite_url: str,
) -> None:
    settings_for(sqlite_url).database.sqlite_path.touch()
    _assert_all_there(sqlite_url, _start_together(sqlite_url))


def test_processes_starting_at_once_where_no_sqlite_file_is_yet_all_make_it_and_write(
    sqlite_url: str,
) -> None:
    _assert_all_there(sqlite_url, _start_together(sqlite_url, with_project=False))


def test_processes_starting_at_once_on_a_new_postgres_schema_all_set_it_up_and_write(
    postgres_url: str,
) -> None:
    _assert_all_there(postgres_url, _start_together(postgres_url))


def test_processes_starting_at_once_on_a_postgres_schema_not_yet_made_all_make_it_and_write(
    unmade_schema_url: str,
) -> None:
    _assert_all_there(unmade_schema_url, _start_together(unmade_schema_url))
