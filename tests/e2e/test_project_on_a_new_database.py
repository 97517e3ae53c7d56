"""``ledger project --once`` on a database nothing has been written to yet: it sets the
database up as ``ledger serve`` does and reports every projection up to date, and the
ledger works from there. Only a missing SQLite file is refused (one line, exit 2): that and a
schema the ledger cannot name are checked on ``main`` in the test's process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projections.catalog import PROJECTION_NAMES
from tests.e2e.conftest import LedgerCli, Run

STATUS_LINE = re.compile(r"^(\w+) +v\d+  position +(\d+)  up to date$")


def positions_up_to_date(run: Run) -> dict[str, int]:
    """Each projection's position, after checking the run succeeded with every one of them
    up to date."""
    assert "Traceback" not in run.err, run.err
    run.ok()
    matches = [STATUS_LINE.match(line) for line in run.out.splitlines()]
    assert all(matches), run.out
    positions = {m.group(1): int(m.group(2)) for m in matches if m}
    assert sorted(positions) == sorted(PROJECTION_NAMES), run.out
    return positions


def assert_the_ledger_works_from_there(cli: LedgerCli) -> None:
    """The plan seeded into the database the process made, and projected: in this process
    (what a process of its own does on a new database, the test's first command showed)."""
    cli.in_process("seed", "changxing-2021").ok()
    positions = set(positions_up_to_date(cli.in_process("project", "--once")).values())
    assert len(positions) == 1
    assert positions.pop() > 0


def test_projecting_once_on_a_new_postgres_schema_reports_every_projection_up_to_date(
    tmp_path: Path, postgres_url: str
) -> None:
    cli = LedgerCli(tmp_path, LEDGER_DATABASE_URL=postgres_url)
    assert set(positions_up_to_date(cli("project", "--once")).values()) == {0}
    assert_the_ledger_works_from_there(cli)


def test_projecting_once_on_a_postgres_schema_not_yet_made_makes_it(
    tmp_path: Path, unmade_schema_url: str
) -> None:
    cli = LedgerCli(tmp_path, LEDGER_DATABASE_URL=unmade_schema_url)
    assert set(positions_up_to_date(cli("project", "--once")).values()) == {0}
    assert_the_ledger_works_from_there(cli)


def test_projecting_once_on_an_empty_sqlite_file_reports_every_projection_up_to_date(
    cli: LedgerCli,
) -> None:
    cli.database.touch()
    assert set(positions_up_to_date(cli("project", "--once")).values()) == {0}
    assert_the_ledger_works_from_there(cli)


def test_projecting_once_where_there_is_no_sqlite_file_is_refused_and_makes_none(
    cli: LedgerCli,
) -> None:
    run = cli.in_process("project", "--once")
    assert (run.code, run.out) == (2, "")
    assert run.err == f"ledger: error: no ledger database at {cli.database}\n"
    assert not cli.database.exists()


@pytest.mark.parametrize("schema", ["Ledger", "zone-2021", "a%20b"])
def test_a_postgres_schema_the_ledger_cannot_name_is_refused_in_one_line(
    tmp_path: Path, schema: str
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/test?schema={schema}"
    run = LedgerCli(tmp_path, LEDGER_DATABASE_URL=url).in_process("project", "--once")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("ledger: error: LEDGER_DATABASE_URL: schema "), run.err
    assert "must be lower-case letters" in run.err
    assert len(run.err.splitlines()) == 1, run.err
