"""Helpers of the end-to-end tests: the real ``ledger`` command, run as a subprocess.

Every run has its own working directory and its own SQLite file, named by
``LEDGER_DATABASE_URL``; any ``LEDGER_*`` variable of the calling shell is dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.clock import child_environ

REPO = Path(__file__).resolve().parents[2]
#: The public source documents; beside the repository in CI, absent in some checkouts.
SEEDS_DIR = REPO.parent / "shared" / "seeds"
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Run:
    """What one ``ledger`` command did."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def ok(self) -> Run:
        """This run, after checking it succeeded (with its stderr in the message if not)."""
        assert self.code == 0, f"ledger {' '.join(self.args)} exited {self.code}: {self.err}"
        return self


class LedgerCli:
    """The ``ledger`` command working in ``home`` on ``home/ledger.sqlite``."""

    def __init__(self, home: Path, **settings: str | None) -> None:
        self.home = home
        self.database = home / "ledger.sqlite"
        self.settings = {"LEDGER_DATABASE_URL": f"sqlite:///{self.database}", **settings}

    def environ(self, **overrides: str | None) -> dict[str, str]:
        """The caller's environment without LEDGER_* settings but ours and the suite's clock
        (None: left unset)."""
        env = child_environ()
        for key, value in {**self.settings, **overrides}.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env["PYTHONIOENCODING"] = "utf-8"
        return env

    def __call__(self, *args: str, **overrides: str | None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=self.home,
            env=self.environ(**overrides),
            capture_output=True,
            encoding="utf-8",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        return Run(tuple(args), done.returncode, done.stdout, done.stderr)

    def export(self, what: str) -> list[dict[str, Any]]:
        """``ledger export WHAT --format json``, parsed."""
        rows: list[dict[str, Any]] = json.loads(self("export", what, "--format", "json").ok().out)
        return rows

    def stored_records(self) -> int | None:
        """Rows in the event store (events and receipts); None when there is no file."""
        return stored_records(self.database)


def stored_records(database: Path) -> int | None:
    """Rows in the SQLite event store at ``database``; 0 without its table, None without it."""
    if not database.exists():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if "stored_events" not in tables:
            return 0
        (count,) = db.execute("SELECT count(*) FROM stored_events").fetchone()
    return int(count)


def copy_database(source: Path, target_home: Path) -> Path:
    """Copy an SQLite ledger (with any WAL files) to ``target_home/ledger.sqlite``."""
    target = target_home / "ledger.sqlite"
    for suffix in ("", "-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    return target


def without(row: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


@pytest.fixture
def cli(tmp_path: Path) -> LedgerCli:
    """The ``ledger`` command on a fresh, not yet existing, database in ``tmp_path``."""
    return LedgerCli(tmp_path)
