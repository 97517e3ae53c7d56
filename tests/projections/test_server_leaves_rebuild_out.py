"""A server shares its process with requests: it never loads what only a rebuild from
scratch needs (worker processes, a paused garbage collector, indexes left out), and its
projections never change how the whole process collects garbage."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projections.engine_builders import generate_into, ledger_at, runner_at

REPOSITORY = Path(__file__).resolve().parents[2]

SERVE = """
import gc, json, sys
from starlette.testclient import TestClient
from api.http.app import create_app
from tests.conftest import settings_for

thresholds = gc.get_threshold()
with TestClient(create_app(settings_for(sys.argv[1]))) as client:
    client.get("/health")
    services = client.app.state.services
    services.projector.runner.catch_up()
    loaded = sorted(m for m in sys.modules if m.startswith("projections.rebuild"))
    print(json.dumps({"loaded": loaded, "same_thresholds": gc.get_threshold() == thresholds}))
"""


@pytest.mark.slow
def test_a_running_server_has_loaded_nothing_only_a_rebuild_needs(sqlite_url: str) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", SERVE, sqlite_url],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    said = json.loads(ran.stdout.strip().splitlines()[-1])
    assert said == {"loaded": [], "same_thresholds": True}


def test_catching_up_leaves_the_process_collecting_garbage_as_it_did(sqlite_url: str) -> None:
    ledger = ledger_at(sqlite_url)
    generate_into(ledger, seed=21, events=300)
    runner = runner_at(sqlite_url, ledger, batch_size=50)
    before = (gc.isenabled(), gc.get_threshold())
    during: set[tuple[bool, tuple[int, ...]]] = set()
    runner.catch_up(on_batch=lambda _covered: during.add((gc.isenabled(), gc.get_threshold())))
    assert during == {before}
    assert (gc.isenabled(), gc.get_threshold()) == before
