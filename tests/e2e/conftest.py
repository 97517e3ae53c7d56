"""Helpers of the end-to-end tests: the real ``ledger`` command, run as a subprocess.

Every run has its own working directory and its own SQLite file, named by
``LEDGER_DATABASE_URL``; any ``LEDGER_*`` variable of the calling shell is dropped.
What a command's output or refusal says, where no process of its own matters, is checked
with ``LedgerCli.in_process`` (the same ``main``, in the test's process); every command
group keeps tests running it as a process. A ledger several tests start from is made
once per run (``once``) and copied (``copy_database``).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from api.cli.main import main
from tests.clock import child_environ

T = TypeVar("T")

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

    def in_process(self, *args: str, **overrides: str | None) -> Run:
        """``ledger ARGS`` as ``__call__`` runs it, but by calling ``api.cli.main`` in this
        process, with this environment and working directory for the call (the test's
        are put back after it, and the warning printer ``main`` installs)."""
        environ, cwd, show = dict(os.environ), Path.cwd(), warnings.showwarning
        out, err = io.StringIO(), io.StringIO()
        os.environ.clear()
        os.environ.update(self.environ(**overrides))
        os.chdir(self.home)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exit_:  # argparse's refusals
                    code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environ)
            warnings.showwarning = show
        return Run(tuple(args), code, out.getvalue(), err.getvalue())

    def export(self, what: str, *, in_process: bool = False) -> list[dict[str, Any]]:
        """``ledger export WHAT --format json``, parsed (run in this process if asked)."""
        run = self.in_process if in_process else self
        rows: list[dict[str, Any]] = json.loads(run("export", what, "--format", "json").ok().out)
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
    """Copy an SQLite ledger (with any WAL files, and the personal-data key made beside it)
    to ``target_home/ledger.sqlite``."""
    target = target_home / "ledger.sqlite"
    for suffix in ("", "-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    key = source.parent / "ledger.key"
    if key.exists():
        shutil.copy(key, target_home / key.name)  # and its mode: the owner's alone
    return target


def once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """What ``make`` returns given a new folder, made once in the whole run: the first
    pytest-xdist worker to ask makes it (the others wait for it) and keeps it, pickled, in
    the folder the workers share; without xdist, simply made."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(factory.mktemp(name))
    shared = factory.getbasetemp().parent  # the run's folder, above each worker's own
    kept = shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not kept.exists():
            folder = shared / name
            shutil.rmtree(folder, ignore_errors=True)  # what a failed first try left
            folder.mkdir()
            kept.write_bytes(pickle.dumps(make(folder)))
        made: T = pickle.loads(kept.read_bytes())
    return made


def without(row: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


@pytest.fixture
def cli(tmp_path: Path) -> LedgerCli:
    """The ``ledger`` command on a fresh, not yet existing, database in ``tmp_path``."""
    return LedgerCli(tmp_path)


@pytest.fixture(scope="session")
def seeded_2021(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite ledger that ``ledger seed changxing-2021`` seeded, made once per run: a
    template, to be copied (``copy_database``), never changed."""

    def seed(home: Path) -> Path:
        cli = LedgerCli(home)
        cli("seed", "changxing-2021").ok()
        return cli.database

    return once(tmp_path_factory, "seeded-2021", seed)
