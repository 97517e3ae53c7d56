"""The live feed answers a replay that starts among its latest events from memory, with
exactly what reading the log gives (thousands of screens joining at once read nothing),
and leaves any other replay to the log."""

from __future__ import annotations

import asyncio

import pytest

from api.bootstrap import open_ledger
from api.runtime import log_tail
from api.runtime.log_tail import LogTail
from domain.unit import UnitKind
from tests.conftest import settings_for
from tests.integration.builders import office

A_MINUTE = 60.0
KEPT = 5


def test_a_replay_among_the_latest_events_is_answered_from_memory_as_the_log_answers_it(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_tail, "RECENT", KEPT)
    ledger = open_ledger(settings_for(sqlite_url))

    async def scenario() -> None:
        tail = LogTail(ledger, poll_seconds=0.05)
        tail.start()
        try:
            for number in range(12):
                ledger.register_unit(office(), name=f"单位{number}", kind=UnitKind.DEPARTMENT)
            head = ledger.recorder.max_notification_id() or 0
            await asyncio.wait_for(_caught_up(tail, head), A_MINUTE)
            first_kept = head - KEPT + 1
            for after in range(head + 1):
                for upto in range(after, head + 1):
                    remembered = tail.recent(after, upto)
                    if after + 1 < first_kept:
                        assert remembered is None, (after, upto)
                        continue
                    assert remembered is not None, (after, upto)
                    read = tail.read(after, upto)
                    assert [n.id for n in remembered] == [n.id for n in read], (after, upto)
            assert tail.recent(head - 1, head + 1) is None  # past where the feed stands
        finally:
            await asyncio.wait_for(tail.stop(), A_MINUTE)

    try:
        asyncio.run(scenario())
    finally:
        ledger.close()


async def _caught_up(tail: LogTail, head: int) -> None:
    while tail.position < head:
        await asyncio.sleep(0.01)
