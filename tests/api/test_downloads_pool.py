"""Exports and documents run in a small pool of their own (``api.http.heavy_work``): while
as many as may be are being made (held here on an event), GraphQL still answers and one
more download, a document or an export, is refused at once with 503 and ``Retry-After``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from api.documents.oversight_letters import ItemNotFound
from api.http import documents
from api.http.heavy_work import HeavyWork
from tests.api.conftest import OFFICE, LiveServer

GUARD_SECONDS = 60.0
"""Only so that a broken build cannot hang the suite: nothing waits this long when it works."""


def test_while_the_downloads_pool_is_full_graphql_answers_and_one_more_download_gets_503(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    work: HeavyWork = live.app.state.heavy_work
    capacity = work.workers + work.waiting
    release, started = threading.Event(), threading.Semaphore(0)

    def held(*_: Any) -> Any:
        started.release()
        release.wait(GUARD_SECONDS)
        raise ItemNotFound("held")  # a cheap answer once released: 404

    monkeypatch.setattr(documents, "_make", held)
    path = "/documents/monthly-bulletin/2021-06.pdf"
    headers = live.auth(OFFICE)
    live.gql("{ __typename }")
    with ThreadPoolExecutor(capacity) as clients:
        pending = [clients.submit(live.client.get, path, headers=headers) for _ in range(capacity)]
        for _ in range(work.workers):  # the pool's workers are busy with the first ones
            assert started.acquire(timeout=GUARD_SECONDS)
        while work.admitted < capacity and not any(p.done() for p in pending):
            threading.Event().wait(0.01)  # the rest queued behind them
        try:
            assert work.admitted == capacity
            for extra in (path, "/exports/tasks.xlsx"):
                refused = live.client.get(extra, headers=headers)
                assert refused.status_code == 503, refused.text
                assert int(refused.headers["retry-after"]) > 0
                assert refused.json()["errors"][0]["extensions"]["code"] == "BUSY"
            assert live.gql("{ __typename }") == {"__typename": "Query"}
        finally:
            release.set()
        assert [p.result().status_code for p in pending] == [404] * capacity
    assert work.admitted == 0
