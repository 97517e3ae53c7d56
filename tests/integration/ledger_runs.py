"""The ``ledger`` command of the trust tests, run in this process (fast) or as a child
process (the real command line, for the slow tier), and the 2021 plan seeded once a
worker into a template SQLite ledger that each test copies.

Both runners give the command the same environment: none of the caller's LEDGER_*
settings but the suite's keys, the database's URL and the test's own ``settings``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import psycopg
import pytest

from api.bootstrap import open_ledger
from api.cli.main import main
from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan
from domain.signature_table import COLUMNS
from domain.storage import Database
from projections.seal import Seal
from tests.conftest import TEST_KEY, TEST_SIGNING_KEY_FILE, postgres_dsn, settings_for

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120
SEAL = re.compile(r"seal (ledger-seal:v[23]:\d+:[0-9a-f]{64})")


@dataclass(frozen=True)
class Run:
    """What one ``ledger`` command did."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def ok(self) -> Run:
        assert self.code == 0, f"ledger {' '.join(self.args)} exited {self.code}: {self.err}"
        return self

    @property
    def seal(self) -> Seal:
        """The seal a clean ``ledger verify`` printed."""
        found = SEAL.search(self.out)
        assert found is not None, f"no seal in {self.out!r}"
        return Seal.parse(found.group(1))


Command = Callable[..., Run]
"""``run_ledger`` or ``run_ledger_process``: (url, home, *args, **settings) -> Run."""


def command_environ(url: str, settings: Mapping[str, str]) -> dict[str, str]:
    """The environment the ``ledger`` command runs in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env |= {
        "LEDGER_DATABASE_URL": url,
        "LEDGER_PERSONAL_DATA_KEY": base64.b64encode(TEST_KEY).decode(),
        "LEDGER_SIGNING_KEY_FILE": str(TEST_SIGNING_KEY_FILE),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "PYTHONIOENCODING": "utf-8",
    }
    return env | dict(settings)


def run_ledger_process(url: str, home: Path, *args: str, **settings: str) -> Run:
    """The real ``ledger`` command, a child process working in ``home``."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=home,
        env=command_environ(url, settings),
        capture_output=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return Run(tuple(args), done.returncode, done.stdout, done.stderr)


def run_ledger(url: str, home: Path, *args: str, **settings: str) -> Run:
    """The ``ledger`` command's ``main`` in this process, as the child process runs it:
    its environment, its working directory, its output captured, and an exception it
    lets out a traceback on stderr and status 1. What ``main`` changes in the process
    (warnings, signal handlers) is put back afterwards."""
    out, err = io.StringIO(), io.StringIO()
    with (
        _as_the_process(command_environ(url, settings), home),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit:  # the argument parser's refusals
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
        except Exception:
            traceback.print_exc()
            code = 1
    return Run(tuple(args), code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _as_the_process(env: dict[str, str], home: Path) -> Iterator[None]:
    signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    cwd = Path.cwd()
    with mock.patch.dict(os.environ, env, clear=True), warnings.catch_warnings():
        os.chdir(home)
        try:
            yield
        finally:
            os.chdir(cwd)
            for number, handler in signals.items():
                signal.signal(number, handler)


IN_PROCESS = pytest.param(run_ledger, id="in-process")
AS_A_PROCESS = pytest.param(run_ledger_process, id="as-a-process", marks=pytest.mark.slow)
both_ways = pytest.mark.parametrize("ledger_command", [IN_PROCESS, AS_A_PROCESS], indirect=True)
"""Runs a test with the command in this process and, in the slow tier, as a process."""


def seed_2021(url: str, template: Path | None = None) -> None:
    """The 2021 plan on ``url``, a fresh database, as ``ledger seed changxing-2021``
    writes it; never verified, never projected. With a ``template`` (what
    ``make_template`` made): on SQLite a copy of it, on PostgreSQL its rows and
    signatures copied in (``copy_into_postgres``)."""
    database = Database.parse(url)
    if template is not None and database.is_sqlite:
        shutil.copyfile(template, database.sqlite_path)
        return
    if template is not None:
        copy_into_postgres(template, url)
        return
    app = open_ledger(settings_for(url))
    try:
        assert seed_plan(app, builtin_plan("changxing-2021")).written > 50
    finally:
        app.close()


def make_template(folder: Path) -> Path:
    """A SQLite ledger seeded with the 2021 plan, the whole of it in one file."""
    path = folder / "ledger.sqlite"
    seed_2021(f"sqlite:///{path}")
    with contextlib.closing(sqlite3.connect(path)) as db:  # the log folded into the file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not Path(f"{path}-wal").exists()
    return path


def copy_into_postgres(template: Path, url: str) -> None:
    """The rows of the SQLite ledger ``template`` and their signatures, stored as they
    are into the fresh PostgreSQL schema of ``url`` (its tables and guard made by the
    ledger): a row hashes the same on either database, so the signatures hold."""
    open_ledger(settings_for(url)).close()
    schema = Database.parse(url).schema
    with contextlib.closing(sqlite3.connect(template)) as source:
        rows = source.execute(
            "SELECT rowid, originator_id, originator_version, topic, state"
            " FROM stored_events ORDER BY rowid"
        ).fetchall()
        signatures = source.execute(
            f"SELECT {COLUMNS} FROM ledger_signatures ORDER BY number"
        ).fetchall()
    events = f'"{schema}".ledger_events'
    with psycopg.connect(postgres_dsn(url), autocommit=False) as conn, conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {events} (notification_id, originator_id, originator_version,"
            " topic, state) VALUES (%s, %s, %s, %s, %s)".encode(),
            [(p, uuid.UUID(hex=i), v, t, state) for p, i, v, t, state in rows],
        )
        cursor.executemany(
            f'INSERT INTO "{schema}".ledger_signatures ({COLUMNS})'.encode()
            + b" VALUES (%s, %s, %s, %s, %s, %s, %s)",
            signatures,
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{events}', 'notification_id'),"
            f" (SELECT max(notification_id) FROM {events}))".encode()
        )
