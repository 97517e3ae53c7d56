"""A worker killed (SIGKILL) while catching up resumes to the tables a clean rebuild gives."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from domain.storage import Database
from projections.catalog import PROJECTION_NAMES
from projections.tables import projection_status
from tests.clock import child_environ
from tests.conftest import TEST_KEY_SETTING, postgres_dsn
from tests.projections.engine_builders import dump, generate_into, ledger_at, runner_at

ROOT = Path(__file__).resolve().parents[2]


def _ledger_cli(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = child_environ()
    env |= {"LEDGER_DATABASE_URL": url, "PYTHONPATH": str(ROOT)} | TEST_KEY_SETTING
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _copy_log(source_url: str, target_url: str) -> None:
    """Copy the event log and its signatures, exactly as stored, to another database."""
    source, target = Database.parse(source_url), Database.parse(target_url)
    ledger_at(target_url)  # creates the target's tables
    if source.is_sqlite:
        with sqlite3.connect(source.sqlite_path) as src, sqlite3.connect(target.sqlite_path) as dst:
            rows = src.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall()
            dst.executemany(
                "INSERT INTO stored_events (rowid, originator_id, originator_version,"
                " topic, state) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            signatures = src.execute("SELECT * FROM ledger_signatures ORDER BY number").fetchall()
            marks = ", ".join("?" * len(signatures[0]))
            dst.executemany(f"INSERT INTO ledger_signatures VALUES ({marks})", signatures)
        return
    with psycopg.connect(postgres_dsn(source_url), autocommit=True) as conn:
        for table in ("ledger_events", "ledger_signatures"):
            conn.execute(
                f'INSERT INTO "{target.schema}".{table} '
                f'SELECT * FROM "{source.schema}".{table}'.encode()
            )


def _kill_mid_catch_up(url: str) -> None:
    runner = runner_at(url, ledger_at(url))
    head = runner.head()
    worker = _ledger_cli(url, "rebuild", "--batch-size", "15", "--quiet")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with runner.engine.connect() as conn:
            lowest = conn.scalar(select(func.min(projection_status.c.position)))
            count = conn.scalar(select(func.count()).select_from(projection_status))
        if count == len(PROJECTION_NAMES) and lowest is not None and 0 < lowest < head:
            break
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=30)
    assert worker.returncode == -signal.SIGKILL, "the worker finished before it could be killed"
    assert 0 < (lowest or 0) < head


def _crash_and_resume(url: str, clean_url: str) -> None:
    generate_into(ledger_at(url), seed=11, events=2500)
    _copy_log(url, clean_url)
    _kill_mid_catch_up(url)
    resumed = runner_at(url, ledger_at(url))  # a new worker, as `ledger project --once` starts
    resumed.catch_up()
    assert resumed.failures() == []
    clean = runner_at(clean_url, ledger_at(clean_url))
    clean.catch_up()
    assert dump(resumed.engine) == dump(clean.engine)


@pytest.mark.slow
def test_a_worker_killed_mid_catch_up_on_sqlite_resumes_to_a_clean_rebuild(
    tmp_path: Path,
) -> None:
    (tmp_path / "clean").mkdir()
    _crash_and_resume(
        f"sqlite:///{tmp_path / 'ledger.sqlite'}",
        f"sqlite:///{tmp_path / 'clean' / 'ledger.sqlite'}",
    )


def test_a_worker_killed_mid_catch_up_on_postgres_resumes_to_a_clean_rebuild(
    postgres_url: str, second_postgres_url: str
) -> None:
    _crash_and_resume(postgres_url, second_postgres_url)
