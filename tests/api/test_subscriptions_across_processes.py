"""Subscribers while another process writes to the same ledger: each gets every event once
and in order (SQLite and PostgreSQL), and on PostgreSQL a reconnecting subscriber misses
nothing and ``itemChanged`` follows an item written elsewhere.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest

from api.bootstrap import open_ledger
from domain.ledger_base import CommandContext
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    ITEM_CHANGED,
    LEDGER_EVENTS,
    OFFICE,
    audit_trail,
    bare,
    events_of,
    head,
    logged_positions,
    receive_complaint,
    register_task,
    register_unit,
    settle,
    ws,
)
from tests.api.ws_client import TIMEOUT

pytestmark = pytest.mark.slow
"""End to end: every test here talks to a real uvicorn over a socket."""


@pytest.fixture
def live(served: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on SQLite)."""
    return served


@pytest.fixture
def live_postgres(served_postgres: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on PostgreSQL)."""
    return served_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_live(request: pytest.FixtureRequest) -> LiveServer:
    """The server on SQLite, then on PostgreSQL (skipped without a server)."""
    server: LiveServer = request.getfixturevalue(
        "live" if request.param == "sqlite" else "live_postgres"
    )
    return server


def test_subscribers_joining_while_two_processes_write_each_get_every_event_once_in_order(
    any_live: LiveServer,
) -> None:
    live = any_live
    live.token()  # the office's token is issued (an event) before the writing starts
    live.services.ledger.register_unit(
        CommandContext(OFFICE), name="Culture Bureau", kind=UnitKind.DEPARTMENT
    )
    before = len(logged_positions(live))
    other_process = open_ledger(live.services.settings)  # its commits wake no one here
    per_writer = 150
    started = threading.Barrier(3, timeout=TIMEOUT)
    failures: list[BaseException] = []

    def write(ledger: Any, name: str) -> None:
        try:
            started.wait()
            for i in range(per_writer):
                ledger.register_task(CommandContext(OFFICE), plan_year=2021, title=f"{name} {i}")
        except BaseException as error:  # reported by the test
            failures.append(error)

    writers = [
        threading.Thread(target=write, args=(live.services.ledger, "server")),
        threading.Thread(target=write, args=(other_process, "other")),
    ]
    for writer in writers:
        writer.start()
    query = "subscription($a: Int!) { ledgerEvents(after: $a) { position } }"
    try:
        started.wait()
        with ws(live) as client:
            feeds: list[tuple[str, int]] = []
            while (any(w.is_alive() for w in writers) and len(feeds) < 30) or len(feeds) < 3:
                after = head(live) // 2  # each joins at another moment, replaying some
                feeds.append((client.subscribe(query, {"a": after}), after))
                time.sleep(0.01)
            for writer in writers:
                writer.join(timeout=60)
            assert not failures, failures
            positions = logged_positions(live)
            assert len(positions) == before + 2 * per_writer
            for op_id, after in feeds:
                expected = [p for p in positions if p > after]
                got = [d["ledgerEvents"]["position"] for d in client.nexts(op_id, len(expected))]
                assert got == expected, f"subscription after {after}"
            marker = register_task(live, "marker")["position"]
            for op_id, _ in feeds:  # and nothing else came in between
                assert client.next(op_id)["ledgerEvents"]["position"] == marker
    finally:
        for writer in writers:
            writer.join(timeout=60)
        other_process.close()


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_on_postgresql_a_reconnecting_subscriber_misses_nothing_and_hears_other_processes(
    live_postgres: LiveServer,
) -> None:
    live = live_postgres
    live.token()
    start = head(live)
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        feed = client.subscribe(LEDGER_EVENTS, {"after": start})
        (registered,) = events_of(client, feed, 1)
        assert registered["itemId"] == bare(unit)

    missed = [
        receive_complaint(live, unit),
        register_task(live, "pave"),
        receive_complaint(live, unit, key="pg-retry"),
    ]
    other_process = open_ledger(live.services.settings)  # commits the server does not see
    try:
        with ws(live) as client:
            feed = client.subscribe(LEDGER_EVENTS, {"after": registered["position"]})
            replayed = events_of(client, feed, len(missed))
            assert [e["position"] for e in replayed] == [w["position"] for w in missed]
            assert replayed == [
                e for e in audit_trail(live) if e["position"] > registered["position"]
            ]

            elsewhere = other_process.register_task(
                CommandContext(OFFICE), plan_year=2021, title="written by another process"
            )
            (woken,) = events_of(client, feed, 1)
            assert woken["position"] == elsewhere.position
            assert woken["actor"] == {"id": "office-wang", "role": "OFFICE", "unit": None}
            here = register_task(live, "written by the server")
            (own,) = events_of(client, feed, 1)
            assert own["position"] == here["position"]
            assert logged_positions(live, registered["position"]) == [
                *(w["position"] for w in missed),
                elsewhere.position,
                here["position"],
            ]
    finally:
        other_process.close()


@pytest.mark.postgres
def test_on_postgresql_item_changed_follows_an_item_written_by_another_process(
    live_postgres: LiveServer,
) -> None:
    live = live_postgres
    unit = register_unit(live, "Port Authority")["itemId"]
    settle(live)
    other_process = open_ledger(live.services.settings)
    try:
        with ws(live) as client:
            op = client.subscribe(ITEM_CHANGED, {"id": unit})
            assert client.next(op)["itemChanged"]["version"] == 1
            other_process.rename_unit(
                CommandContext(OFFICE), uuid.UUID(bare(unit)), name="Harbour Authority"
            )
            node = client.next(op)["itemChanged"]
            assert (node["version"], node["name"]) == (2, "Harbour Authority")
    finally:
        other_process.close()
