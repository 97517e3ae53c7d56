"""The live feed stopping while it reads the log: the read, running in a worker thread that
cancelling the feed's task cannot stop, is waited for, and none starts after. The server
closes the ledger's connection right after the feed stops, and closing an SQLite
connection another thread is using crashes the process (a worker of the suite once died
of it while a server shut down)."""

from __future__ import annotations

import asyncio
import threading

from api.bootstrap import open_ledger
from api.runtime.log_tail import LogTail
from domain.unit import UnitKind
from tests.conftest import settings_for
from tests.integration.builders import office

A_MINUTE = 60.0


def test_stopping_the_feed_waits_for_a_read_of_the_log_already_running(sqlite_url: str) -> None:
    ledger = open_ledger(settings_for(sqlite_url))
    recorder = ledger.recorder
    reading, release = threading.Event(), threading.Event()
    finished: list[str] = []
    head = recorder.max_notification_id

    def slow_head() -> int | None:
        reading.set()
        release.wait(A_MINUTE)
        try:
            return head()
        finally:
            finished.append("read")

    async def scenario() -> None:
        tail = LogTail(ledger, poll_seconds=A_MINUTE)
        tail.start()
        recorder.max_notification_id = slow_head  # type: ignore[method-assign]
        ledger.register_unit(office(), name="区住建局", kind=UnitKind.DEPARTMENT)  # wakes it
        assert await asyncio.to_thread(reading.wait, A_MINUTE)
        stopping = asyncio.create_task(tail.stop())
        await asyncio.sleep(0.05)  # time to end, were it not waiting (it must not)
        assert not stopping.done(), "the feed stopped while its read of the log ran on"
        release.set()
        await asyncio.wait_for(stopping, A_MINUTE)
        finished.append("stopped")

    try:
        asyncio.run(scenario())
    finally:
        release.set()
        ledger.close()
    assert finished == ["read", "stopped"]
