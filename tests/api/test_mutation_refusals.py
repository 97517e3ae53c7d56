"""Every typed error of ``MutationResult`` through the real HTTP API, each writing nothing:
validation errors naming the input field, not found, concurrency conflicts, invalid
transitions, already exists, an idempotency key sent again with another command.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import LiveServer
from tests.api.helpers import gid, head, mutate
from tests.api.mutation_builders import (
    TASK_FIELDS,
    event_types,
    register_task,
    register_unit,
    task_in_progress,
    version_of,
)
from tests.clock import now

# The typed errors, each writing nothing


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    """A live server on SQLite, then on PostgreSQL."""
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


@pytest.mark.parametrize(
    ("name", "given", "field"),
    [
        ("registerTask", {"planYear": 2026, "title": "   "}, "title"),
        ("registerTask", {"planYear": 2026, "title": "x", "number": 0}, "number"),
        ("assignTask", {"leadUnits": [], "deadline": "+30"}, "leadUnits"),
        ("assignTask", {"leadUnits": ["lead"], "deadline": "-1"}, "deadline"),
        ("assignTask", {"leadUnits": ["lead"], "cooperatingUnits": ["lead"]}, "cooperatingUnits"),
        (
            "assignTask",
            {"leadUnits": ["lead"], "cooperatingUnits": [gid("Unit", uuid4())]},
            "cooperatingUnits",
        ),
        ("registerTask", {"planYear": 2026, "title": "x", "occurredAt": "+1"}, "occurredAt"),
        ("registerTask", {"planYear": 2026, "title": "x", "occurredAt": "-45"}, "occurredAt"),
        (
            "registerTask",
            {"planYear": 2026, "title": "x", "idempotencyKey": "  "},
            "idempotencyKey",
        ),
    ],
    ids=[
        "blank-title",
        "number-0",
        "no-lead-unit",
        "deadline-before-assignment",
        "lead-also-cooperating",
        "unknown-cooperating-unit",
        "occurred-in-the-future",
        "back-dated-beyond-the-limit",
        "blank-idempotency-key",
    ],
)
def test_a_broken_rule_is_a_validation_error_naming_the_input_field_and_writes_nothing(
    live: LiveServer, name: str, given: dict[str, Any], field: str
) -> None:
    lead = register_unit(live, "区住建局")
    task = register_task(live)
    today = live.services.today()
    stamp = now()
    relative = {
        "+30": (today + timedelta(days=30)).isoformat(),
        "-1": (today - timedelta(days=1)).isoformat(),
        "+1": (stamp + timedelta(days=1)).isoformat(),
        "-45": (stamp - timedelta(days=45)).isoformat(),
        "lead": lead,
    }

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return relative.get(value, value) if isinstance(value, str) else value

    given = {k: resolve(v) for k, v in given.items()}
    if name == "assignTask":
        given = {"taskId": task, "deadline": relative["+30"], **given}
    before = head(live)

    result = mutate(live, name, given)

    assert result["__typename"] == "ValidationError", result
    assert result["field"] == field
    assert result["message"]
    assert head(live) == before
    assert version_of(live, task) == 1


def test_a_command_on_an_unknown_task_is_not_found_and_writes_nothing(live: LiveServer) -> None:
    task, _, _ = task_in_progress(live)
    missing = uuid4()
    before = head(live)

    result = mutate(
        live, "reportProgress", {"taskId": gid("Task", missing), "percent": 10, "narrative": "x"}
    )

    assert result["__typename"] == "NotFound"
    assert result["itemType"] == "Task"
    assert result["missingId"] == str(missing)
    assert head(live) == before
    assert version_of(live, task) == 3


def test_a_complaint_step_on_a_task_id_given_as_a_bare_uuid_is_not_found(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    before = head(live)

    result = mutate(live, "dispatchComplaint", {"complaintId": task.split(":")[1], "unit": lead})

    assert result["__typename"] == "NotFound"
    assert result["itemType"] == "Complaint"
    assert result["missingId"] == task.split(":")[1]
    assert head(live) == before
    assert version_of(live, task) == 3


def test_a_stale_expected_version_gets_a_concurrency_conflict_and_writes_nothing(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    before = head(server)

    stale = mutate(
        server,
        "reportProgress",
        {"taskId": task, "percent": 20, "narrative": "完成方案", "expectedVersion": 2},
    )

    assert stale["__typename"] == "ConcurrencyConflict"
    assert stale["conflictItemId"] == task.split(":")[1]
    assert stale["expectedVersion"] == 2
    assert stale["currentVersion"] == 3
    assert head(server) == before
    assert version_of(server, task) == 3

    retried = mutate(
        server,
        "reportProgress",
        {
            "taskId": task,
            "percent": 20,
            "narrative": "完成方案",
            "expectedVersion": stale["currentVersion"],
        },
        item_fields=TASK_FIELDS,
    )
    assert retried["__typename"] == "MutationSuccess"
    assert retried["version"] == 4
    assert retried["item"]["progress"] == 20


@pytest.mark.parametrize(
    ("name", "given", "state", "step"),
    [
        ("reportProgress", {"percent": 10, "narrative": "x"}, "registered", "report progress"),
        ("verifyTask", {}, "registered", "be verified and closed"),
        ("urgeTask", {"reason": "进度滞后"}, "registered", "be urged"),
    ],
)
def test_a_step_the_lifecycle_does_not_allow_is_an_invalid_transition_naming_state_and_step(
    live: LiveServer, name: str, given: dict[str, Any], state: str, step: str
) -> None:
    task = register_task(live)
    before = head(live)

    result = mutate(live, name, {"taskId": task, **given})

    assert result["__typename"] == "InvalidTransition"
    assert result["itemType"] == "Task"
    assert result["state"].lower() == state
    assert result["step"] == step
    assert head(live) == before
    assert version_of(live, task) == 1


def test_closing_a_task_still_in_progress_is_an_invalid_transition_from_in_progress(
    live: LiveServer,
) -> None:
    task, _, _ = task_in_progress(live)
    before = head(live)

    result = mutate(live, "verifyTask", {"taskId": task})

    assert result["__typename"] == "InvalidTransition"
    assert result["state"].lower() == "in_progress"
    assert result["step"] == "be verified and closed"
    assert head(live) == before
    assert version_of(live, task) == 3


def test_registering_a_unit_under_a_name_already_taken_is_already_exists_and_writes_nothing(
    live: LiveServer,
) -> None:
    unit = register_unit(live, "区住建局")
    before = head(live)

    again = mutate(live, "registerUnit", {"name": " 区住建局 ", "kind": "SUBDISTRICT"})

    assert again["__typename"] == "AlreadyExists"
    assert again["itemType"] == "Unit"
    assert again["key"] == unit.split(":")[1]
    assert head(live) == before
    assert version_of(live, unit) == 1


def test_registering_a_task_under_an_id_already_used_is_already_exists_and_writes_nothing(
    live: LiveServer,
) -> None:
    task_id = uuid4()
    first = mutate(live, "registerTask", {"planYear": 2026, "title": "甲", "taskId": str(task_id)})
    assert first["__typename"] == "MutationSuccess"
    before = head(live)

    again = mutate(
        live, "registerTask", {"planYear": 2026, "title": "乙", "taskId": gid("Task", task_id)}
    )

    assert again["__typename"] == "AlreadyExists"
    assert (again["itemType"], again["key"]) == ("Task", str(task_id))
    assert head(live) == before
    assert version_of(live, gid("Task", task_id)) == 1
    assert live.services.ledger.item_events(task_id)[0].title == "甲"  # type: ignore[attr-defined]


def test_an_idempotency_key_sent_again_with_another_command_is_refused_and_writes_nothing(
    live: LiveServer,
) -> None:
    task, _, _ = task_in_progress(live)
    first = mutate(
        live,
        "reportProgress",
        {"taskId": task, "percent": 40, "narrative": "过四成", "idempotencyKey": "req-7"},
    )
    assert first["__typename"] == "MutationSuccess"
    before = head(live)

    reused = mutate(
        live, "urgeTask", {"taskId": task, "reason": "进度滞后", "idempotencyKey": "req-7"}
    )

    assert reused["__typename"] == "IdempotencyKeyReused"
    assert reused["key"] == "req-7"
    assert head(live) == before
    assert event_types(live, task) == ["Registered", "Assigned", "Accepted", "ProgressReported"]
