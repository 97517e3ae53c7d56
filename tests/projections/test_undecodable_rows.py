"""A row in the events table that the ledger cannot decode (its topic names no event
class, or its state is not what the library wrote), put there by hand, stops every
projection at its position, the rows before it projected, with the reason recorded in
its status; the command line says so in one line, never a traceback. A row the
database refuses to write into a read model stops the projection taking it at that
row, the batches before it written."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from domain.ledger import Ledger
from projections.row_checks import UndecodableRow
from tests.e2e.conftest import LedgerCli, Run
from tests.integration.builders import office, task_in_progress, unit
from tests.integration.tamper_builders import RawLog, Row
from tests.projections.engine_builders import ledger_at, runner_at


def some_activity(ledger: Ledger) -> None:
    lead = unit(ledger)
    task = task_in_progress(ledger, lead)
    ledger.urge_task(office(), task, reason="催办")


def slip_in(url: str, make: str) -> int:
    """Insert by hand, after the last row, a row the ledger cannot decode (``make``:
    ``topic`` names no event class, ``state`` is not JSON); its position."""
    log = RawLog(url)
    rows = log.rows()
    (urged,) = [r for r in rows if r.topic.endswith("Task.Urged")]
    if make == "topic":
        bad = dataclasses.replace(urged, topic="domain.task:Task.Vanished")
    else:
        bad = dataclasses.replace(urged, state=b"\xff\xfe not what the ledger wrote")
    position = rows[-1].position + 1
    log.insert(position, bad, uuid.uuid4())
    return position


def slip_in_a_nameless_unit(url: str) -> int:
    """A unit registered by hand with no name: it decodes, but its row in the read model
    is refused by the database (the name is NOT NULL)."""
    log = RawLog(url)
    rows = log.rows()
    registered = next(r for r in rows if r.topic.endswith("Unit.Registered"))
    state = registered.state.replace('"区住建局"'.encode(), b"null")
    assert state != registered.state
    position = rows[-1].position + 1
    nameless = Row(position, uuid.uuid4(), 1, registered.topic, state)
    log.insert(position, nameless, uuid.uuid4(), signed=True)
    return position


@pytest.mark.parametrize("make", ["topic", "state"])
def test_an_undecodable_row_stops_every_projection_at_its_position_saying_why(
    database_url: str, make: str
) -> None:
    ledger = ledger_at(database_url)
    some_activity(ledger)
    bad = slip_in(database_url, make)
    runner = runner_at(database_url, ledger, batch_size=3)
    runner.catch_up()
    for status in runner.status():
        assert (status.name, status.position, status.failed_position) == (status.name, bad - 1, bad)
        assert status.stop_reason == UndecodableRow.reason
        assert f"at position {bad}" in (status.error or "")
    assert runner.stopped()
    again = runner_at(database_url, ledger)  # a new worker stays stopped there
    again.catch_up()
    assert {s.position for s in again.status()} == {bad - 1}


def test_a_row_the_database_refuses_stops_its_projection_at_that_row(database_url: str) -> None:
    ledger = ledger_at(database_url)
    some_activity(ledger)
    bad = slip_in_a_nameless_unit(database_url)
    runner = runner_at(database_url, ledger, batch_size=50)  # one batch, the good rows first
    runner.catch_up()
    status = {s.name: s for s in runner.status()}
    assert (status["tasks"].position, status["tasks"].failed_position) == (bad - 1, bad)
    assert status["tasks"].stop_reason == "event"
    assert "IntegrityError" in (status["tasks"].error or "")
    assert "INSERT" not in (status["tasks"].error or "")  # the problem, not the SQL
    assert all(s.position == runner.head() for s in status.values() if s.name != "tasks")


def cli_on(tmp_path: Path, url: str) -> LedgerCli:
    return LedgerCli(tmp_path, LEDGER_DATABASE_URL=url)


def reading(cli: LedgerCli) -> Callable[..., Run]:
    """``cli`` for a command that only reports: on SQLite, run in this process (its output
    is the same ``main``'s); on PostgreSQL, as a process (a call in this one would leave
    its connections open)."""
    on_sqlite = cli.settings["LEDGER_DATABASE_URL"].startswith("sqlite")
    return cli.in_process if on_sqlite else cli


def assert_one_line(run: Run, *words: str) -> str:
    assert "Traceback" not in run.err, run.err
    errors = [line for line in run.err.splitlines() if line.startswith("ledger: error:")]
    assert len(errors) == 1, run.err
    assert all(word in errors[0] for word in words), errors[0]
    return errors[0]


@pytest.mark.slow
def test_ledger_project_and_projections_end_with_one_line_naming_an_undecodable_row(
    tmp_path: Path, database_url: str
) -> None:
    ledger = ledger_at(database_url)
    some_activity(ledger)
    bad = slip_in(database_url, "state")
    cli = cli_on(tmp_path, database_url)
    once = reading(cli)("project", "--once")
    assert once.code == 1
    assert_one_line(once, f"position {bad}", "undecodable row")
    following = cli("project")  # following the log: it ends too, there is nothing to run
    assert following.code == 1
    assert_one_line(following, f"position {bad}", "undecodable row")
    status = reading(cli)("projections")
    assert status.code == 1, status.out
    assert "Traceback" not in status.err
    for line in status.out.splitlines():
        assert re.search(rf" position +{bad - 1}  FAILED at position {bad} ", line), line
        assert "undecodable row" in line, line


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_rebuild_failing_on_an_event_ends_in_one_line_keeping_the_positions_before_it(
    tmp_path: Path, database_url: str, workers: str
) -> None:
    ledger = ledger_at(database_url)
    some_activity(ledger)
    bad = slip_in_a_nameless_unit(database_url)
    cli = cli_on(tmp_path, database_url)
    runner_at(database_url, ledger).catch_up()  # as `ledger project --once` does
    rebuilt = cli("rebuild", "--quiet", "--workers", workers, "tasks", "audit")
    assert rebuilt.code == 1, rebuilt.err
    assert_one_line(rebuilt, "tasks", f"position {bad}", "IntegrityError")
    runner = runner_at(database_url, ledger)
    status = {s.name: s for s in runner.status()}
    assert (status["tasks"].position, status["tasks"].failed_position) == (bad - 1, bad)
    assert status["audit"].position == runner.head()
