"""Following live: woken at once in process, by LISTEN/NOTIFY across processes on
PostgreSQL, and by polling across processes on SQLite."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from api.bootstrap import open_ledger
from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan
from domain.ledger import Ledger
from domain.unit import UnitKind
from projections.engine import Runner
from projections.follow import Wakeup, follow
from projections.tables import tasks, units
from tests.conftest import settings_for
from tests.integration.builders import new_processes, office
from tests.projections.engine_builders import ledger_at, runner_at

A_MINUTE = 60.0


@contextmanager
def following(runner: Runner, ledger: Ledger, poll_seconds: float) -> Iterator[None]:
    stop = threading.Event()
    wakeup = Wakeup(ledger, poll_seconds)
    thread = threading.Thread(target=follow, args=(runner, wakeup, stop))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        wakeup.set()
        thread.join(timeout=A_MINUTE + 5)
        wakeup.close()


def _eventually(runner: Runner, table: object, expected: int, within: float = 20.0) -> int:
    deadline = time.monotonic() + within
    count = -1
    while time.monotonic() < deadline:
        with runner.engine.connect() as conn:
            count = int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]
        if count == expected:
            break
        time.sleep(0.02)
    return count


def test_a_commit_in_the_same_process_wakes_the_follower_without_waiting_for_a_poll(
    database_url: str,
) -> None:
    ledger = ledger_at(database_url)
    runner = runner_at(database_url, ledger)
    with following(runner, ledger, poll_seconds=A_MINUTE):
        time.sleep(0.2)  # the follower is now asleep, for up to a minute
        ledger.register_unit(office(), name="区住建局", kind=UnitKind.DEPARTMENT)
        assert _eventually(runner, units, 1) == 1


def _seed(url: str) -> None:
    """Seed changxing-2021 as ``ledger seed`` does (run in another process)."""
    ledger = open_ledger(settings_for(url))
    try:
        seed_plan(ledger, builtin_plan("changxing-2021"))
    finally:
        ledger.close()


def _seed_in_another_process(url: str) -> None:
    seeding = new_processes().Process(target=_seed, args=(url,))
    seeding.start()
    seeding.join(timeout=120)
    assert seeding.exitcode == 0, f"the seeding process ended with {seeding.exitcode}"


def test_on_postgres_a_commit_in_another_process_wakes_the_follower(postgres_url: str) -> None:
    ledger = ledger_at(postgres_url)
    runner = runner_at(postgres_url, ledger)
    with following(runner, ledger, poll_seconds=A_MINUTE):
        time.sleep(0.2)
        _seed_in_another_process(postgres_url)
        assert _eventually(runner, tasks, 26) == 26


def test_on_sqlite_the_follower_polls_for_commits_in_other_processes(sqlite_url: str) -> None:
    ledger = ledger_at(sqlite_url)
    runner = runner_at(sqlite_url, ledger)
    with following(runner, ledger, poll_seconds=0.1):
        _seed_in_another_process(sqlite_url)
        assert _eventually(runner, tasks, 26) == 26


def test_a_follower_asked_to_stop_ends_at_once_however_long_its_poll(database_url: str) -> None:
    ledger = ledger_at(database_url)
    runner = runner_at(database_url, ledger)
    stop = threading.Event()
    wakeup = Wakeup(ledger, poll_seconds=A_MINUTE)
    thread = threading.Thread(target=follow, args=(runner, wakeup, stop))
    thread.start()
    try:
        time.sleep(0.2)  # asleep now, waiting for a commit or a NOTIFY for up to a minute
        stop.set()
        wakeup.set()
        thread.join(timeout=A_MINUTE / 4)
        assert not thread.is_alive(), "the follower slept out its poll after being stopped"
    finally:
        stop.set()
        wakeup.set()
        thread.join(timeout=A_MINUTE + 5)
        wakeup.close()


def test_a_commit_after_the_wakeup_is_closed_wakes_nothing_and_fails_nothing(
    database_url: str,
) -> None:
    ledger = ledger_at(database_url)
    Wakeup(ledger, poll_seconds=A_MINUTE).close()
    ledger.register_unit(office(), name="区住建局", kind=UnitKind.DEPARTMENT)
    assert ledger.recorder.max_notification_id() == 1
