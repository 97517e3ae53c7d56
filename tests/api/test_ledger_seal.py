"""``ledgerSeal`` tells how far the server's background verifier has found the log to
hold, and where it does not: a row slipped in by hand, a row changed behind the walk."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from api.bootstrap import open_ledger
from api.runtime.services import ServeOptions
from tests.api.conftest import LiveServer, start_server, stop_server
from tests.conftest import settings_for
from tests.integration.builders import office, task_in_progress, unit
from tests.integration.tamper_builders import RawLog

SEAL = "{ ledgerSeal { position seal verifiedUpTo holds firstBadPosition problem verifiedAt } }"
PATIENCE_SECONDS = 60


@pytest.fixture
def watched(database_url: str) -> Iterator[LiveServer]:
    ledger = open_ledger(settings_for(database_url))
    try:
        task = task_in_progress(ledger, unit(ledger))
        ledger.urge_task(office(), task, reason="催办")
    finally:
        ledger.close()
    options = ServeOptions(
        poll_seconds=0.1,
        verify_seconds=0.05,
        rewalk_seconds=0.5,
    )
    live = start_server(settings_for(database_url), options)
    yield live
    stop_server(live)


def seal_when(live: LiveServer, ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The answer to ``ledgerSeal`` once ``ready`` says so (the walk runs in the background;
    the test waits for it, it measures nothing)."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        answer = live.post(SEAL).json()
        seal = answer["data"]["ledgerSeal"]
        if seal is not None and ready(seal):
            return seal
        assert time.monotonic() < deadline, f"still {answer}"
        time.sleep(0.05)


def test_ledger_seal_tells_how_far_the_log_is_verified_and_that_it_holds(
    watched: LiveServer, database_url: str
) -> None:
    watched.post(SEAL)  # its token is written first
    head = RawLog(database_url).positions()[-1]
    seal = seal_when(watched, lambda s: s["verifiedUpTo"] == head)
    assert (seal["position"], seal["holds"], seal["firstBadPosition"]) == (head, True, None)
    assert seal["seal"].startswith(f"ledger-seal:v3:{head}:")
    assert seal["verifiedAt"] is not None


def test_a_row_slipped_in_by_hand_turns_holds_false_naming_its_position(
    watched: LiveServer, database_url: str
) -> None:
    log = RawLog(database_url)
    watched.post(SEAL)  # its token is written first
    head = log.positions()[-1]
    seal_when(watched, lambda s: s["verifiedUpTo"] == head)
    log.insert(head + 1, log.row(1))

    seal = seal_when(watched, lambda s: not s["holds"])
    assert seal["firstBadPosition"] == head + 1
    assert "did not sign" in seal["problem"]
    assert seal["verifiedUpTo"] == head


@pytest.mark.slow
def test_a_row_changed_behind_the_walk_is_found_when_it_walks_again_from_the_start(
    watched: LiveServer, database_url: str
) -> None:
    log = RawLog(database_url)
    watched.post(SEAL)  # its token is written first
    positions = log.positions()
    seal_when(watched, lambda s: s["verifiedUpTo"] == positions[-1])
    log.drop_guard()
    log.alter_state(positions[2])

    seal = seal_when(watched, lambda s: not s["holds"])
    assert seal["firstBadPosition"] == positions[2]
    assert seal["problem"].startswith("altered")
    assert seal["verifiedUpTo"] == positions[2] - 1
