"""Mutations through the real HTTP API: the success payload, every typed error of
``MutationResult`` (each writing nothing), optimistic concurrency between two racing clients,
idempotent retries, and bad input that never reaches the ledger."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from api.runtime.services import ServeOptions
from api.settings import Limits
from domain.access import token_hash, token_id_for
from domain.channels import Channel
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import UnitKind, unit_id_for
from tests.api.conftest import OFFICE, LiveServer, start_server, stop_server
from tests.api.helpers import (
    gid,
    head,
    last,
    mutate,
    mutate_with,
    mutation_document,
)
from tests.clock import now
from tests.conftest import settings_for

TASK_FIELDS = (
    "... on Task { state progress deadline title leadUnits { id name } cooperatingUnits { id } }"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    """A live server on SQLite, then on PostgreSQL."""
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


def unit_actor(unit: str, name: str = "clerk-wang") -> str:
    """The actor (``role:name:unit``) of a clerk of ``unit`` (a global id)."""
    return f"unit:{name}:{unit.split(':')[1]}"


def actor_id(live: LiveServer, actor: str) -> str:
    """The actor id the server stamps for ``actor``'s token: ``<name>#<token id[:8]>``."""
    name = actor.split(":")[1]
    token_id = token_id_for(token_hash(live.token(actor)))
    return f"{name}#{str(token_id)[:8]}"


def register_unit(live: LiveServer, name: str, kind: str = "DEPARTMENT") -> str:
    result = mutate(live, "registerUnit", {"name": name, "kind": kind})
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


def register_task(live: LiveServer, title: str = "推行企业开办一网通办", number: int = 1) -> str:
    result = mutate(live, "registerTask", {"planYear": 2026, "number": number, "title": title})
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


def deadline_ahead(live: LiveServer, days: int = 30) -> str:
    return (live.services.today() + timedelta(days=days)).isoformat()


def assigned_task(live: LiveServer, lead: str, other: str) -> str:
    """A new task assigned to ``lead``, with ``other`` cooperating."""
    task = register_task(live)
    assigned = mutate(
        live,
        "assignTask",
        {
            "taskId": task,
            "leadUnits": [lead],
            "cooperatingUnits": [other],
            "deadline": deadline_ahead(live),
        },
    )
    assert assigned["__typename"] == "MutationSuccess", assigned
    return task


def task_in_progress(live: LiveServer) -> tuple[str, str, str]:
    """A task assigned to a lead and a cooperating unit and accepted: (task, lead, other);
    the task is at version 3."""
    lead, other = register_unit(live, "区住建局"), register_unit(live, "区市场监管局")
    task = assigned_task(live, lead, other)
    accepted = mutate(live, "acceptTask", {"taskId": task, "unit": lead}, actor=unit_actor(lead))
    assert accepted == {**accepted, "__typename": "MutationSuccess", "version": 3}
    return task, lead, other


def version_of(live: LiveServer, item: str) -> int:
    """How many events the item has in the log itself."""
    return len(live.services.ledger.item_events(UUID(item.split(":")[1])))


def event_types(live: LiveServer, item: str) -> list[str]:
    return [type(e).__name__ for e in live.services.ledger.item_events(UUID(item.split(":")[1]))]


# Success


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


# The typed errors, each writing nothing


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


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("viewer", "registerTask"),
        ("viewer", "reportProgress"),
        ("unit", "escalateTask"),
        ("unit", "urgeTask"),
        ("inspector", "reportProgress"),
        ("leader", "verifyTask"),
        ("leader", "registerUnit"),
    ],
)
def test_a_role_the_access_table_does_not_allow_is_forbidden_and_writes_nothing(
    live: LiveServer, role: str, name: str
) -> None:
    task, lead, _ = task_in_progress(live)
    inputs: dict[str, dict[str, Any]] = {
        "registerTask": {"planYear": 2026, "title": "某事项"},
        "reportProgress": {"taskId": task, "percent": 50, "narrative": "过半"},
        "escalateTask": {"taskId": task, "reason": "需协调"},
        "urgeTask": {"taskId": task, "reason": "进度滞后"},
        "verifyTask": {"taskId": task},
        "registerUnit": {"name": "区新设局", "kind": "DEPARTMENT"},
    }
    actor = f"{role}:someone:{lead.split(':')[1]}" if role == "unit" else f"{role}:someone"
    before = head(live)

    result = mutate(live, name, inputs[name], actor=actor)

    assert result["__typename"] == "Forbidden"
    assert result["action"] == name
    assert result["role"] == role
    assert head(live) == before
    assert version_of(live, task) == 3


def test_the_roles_the_access_table_names_besides_the_office_may_run_their_commands(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    referral = mutate(
        live, "referToDiscipline", {"unit": lead, "reason": "推诿扯皮", "evidence": [head(live)]}
    )
    assert referral["__typename"] == "MutationSuccess", referral

    reported = mutate(
        live,
        "reportProgress",
        {"taskId": task, "percent": 30, "narrative": "已完成调研"},
        actor=unit_actor(lead),
    )
    escalated = mutate(
        live, "escalateTask", {"taskId": task, "reason": "跨部门协调"}, actor="leader:chen"
    )
    acknowledged = mutate(
        live,
        "acknowledgeReferral",
        {"referralId": referral["itemId"], "note": "已受理"},
        actor="inspector:zhao",
    )

    assert (reported["__typename"], reported["version"]) == ("MutationSuccess", 4)
    assert (escalated["__typename"], escalated["version"]) == ("MutationSuccess", 5)
    assert (acknowledged["__typename"], acknowledged["version"]) == ("MutationSuccess", 2)
    events = live.services.ledger.item_events(UUID(task.split(":")[1]))
    assert [(e.actor.id, e.actor.role.value) for e in events[3:]] == [
        (actor_id(live, unit_actor(lead)), "unit"),
        (actor_id(live, "leader:chen"), "leader"),
    ]
    assert [e.actor.id.partition("#")[0] for e in events[3:]] == ["clerk-wang", "chen"]
    (_, acknowledgement) = live.services.ledger.item_events(UUID(referral["itemId"].split(":")[1]))
    assert (acknowledgement.actor.id.partition("#")[0], acknowledgement.actor.role.value) == (
        "zhao",
        "inspector",
    )


def test_a_units_staff_act_only_on_their_units_items_and_only_for_their_unit(
    live: LiveServer,
) -> None:
    lead, other = register_unit(live, "区住建局"), register_unit(live, "区市场监管局")
    stranger = register_unit(live, "某街道")
    task = assigned_task(live, lead, other)
    for clerk in (unit_actor(stranger), unit_actor(other)):
        live.token(clerk)
    before = head(live)

    # a task that does not concern the unit answers as one that does not exist
    not_theirs = [
        mutate(live, "acceptTask", {"taskId": task, "unit": stranger}, actor=unit_actor(stranger)),
        mutate(
            live,
            "reportProgress",
            {"taskId": task, "percent": 10, "narrative": "x"},
            actor=unit_actor(stranger),
        ),
    ]
    # naming another unit as the one acting is forbidden, even on a task of one's own
    for_another = mutate(
        live, "acceptTask", {"taskId": task, "unit": lead}, actor=unit_actor(other)
    )

    for result in not_theirs:
        assert result["__typename"] == "NotFound", result
        assert (result["itemType"], result["missingId"]) == ("Task", task.split(":")[1])
    assert for_another["__typename"] == "Forbidden", for_another
    assert (for_another["action"], for_another["role"]) == ("acceptTask", "unit")
    assert "unit" in for_another["message"]
    assert head(live) == before
    assert version_of(live, task) == 2

    accepted = mutate(live, "acceptTask", {"taskId": task, "unit": lead}, actor=unit_actor(lead))
    assert (accepted["__typename"], accepted["version"]) == ("MutationSuccess", 3)


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


@pytest.fixture
def lagging(sqlite_url: str) -> Iterator[LiveServer]:
    """A server whose read models move only when the test runs the projections
    (``live.services.projector.runner.catch_up()``): they lag as long as it likes."""
    options = ServeOptions(projections=False, poll_seconds=0.1)
    server = start_server(settings_for(sqlite_url, Limits()), options)
    yield server
    stop_server(server)


def test_a_units_staff_sending_the_position_of_an_assignment_may_act_on_it_at_once(
    lagging: LiveServer,
) -> None:
    live = lagging
    ledger, at = live.services.ledger, CommandContext(Actor("office-zhang", Role.OFFICE))
    unit = ledger.register_unit(at, name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    clerk = f"unit:clerk-wang:{unit}"
    live.token(clerk)
    task = ledger.register_task(at, plan_year=2026, number=1, title="推行企业开办一网通办")
    assigned = ledger.assign_task(
        at, task.item_id, lead_units=[unit], deadline=live.services.today() + timedelta(days=30)
    )
    catching_up = threading.Timer(0.5, live.services.projector.runner.catch_up)
    catching_up.start()  # the read models reach the assignment half a second from now

    response = live.post(
        mutation_document("acceptTask"),
        {"input": {"taskId": gid("Task", task.item_id), "unit": gid("Unit", unit)}},
        actor=clerk,
        position=assigned.position,
    )

    catching_up.join()
    accepted = response.json()["data"]["acceptTask"]
    assert (accepted["__typename"], accepted.get("version")) == ("MutationSuccess", 3), accepted


def test_a_token_over_its_mutation_rate_is_told_when_to_retry_and_writes_nothing(
    sqlite_url: str,
) -> None:
    limits = Limits(coalesce_seconds=0.2, mutations_per_second=0.01, mutation_burst=4)
    live = start_server(settings_for(sqlite_url, limits), ServeOptions(poll_seconds=0.1))
    # the limiter's clock stands still: nothing refills the bucket while the test runs, so
    # the wait it names does not depend on how long the requests before it took
    live.services.mutation_limit.clock = lambda: 0.0
    try:
        task, _, _ = task_in_progress(live)  # the office's four mutations, all it may burst
        live.token("office:office-li")
        before = head(live)

        limited = mutate(live, "urgeTask", {"taskId": task, "reason": "滞后"})

        assert limited["__typename"] == "RateLimited", limited
        assert limited["retryAfterSeconds"] == 100  # one more at 0.01 a second
        assert "retry" in limited["message"]
        assert head(live) == before
        assert version_of(live, task) == 3
        # the limit is the token's: another token of the office is not held back
        urged = mutate(
            live, "urgeTask", {"taskId": task, "reason": "滞后"}, actor="office:office-li"
        )
        assert (urged["__typename"], urged["version"]) == ("MutationSuccess", 4)
    finally:
        stop_server(live)


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


# Bad input: never a 500, never a write


def bad_requests(task: str, complaint: str) -> dict[str, Callable[[LiveServer], httpx.Response]]:
    report = mutation_document("reportProgress")

    def post_raw(body: bytes) -> Callable[[LiveServer], httpx.Response]:
        return lambda live: live.client.post(
            "/graphql",
            content=body,
            headers={"content-type": "application/json", **live.auth(OFFICE)},
        )

    def post(query: str, given: dict[str, Any]) -> Callable[[LiveServer], httpx.Response]:
        return lambda live: live.post(query, {"input": given})

    valid = {"taskId": task, "percent": 50, "narrative": "过半"}
    return {
        "malformed-json": post_raw(b'{"query": "mutation { reportProgress(input: {'),
        "json-not-an-object": post_raw(b'["mutation"]'),
        "variables-not-an-object": post_raw(
            b'{"query": "mutation { __typename }", "variables": "percent=50"}'
        ),
        "query-does-not-parse": post("mutation Run($input: ReportProgressInput!) {", valid),
        "unknown-mutation": post(report.replace("reportProgress(", "reportProgres("), valid),
        "unknown-selected-field": post(report.replace("replayed", "replayedAt"), valid),
        "unknown-input-field": post(report, {**valid, "percentage": 50}),
        "missing-input-field": post(report, {"taskId": task, "percent": 50}),
        "percent-a-string": post(report, {**valid, "percent": "fifty"}),
        "percent-a-fraction": post(report, {**valid, "percent": 50.5}),
        "percent-beyond-32-bits": post(report, {**valid, "percent": 2**40}),
        "evidence-not-a-list-of-text": post(report, {**valid, "evidence": [{"url": 1}]}),
        "occurred-at-not-a-time": post(report, {**valid, "occurredAt": "yesterday"}),
        "literal-of-the-wrong-type": lambda live: live.post(
            "mutation { reportProgress(input: {taskId: "
            + json.dumps(task)
            + ', percent: "50", narrative: "x"}) { __typename } }'
        ),
        "complaint-id-for-a-task": post(report, {**valid, "taskId": complaint}),
        "not-an-id": post(report, {**valid, "taskId": "Task:12345"}),
        "id-of-no-item-type": post(report, {**valid, "taskId": "Ticket:" + task.split(":")[1]}),
        "percent-150": post(report, {**valid, "percent": 150}),
        "percent-negative": post(report, {**valid, "percent": -1}),
        "blank-narrative": post(report, {**valid, "narrative": "  "}),
        "body-over-a-megabyte": post(report, {**valid, "narrative": "长" * 400_000}),
    }


TYPED = {
    "complaint-id-for-a-task": "taskId",
    "not-an-id": "taskId",
    "id-of-no-item-type": "taskId",
    "percent-150": "percent",
    "percent-negative": "percent",
    "blank-narrative": "narrative",
}


@pytest.mark.parametrize("case", list(bad_requests("Task:x", "Complaint:y")))
def test_bad_input_never_gives_a_server_error_and_writes_nothing(
    live: LiveServer, case: str
) -> None:
    task, lead, _ = task_in_progress(live)
    complaint = mutate(
        live,
        "receiveComplaint",
        {"channel": Channel.HOTLINE_12345.name, "summary": "报装超时", "firstResponder": lead},
    )["itemId"]
    before = head(live)

    response = bad_requests(task, complaint)[case](live)

    assert response.status_code < 500, response.text
    if case in TYPED:
        assert response.status_code == 200
        result = response.json()["data"]["reportProgress"]
        assert result["__typename"] == "ValidationError"
        assert result["field"] == TYPED[case]
    elif response.status_code == 200:
        body = response.json()
        assert body["errors"], body
        assert body.get("data") is None
    else:
        assert response.status_code in (400, 413), response.text
    assert head(live) == before
    assert version_of(live, task) == 3
    assert version_of(live, complaint) == 1


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"percentage": 50}, "percentage"),
        ({"percent": "fifty"}, "percent"),
        ({"occurredAt": "yesterday"}, "occurredAt"),
    ],
    ids=["unknown-input-field", "percent-a-string", "occurred-at-not-a-time"],
)
def test_a_variable_the_schema_rejects_is_answered_with_what_is_wrong_with_it(
    live: LiveServer, given: dict[str, Any], named: str
) -> None:
    task, _, _ = task_in_progress(live)
    valid = {"taskId": task, "percent": 50, "narrative": "过半"}

    response = live.post(mutation_document("reportProgress"), {"input": {**valid, **given}})

    (error,) = response.json()["errors"]
    assert error["message"] != "Unexpected error."
    assert named in error["message"]


@pytest.mark.parametrize(
    ("authorization", "problem"),
    [
        (None, "a bearer token is required"),
        ("", "a bearer token is required"),
        ("Basic b2ZmaWNlOnNlY3JldA==", "must be `Bearer <token>`"),
        ("Bearer", "must be `Bearer <token>`"),
        ("sl_a-token-without-its-scheme", "must be `Bearer <token>`"),
        ("Bearer sl_a-token-the-ledger-never-issued", "not one the ledger issued"),
    ],
    ids=["none", "blank", "basic", "scheme-alone", "no-scheme", "unknown-token"],
)
def test_a_request_without_a_valid_bearer_token_is_unauthenticated_and_writes_nothing(
    live: LiveServer, authorization: str | None, problem: str
) -> None:
    task, _, _ = task_in_progress(live)
    before, everything_before = head(live), last(live)
    body = {
        "query": mutation_document("urgeTask"),
        "variables": {"input": {"taskId": task, "reason": "滞后"}},
    }
    headers = {} if authorization is None else {"authorization": authorization}

    response = live.client.post("/graphql", json=body, headers=headers)

    assert response.status_code == 401, response.text
    answer = response.json()
    assert "data" not in answer
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert problem in error["message"]
    assert head(live) == before
    assert last(live) == everything_before  # not even a token or a disclosure
    assert version_of(live, task) == 3


def test_a_request_sent_with_no_actor_at_all_is_unauthenticated(live: LiveServer) -> None:
    before = last(live)

    response = live.post("{ units { id } }", actor=None)

    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "bearer token" in error["message"]
    assert last(live) == before == 0


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
