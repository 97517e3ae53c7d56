"""What a mutation that succeeds answers through the real HTTP API (its item id, new version,
log position and node as read), and what its event records (the actor, the business time,
the request); a business time before the item's previous act and a NUL in a narrative are
refused naming the field.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.unit import unit_id_for
from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import gid, head, last, mutate
from tests.api.mutation_builders import (
    TASK_FIELDS,
    actor_id,
    deadline_ahead,
    register_unit,
    task_in_progress,
    unit_actor,
    version_of,
)
from tests.clock import now

# Success


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    """A live server on SQLite, then on PostgreSQL."""
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


def test_a_success_carries_the_item_id_its_new_version_the_log_position_and_the_node_as_read(
    server: LiveServer,
) -> None:
    server.token(OFFICE)  # issuing it writes an AccessToken event
    start = last(server)
    lead, other = register_unit(server, "区住建局"), register_unit(server, "区市场监管局")
    assert lead == gid("Unit", unit_id_for("区住建局"))
    registered = mutate(
        server,
        "registerTask",
        {"planYear": 2026, "number": 7, "title": " 推行企业开办一网通办 "},
        item_fields=TASK_FIELDS,
    )
    task = registered["itemId"]
    assert task.startswith("Task:")
    assert registered["version"] == 1
    assert registered["position"] == head(server) == last(server) == start + 3
    assert registered["replayed"] is False
    assert registered["item"] == {
        "__typename": "Task",
        "id": task,
        "version": 1,
        "state": "REGISTERED",
        "progress": 0,
        "deadline": None,
        "title": "推行企业开办一网通办",
        "leadUnits": [],
        "cooperatingUnits": [],
    }

    deadline = deadline_ahead(server)
    assigned = mutate(
        server,
        "assignTask",
        {"taskId": task, "leadUnits": [lead], "cooperatingUnits": [other], "deadline": deadline},
        item_fields=TASK_FIELDS,
    )
    assert assigned["__typename"] == "MutationSuccess"
    assert (assigned["itemId"], assigned["version"]) == (task, 2)
    assert assigned["position"] == head(server) == last(server) == start + 4
    assert assigned["item"]["state"] == "ASSIGNED"
    assert assigned["item"]["version"] == 2
    assert assigned["item"]["deadline"] == deadline
    assert assigned["item"]["leadUnits"] == [{"id": lead, "name": "区住建局"}]
    assert assigned["item"]["cooperatingUnits"] == [{"id": other}]


@pytest.mark.slow
def test_each_kind_of_item_created_by_a_mutation_comes_back_as_its_node(live: LiveServer) -> None:
    unit = register_unit(live, "区住建局")
    complaint = mutate(
        live,
        "receiveComplaint",
        {"channel": "HOTLINE_12345", "summary": "报装超时", "firstResponder": unit},
    )
    in_a_week = (now() + timedelta(days=7)).isoformat()
    created = {
        "Complaint": complaint,
        "Interview": mutate(
            live,
            "scheduleInterview",
            {
                "unit": unit,
                "interviewee": "区住建局局长",
                "reason": "工单逾期",
                "citedItems": [complaint["itemId"]],
                "scheduledFor": in_a_week,
            },
        ),
        "Referral": mutate(
            live,
            "referToDiscipline",
            {"unit": unit, "reason": "推诿扯皮", "evidence": [complaint["position"]]},
        ),
        "LegacyTarget": mutate(
            live,
            "setLegacyTarget",
            {"year": 2025, "goal": "全面解决", "due": "2025-12-31", "requiredResolvedPercent": 90},
        ),
        "Assessment": mutate(
            live,
            "recordAssessment",
            {"unit": unit, "period": "2026-Q3", "kind": "UNIT_ASSESSMENT", "score": "88.5"},
        ),
    }
    for item_type, result in created.items():
        assert result["__typename"] == "MutationSuccess", result
        assert result["itemId"].startswith(f"{item_type}:")
        assert result["item"] == {"__typename": item_type, "id": result["itemId"], "version": 1}


def test_a_business_time_before_the_items_previous_act_is_refused_naming_occurred_at(
    live: LiveServer,
) -> None:
    task, _, _ = task_in_progress(live)  # its acts happened just now
    three_days_ago = now() - timedelta(days=3)
    before = head(live)

    result = mutate(
        live,
        "urgeTask",
        {"taskId": task, "reason": "滞后", "occurredAt": three_days_ago.isoformat()},
    )

    assert result["__typename"] == "ValidationError"
    assert result["field"] == "occurredAt"
    assert head(live) == before
    assert version_of(live, task) == 3


def test_a_command_stamps_the_actor_the_business_time_and_the_request_on_its_event(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    occurred = now()  # after the task's acceptance, before the server records

    result = mutate(
        live,
        "reportProgress",
        {"taskId": task, "percent": 35, "narrative": "x", "occurredAt": occurred.isoformat()},
        actor=unit_actor(lead),
    )

    event = live.services.ledger.item_events(UUID(task.split(":")[1]))[-1]
    assert result["version"] == event.originator_version == 4
    assert event.actor.id.partition("#")[0] == "clerk-wang"
    assert (event.actor.id, event.actor.role.value) == (actor_id(live, unit_actor(lead)), "unit")
    assert str(event.actor.unit) == lead.split(":")[1]
    assert event.occurred_at == occurred
    assert event.recorded_at > occurred
    assert event.imported is False
    assert event.request_id


def test_a_nul_in_a_narrative_is_a_validation_error_naming_it_and_the_read_side_stays_up(
    server: LiveServer,
) -> None:
    task, _, _ = task_in_progress(server)
    before = head(server)

    refused = mutate(
        server, "reportProgress", {"taskId": task, "percent": 10, "narrative": "a\u0000b"}
    )

    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "narrative"
    assert head(server) == before
    assert server.client.get("/readyz").status_code == 200
