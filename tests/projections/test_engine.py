"""The projection engine: exactly once, versioned, and stopping loudly on a bad event."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import update

from domain.ledger import Ledger
from domain.meta import Actor, Role
from domain.task import Task
from projections.tables import projection_status
from tests.clock import now
from tests.projections.engine_builders import dump, generate_into, ledger_at, runner_at


def test_a_rebuild_from_scratch_gives_the_tables_that_following_gave(database_url: str) -> None:
    ledger = ledger_at(database_url)
    runner = runner_at(database_url, ledger, batch_size=37)
    generate_into(ledger, seed=5, events=300)
    runner.catch_up()
    followed = dump(runner.engine)
    for name in runner.projections:
        runner.reset(name)
    runner.catch_up()
    assert dump(runner.engine) == followed
    assert {row[2] for row in followed["projection_status"]} == {runner.head()}


def test_a_changed_version_rebuilds_that_projection_on_start(database_url: str) -> None:
    ledger = ledger_at(database_url)
    runner = runner_at(database_url, ledger)
    generate_into(ledger, seed=6, events=200)
    runner.catch_up()
    before = dump(runner.engine)
    with runner.engine.begin() as conn:
        conn.execute(
            update(projection_status)
            .where(projection_status.c.name == "complaints")
            .values(version=0, position=17)
        )
    restarted = runner_at(database_url, ledger)
    assert {s.name: s.position for s in restarted.status()}["complaints"] == 0
    restarted.catch_up()
    assert dump(restarted.engine) == before


@pytest.mark.slow
def test_two_workers_never_apply_one_batch_twice(database_url: str) -> None:
    ledger = ledger_at(database_url)
    generate_into(ledger, seed=7, events=400)
    solo = runner_at(database_url, ledger, batch_size=25)
    solo.catch_up()
    expected = dump(solo.engine)
    for name in solo.projections:
        solo.reset(name)
    workers = [runner_at(database_url, ledger_at(database_url), batch_size=25) for _ in range(2)]
    threads = [threading.Thread(target=w.catch_up) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    workers[0].catch_up()
    assert dump(solo.engine) == expected


def _log_with_an_orphan_event(ledger: Ledger, occurred_at: datetime | None = None) -> int:
    """Activity with, in the middle, an event of a task that was never assigned (at
    ``occurred_at``, else now): the position of that event."""
    generate_into(ledger, seed=8, events=100)
    recorded = now()
    orphan = Task.Urged(
        originator_id=uuid4(),
        originator_version=2,
        timestamp=recorded,
        actor=Actor("office-1", Role.OFFICE),
        occurred_at=occurred_at or recorded,
        request_id="bad",
        imported=False,
        reason="催办",
    )
    bad_position = ledger.save(orphan)[0].notification.id
    generate_into(ledger, seed=9, events=50)
    return bad_position


def test_a_projection_that_fails_on_an_event_stops_there_and_says_why(database_url: str) -> None:
    ledger = ledger_at(database_url)
    bad_position = _log_with_an_orphan_event(ledger)
    runner = runner_at(database_url, ledger, batch_size=40)
    runner.catch_up()
    status = {s.name: s for s in runner.status()}
    assert status["tasks"].failed_position == bad_position
    assert "Task.Urged" in (status["tasks"].error or "")
    assert status["tasks"].position < bad_position
    assert all(status[n].position == runner.head() for n in ("audit", "complaints", "legacy"))
    retried = runner_at(database_url, ledger)
    retried.reset("tasks")
    retried.catch_up()
    assert {s.name: s for s in retried.status()}["tasks"].failed_position == bad_position


def test_an_event_whose_business_day_cannot_be_told_stops_only_the_projection_taking_it(
    sqlite_url: str,
) -> None:
    ledger = ledger_at(sqlite_url)
    last_moment = datetime(9999, 12, 31, 20, tzinfo=UTC)  # in Beijing time: year 10000
    bad_position = _log_with_an_orphan_event(ledger, occurred_at=last_moment)
    runner = runner_at(sqlite_url, ledger, batch_size=40)
    runner.catch_up()
    status = {s.name: s for s in runner.status()}
    assert status["tasks"].failed_position == bad_position
    assert "OverflowError" in (status["tasks"].error or "")
    assert all(status[n].position == runner.head() for n in ("complaints", "legacy", "seal"))


def test_a_projection_rebuilt_alone_does_not_pull_the_others_back(database_url: str) -> None:
    ledger = ledger_at(database_url)
    generate_into(ledger, seed=12, events=300)
    runner = runner_at(database_url, ledger, batch_size=20)
    runner.catch_up()
    expected = dump(runner.engine)
    runner.reset("legacy")  # legacy starts again from the first event; the others stay
    runner.catch_up()
    assert dump(runner.engine) == expected


def test_a_rebuild_cut_short_still_ends_with_the_audit_indexes_in_place(
    database_url: str,
) -> None:
    from sqlalchemy import inspect

    from projections.rebuild.from_scratch import catch_up_from_scratch

    ledger = ledger_at(database_url)
    generate_into(ledger, seed=13, events=200)
    runner = runner_at(database_url, ledger, batch_size=50)
    runner.reset("audit")

    def cut_short(covered: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # after its first batch
        catch_up_from_scratch(runner, on_batch=cut_short)
    assert not inspect(runner.engine).get_indexes("rm_audit_events")  # left out meanwhile
    restarted = runner_at(database_url, ledger_at(database_url), batch_size=50)
    restarted.catch_up()
    names = {i["name"] for i in inspect(restarted.engine).get_indexes("rm_audit_events")}
    assert names == {
        "ix_rm_audit_events_" + c
        for c in ("item_id", "actor_id", "actor_unit", "occurred_at", "recorded_at")
    }


@pytest.mark.slow
def test_a_status_table_made_before_stop_reasons_gets_the_column_on_start(
    database_url: str,
) -> None:
    from sqlalchemy import inspect

    ledger = ledger_at(database_url)
    runner = runner_at(database_url, ledger)
    with runner.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE projection_status DROP COLUMN stop_reason")
    restarted = runner_at(database_url, ledger)
    columns = {c["name"] for c in inspect(restarted.engine).get_columns("projection_status")}
    assert "stop_reason" in columns
    assert {s.name for s in restarted.status()} == set(restarted.projections)


def test_a_rebuild_in_two_worker_processes_gives_the_tables_of_one(database_url: str) -> None:
    from api.cli.projection_workers import rebuild_in_parallel
    from tests.conftest import settings_for

    ledger = ledger_at(database_url)
    generate_into(ledger, seed=14, events=400)
    runner = runner_at(database_url, ledger, batch_size=64)
    runner.catch_up()
    expected = dump(runner.engine)
    result = rebuild_in_parallel(settings_for(database_url), runner, progress=False)
    assert result.events == runner.head()
    assert dump(runner.engine) == expected


def _wait_until_a_writer_is_in_line(database: str, within: float = 30.0) -> None:
    """Return once another writer holds the line's lock (``<database>.writers-queue``): it
    holds it while it waits for the turn, so it is next. Polled, not slept on: however slow
    the machine, the writer is in line when this returns, and no sooner is waited for."""
    import fcntl
    import os

    from projections.database import LINE_SUFFIX

    line = os.open(database + LINE_SUFFIX, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + within
        while True:
            try:
                fcntl.flock(line, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # held by the other writer
            fcntl.flock(line, fcntl.LOCK_UN)
            assert time.monotonic() < deadline, f"no writer got in line in {within} s"
            time.sleep(0.001)
    finally:
        os.close(line)


def test_on_sqlite_a_writer_of_read_models_waits_its_turn_until_the_other_has_committed(
    sqlite_url: str,
) -> None:
    from sqlalchemy import text

    from projections.database import write_transaction

    runner = runner_at(sqlite_url, ledger_at(sqlite_url))
    holding, order = threading.Event(), []

    def second_writer() -> None:
        holding.wait(5)
        with write_transaction(runner.engine) as conn:
            order.append(conn.execute(text("SELECT count(*) FROM projection_status")).scalar())

    other = threading.Thread(target=second_writer)
    other.start()
    with write_transaction(runner.engine) as conn:
        holding.set()
        _wait_until_a_writer_is_in_line(str(runner.engine.url.database))
        assert other.is_alive(), "the second writer did not wait for its turn"
        conn.execute(text("DELETE FROM projection_status WHERE name = 'seal'"))
        order.append("first committed")
    other.join(5)
    assert order == ["first committed", len(runner.projections) - 1]


def test_on_sqlite_a_writer_taking_turn_after_turn_lets_a_waiting_writer_go_next(
    sqlite_url: str,
) -> None:
    from projections.database import write_transaction

    runner = runner_at(sqlite_url, ledger_at(sqlite_url))
    first_turn_taken, turns = threading.Event(), []

    def writer_that_waits() -> None:
        first_turn_taken.wait(5)
        with write_transaction(runner.engine):
            turns.append("waiting writer")

    other = threading.Thread(target=writer_that_waits)
    other.start()
    for turn in range(20):  # no pause between turns: the lock is free only for an instant
        with write_transaction(runner.engine):
            turns.append(turn)
            if turn == 0:
                first_turn_taken.set()
                _wait_until_a_writer_is_in_line(str(runner.engine.url.database))
            time.sleep(0.002)
    other.join(5)
    assert turns.index("waiting writer") == 1, turns[:5]


@pytest.mark.slow
def test_a_parallel_rebuild_leaves_a_failed_projection_stopped_with_its_position(
    sqlite_url: str,
) -> None:
    from api.cli.projection_workers import rebuild_in_parallel
    from tests.conftest import settings_for

    ledger = ledger_at(sqlite_url)
    bad_position = _log_with_an_orphan_event(ledger)
    runner = runner_at(sqlite_url, ledger, batch_size=64)

    result = rebuild_in_parallel(settings_for(sqlite_url), runner, progress=False)

    assert result.events == runner.head()
    status = {s.name: s for s in runner.status()}
    assert status["tasks"].failed_position == bad_position
    assert all(s.position == runner.head() for n, s in status.items() if n != "tasks")
