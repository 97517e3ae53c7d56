"""Killing ``ledger rebuild`` ends its worker processes too, however it is killed:
SIGTERM ends them on the way out, and SIGKILL (which gives it no way out) ends them as
each notices its parent is gone, before the rebuild is done."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.bootstrap import open_ledger
from tests.clock import child_environ
from tests.conftest import TEST_KEY_SETTING, settings_for
from tests.e2e.conftest import copy_database, once
from tests.projections.engine_builders import generate_into

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 20_000
"""Enough that the rebuild is still running well after both workers have started."""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite ledger of ``EVENTS`` generated events, made once per run: a template,
    copied for each rebuild (which writes its tables into it)."""

    def generate(home: Path) -> Path:
        database = home / "ledger.sqlite"
        ledger = open_ledger(settings_for(f"sqlite:///{database}"))
        try:
            generate_into(ledger, seed=5, events=EVENTS)
        finally:
            ledger.close()
        return database

    return once(tmp_path_factory, "rebuild-workers", generate)


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has the file ``path`` open (it is past its start-up, which
    a process spawned by multiprocessing spends reading what its parent sends it)."""
    try:
        links = [entry.readlink() for entry in (Path("/proc") / str(pid) / "fd").iterdir()]
    except OSError:
        return False
    return path in links


def running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has ended)."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the processes from /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_killing_a_rebuild_ends_its_worker_processes(
    tmp_path: Path, generated: Path, how: signal.Signals
) -> None:
    sqlite_url = f"sqlite:///{copy_database(generated, tmp_path)}"
    env = (
        child_environ()
        | {"LEDGER_DATABASE_URL": sqlite_url, "PYTHONPATH": str(ROOT)}
        | TEST_KEY_SETTING
    )
    database = Path(sqlite_url.removeprefix("sqlite:///")).resolve()
    with subprocess.Popen(  # its pipe closed whatever happens here
        [sys.executable, "-m", "api.cli", "rebuild", "--quiet", "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as rebuild:
        workers: set[int] = set()
        while rebuild.poll() is None and len(workers) < 2:  # each at work: past its start-up
            children = children_of(rebuild.pid)
            workers = {p for p in children if running(p) and has_open(p, database)}
            time.sleep(0.005)
        assert len(workers) >= 2, "the rebuild ended before its workers were seen at work"
        rebuild.send_signal(how)
        _, err = rebuild.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()
    while any(running(p) for p in workers):  # each ends on its own; none is waited for here
        time.sleep(0.05)
    assert min(positions(sqlite_url).values()) < head(sqlite_url)  # they ended, not finished


def positions(url: str) -> dict[str, int]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return dict(db.execute("SELECT name, position FROM projection_status").fetchall())


def head(url: str) -> int:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return int(db.execute("SELECT max(rowid) FROM stored_events").fetchone()[0])
