"""What a ``ledger`` command loads, which is most of its start: on an SQLite ledger never
the PostgreSQL driver (psycopg and the library's PostgreSQL recorder were a quarter of
every command's start, and only a PostgreSQL URL needs them: ``domain.drivers``), nor,
outside ``ledger serve`` and ``ledger rebuild``, the server's parts or the rebuild's.

Each command runs ``main`` in a child Python of its own, which then names the modules it
loaded: the test's own process has loaded psycopg long before (its PostgreSQL fixtures).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import TIMEOUT_SECONDS, LedgerCli, copy_database

POSTGRES_MODULES = ("psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool")

REPORT_LOADED = """
import json, sys
from api.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
"""``ledger ARGS`` by ``main``, then a last line of output: its exit status and every
module loaded."""


def modules_loaded_by(cli: LedgerCli, *args: str) -> list[str]:
    """The modules a process running ``ledger ARGS`` in ``cli``'s home has loaded when
    the command ends (after checking it succeeded)."""
    done = subprocess.run(
        [sys.executable, "-c", REPORT_LOADED, *args],
        cwd=cli.home,
        env=cli.environ(),
        capture_output=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["code"] == 0, done.stderr
    modules: list[str] = report["modules"]
    return modules


def postgres_modules(modules: list[str]) -> list[str]:
    return [
        m
        for m in modules
        if m.split(".")[0] in POSTGRES_MODULES
        or m in ("eventsourcing.postgres", "domain.signed_postgres", "domain.postgres_setup")
    ]


@pytest.fixture
def seeded(cli: LedgerCli, seeded_2021: Path) -> LedgerCli:
    """The ``ledger`` command on a copy of a ledger seeded with changxing-2021."""
    copy_database(seeded_2021, cli.home)
    return cli


@pytest.mark.parametrize(
    "args",
    [("verify",), ("export", "tasks", "--format", "json"), ("projections",)],
    ids=" ".join,
)
def test_a_command_on_an_sqlite_ledger_never_loads_the_postgresql_driver(
    seeded: LedgerCli, args: tuple[str, ...]
) -> None:
    loaded = modules_loaded_by(seeded, *args)
    assert "api.cli.main" in loaded
    assert postgres_modules(loaded) == []


def test_seeding_a_new_sqlite_ledger_never_loads_the_postgresql_driver(cli: LedgerCli) -> None:
    loaded = modules_loaded_by(cli, "seed", "changxing-2021")
    assert "domain.signed_log" in loaded
    assert postgres_modules(loaded) == []


def test_a_postgresql_server_refusing_the_connection_is_still_one_line(cli: LedgerCli) -> None:
    """The driver is loaded only as the command connects, and its error is still caught."""
    run = cli("seed", "changxing-2021", LEDGER_DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
    assert run.code == 2
    assert run.err.startswith("ledger: error: cannot open the ledger database: connection failed")
    assert len(run.err.splitlines()) == 1


def test_verifying_loads_neither_the_servers_parts_nor_the_rebuilds(seeded: LedgerCli) -> None:
    loaded = modules_loaded_by(seeded, "verify")
    assert [m for m in loaded if m.split(".")[0] in ("starlette", "uvicorn", "tqdm")] == []
    assert [m for m in loaded if m.startswith(("api.runtime.", "projections.rebuild"))] == []
