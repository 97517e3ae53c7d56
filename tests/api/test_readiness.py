"""``/readyz`` tells anyone who asks ready or not ready, and nothing more: why not (a
projection stopped, where, on what) goes to the server's log and to ``ledger
projections``, never to an anonymous caller."""

from __future__ import annotations

import logging
import time

import pytest

from api.bootstrap import open_ledger
from tests.api.conftest import (
    LiveServer,
    start_server,
    stop_server,
)
from tests.conftest import settings_for
from tests.integration.builders import office, task_in_progress, unit
from tests.projections.test_undecodable_rows import slip_in


def test_a_ready_server_says_ready_and_nothing_more(sqlite_url: str) -> None:
    live = start_server(settings_for(sqlite_url))
    try:
        response = live.client.get("/readyz")
        assert (response.status_code, response.json()) == (200, {"status": "ready"})
    finally:
        stop_server(live)


def wait_until_not_ready(live: LiveServer) -> None:
    """Until the server's projections have caught up as far as they go, or failed."""
    projector = live.services.projector
    while not (projector.caught_up or projector.error is not None):
        time.sleep(0.05)


def test_a_server_whose_projections_stopped_says_not_ready_and_logs_why(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    ledger = open_ledger(settings_for(database_url))
    task = task_in_progress(ledger, unit(ledger))
    ledger.urge_task(office(), task, reason="催办")
    ledger.close()
    bad = slip_in(database_url, "state")
    caplog.set_level(logging.INFO, logger="ledger.readiness")
    live = start_server_not_ready(database_url)
    try:
        wait_until_not_ready(live)
        response = live.client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "not ready"}  # no position, no error, no SQL
        said = [r.getMessage() for r in caplog.records if r.name == "ledger.readiness"]
        assert any(f"position {bad}" in m and "undecodable row" in m for m in said), said
    finally:
        stop_server(live)


def start_server_not_ready(url: str) -> LiveServer:
    """A server that may never be ready: started as ``start_server`` starts one, without
    waiting for its projections."""
    return start_server(settings_for(url), ready=False)
