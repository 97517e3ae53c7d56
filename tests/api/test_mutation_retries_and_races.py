"""Idempotent retries and races, on SQLite and PostgreSQL: the same idempotency key twice
gives the same result and one event, and two clients racing with the same expected version
or key get one success.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import head, mutate, mutate_with
from tests.api.mutation_builders import TASK_FIELDS, event_types, register_task, task_in_progress

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
def server(request: pytest.FixtureRequest) -> LiveServer:
    """A live server on SQLite, then on PostgreSQL."""
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


# Idempotent retries and races


def test_the_same_idempotency_key_twice_gives_the_same_result_and_one_event(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    given = {"taskId": task, "percent": 60, "narrative": "过半", "idempotencyKey": "retry-1"}

    first = mutate(server, "reportProgress", given, item_fields=TASK_FIELDS)
    after_first = head(server)
    second = mutate(server, "reportProgress", given, item_fields=TASK_FIELDS)

    assert first["__typename"] == second["__typename"] == "MutationSuccess"
    assert (first["replayed"], second["replayed"]) == (False, True)
    assert {k: second[k] for k in ("itemId", "version", "position")} == {
        "itemId": task,
        "version": 4,
        "position": first["position"],
    }
    assert second["item"]["progress"] == 60
    assert head(server) == after_first
    assert event_types(server, task).count("ProgressReported") == 1
    trail = server.gql(
        'query($id: ID!){ events(filter: {itemId: $id, eventType: "ProgressReported"})'
        " { totalCount nodes { position } } }",
        {"id": task},
        position=after_first,
    )["events"]
    assert trail == {"totalCount": 1, "nodes": [{"position": first["position"]}]}


def test_an_idempotent_retry_of_a_registration_creates_one_item(server: LiveServer) -> None:
    given = {"planYear": 2026, "title": "推行跨省通办", "idempotencyKey": "plan-2026-item-3"}

    first = mutate(server, "registerTask", given)
    after_first = head(server)
    second = mutate(server, "registerTask", given)

    assert (first["replayed"], second["replayed"]) == (False, True)
    assert second["itemId"] == first["itemId"]
    assert head(server) == after_first
    tasks = server.gql("{ tasks { totalCount } }", position=after_first)["tasks"]
    assert tasks["totalCount"] == 1


def race(live: LiveServer, send: Callable[[httpx.Client], dict[str, Any]]) -> list[dict[str, Any]]:
    """``send`` from two clients of their own, let go at the same moment."""
    barrier = threading.Barrier(2)
    results: list[dict[str, Any]] = []
    failures: list[BaseException] = []

    def client() -> None:
        try:
            with httpx.Client(base_url=live.url, timeout=30) as http:
                barrier.wait()
                results.append(send(http))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=client) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert len(results) == 2
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_clients_racing_with_the_same_expected_version_get_one_success_and_one_conflict(
    server: LiveServer, round_: int
) -> None:
    task, _, _ = task_in_progress(server)
    given = {"taskId": task, "reason": f"第{round_ + 1}次催办", "expectedVersion": 3}
    auth = server.auth(OFFICE)

    results = race(server, lambda http: mutate_with(http, "urgeTask", given, auth=auth))

    by_type = {r["__typename"]: r for r in results}
    assert sorted(by_type) == ["ConcurrencyConflict", "MutationSuccess"]
    assert by_type["MutationSuccess"]["version"] == 4
    assert by_type["ConcurrencyConflict"]["currentVersion"] == 4
    assert by_type["ConcurrencyConflict"]["expectedVersion"] == 3
    assert event_types(server, task) == ["Registered", "Assigned", "Accepted", "Urged"]


def test_two_clients_sending_the_same_idempotency_key_at_once_write_one_event(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    given = {"taskId": task, "percent": 25, "narrative": "启动", "idempotencyKey": "twice"}
    auth = server.auth(OFFICE)

    results = race(server, lambda http: mutate_with(http, "reportProgress", given, auth=auth))

    assert [r["__typename"] for r in results] == ["MutationSuccess"] * 2
    assert sorted(r["replayed"] for r in results) == [False, True]
    assert len({(r["itemId"], r["version"], r["position"]) for r in results}) == 1
    assert event_types(server, task) == ["Registered", "Assigned", "Accepted", "ProgressReported"]


def test_an_idempotency_key_used_for_one_task_is_not_replayed_for_another(
    live: LiveServer,
) -> None:
    first, lead, _ = task_in_progress(live)
    second = register_task(live, "推行工程建设项目审批改革", number=2)
    mutate(live, "assignTask", {"taskId": second, "leadUnits": [lead], "deadline": "2026-12-30"})
    urged = mutate(live, "urgeTask", {"taskId": first, "reason": "滞后", "idempotencyKey": "u-1"})
    assert urged["__typename"] == "MutationSuccess"

    other = mutate(live, "urgeTask", {"taskId": second, "reason": "滞后", "idempotencyKey": "u-1"})

    assert other["__typename"] == "IdempotencyKeyReused", other
