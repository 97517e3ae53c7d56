"""Through the API, an idempotency key belongs to the token that sent it (issue 12,
item 5): another principal's same key, with the same input or another command, is
answered exactly as a key never used, and its act is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import mutate
from tests.api.mutation_builders import event_types, task_in_progress

OTHER_OFFICE = "office:office-li"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


def report(task: str, key: str) -> dict[str, Any]:
    return {"taskId": task, "percent": 40, "narrative": "过四成", "idempotencyKey": key}


def test_a_second_token_sending_the_same_key_and_input_records_its_own_act(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    first = mutate(server, "reportProgress", report(task, "req-1"), actor=OFFICE)

    second = mutate(server, "reportProgress", report(task, "req-1"), actor=OTHER_OFFICE)

    assert second["__typename"] == "MutationSuccess", second
    assert second["replayed"] is False
    assert (second["version"], second["position"] > first["position"]) == (5, True)
    assert event_types(server, task)[-2:] == ["ProgressReported"] * 2


def test_a_key_another_token_used_is_answered_as_a_key_never_used(server: LiveServer) -> None:
    task, _, _ = task_in_progress(server)
    mutate(server, "reportProgress", report(task, "req-2"), actor=OTHER_OFFICE)
    used_elsewhere = mutate(
        server,
        "urgeTask",
        {"taskId": task, "reason": "进度滞后", "idempotencyKey": "req-2"},
        actor=OFFICE,
    )
    never_used = mutate(
        server,
        "urgeTask",
        {"taskId": task, "reason": "进度滞后", "idempotencyKey": "req-3"},
        actor=OFFICE,
    )

    def shape(result: dict[str, Any]) -> tuple[str, bool]:
        return result["__typename"], result["replayed"]

    assert shape(used_elsewhere) == shape(never_used) == ("MutationSuccess", False)
    assert never_used["version"] == used_elsewhere["version"] + 1


def test_a_token_retrying_its_key_gets_its_own_first_result_not_another_token_s(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    mine = mutate(server, "reportProgress", report(task, "req-4"), actor=OFFICE)
    theirs = mutate(server, "reportProgress", report(task, "req-4"), actor=OTHER_OFFICE)
    assert theirs["position"] > mine["position"]

    again = mutate(server, "reportProgress", report(task, "req-4"), actor=OFFICE)

    def answer(result: dict[str, Any]) -> tuple[Any, ...]:
        return result["itemId"], result["version"], result["position"], result["replayed"]

    assert answer(again) == (*answer(mine)[:3], True)
