"""Who may run which command (api/permissions.py) through the real HTTP API: roles the access
table denies are forbidden, those it names may act, a unit's staff act only on their own
unit's items (at once, when they send the position of the assignment), and a token over its
mutation rate is told when to retry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from api.settings import Limits
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import LiveServer, serve_options, start_server, stop_server
from tests.api.helpers import gid, head, mutate
from tests.api.mutation_builders import (
    actor_id,
    assigned_task,
    register_unit,
    task_in_progress,
    unit_actor,
    version_of,
)
from tests.conftest import settings_for


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


@pytest.fixture
def lagging(sqlite_url: str) -> Iterator[LiveServer]:
    """A server whose read models move only when the test runs the projections
    (``live.services.projector.runner.catch_up()``): they lag as long as it likes."""
    server = start_server(settings_for(sqlite_url, Limits()), serve_options(projections=False))
    yield server
    stop_server(server)


@pytest.mark.slow
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

    accept = (  # not its item: the read models will not hold the acceptance (nothing runs them)
        "mutation($input: AcceptTaskInput!) { acceptTask(input: $input) {"
        " __typename ... on MutationSuccess { version } ... on UserError { message } } }"
    )
    response = live.post(
        accept,
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
    live = start_server(settings_for(sqlite_url, limits), serve_options())
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
