"""Who may see and do what, against a real server: every root query, mutation and
subscription tried with every role, the answer checked against the one policy table,
``api.permissions`` (allowed, refused with ``Forbidden``, or confined to the caller's unit).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api import permissions
from api.permissions import Rule
from domain.meta import Role
from tests.api.access_builders import (
    COMMAND_OF,
    QUERIES,
    SUBSCRIPTIONS,
    cases,
    mutation_document,
    mutation_fields,
    probe_input,
    query_fields,
    socket,
    subscription_fields,
)
from tests.api.access_world import Bare, World, bare_server, head, world_server


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_server(tmp_path_factory) as found:
        yield found


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bare]:
    with bare_server(tmp_path_factory) as found:
        yield found


@pytest.fixture(scope="module")
def served_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The same world, served by uvicorn, for the tests over a real WebSocket (slow)."""
    with world_server(tmp_path_factory, served=True) as found:
        yield found


# --- the table itself -------------------------------------------------------------------------


def test_the_policy_table_covers_exactly_the_schemas_query_and_subscription_fields() -> None:
    assert set(permissions.FIELDS) == set(query_fields()) | set(subscription_fields())
    for field, rules in permissions.FIELDS.items():
        assert set(rules) == set(Role), field


def test_the_probes_cover_exactly_the_schemas_query_and_subscription_fields() -> None:
    assert list(QUERIES) == query_fields()
    assert list(SUBSCRIPTIONS) == subscription_fields()


def test_every_mutation_runs_a_command_and_every_shared_command_is_a_mutation() -> None:
    assert set(mutation_fields()) == set(COMMAND_OF)
    assert set(permissions.SHARED) <= set(COMMAND_OF.values())
    for rules in permissions.SHARED.values():
        assert Role.OFFICE not in rules and Role.VIEWER not in rules


# --- every query with every role ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("field", "role"), cases(query_fields(), permissions.field_rule))
def test_each_query_answers_each_role_as_the_policy_table_says(
    world: World, field: str, role: Role
) -> None:
    probe = QUERIES[field]
    response = world.live.post(
        probe.document,
        probe.variables(f"Task:{world.own_task}"),
        actor=world.actor(role),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    if permissions.field_rule(role, field) is Rule.DENY:
        assert [(e["extensions"], e["path"]) for e in body["errors"]] == [
            ({"code": "FORBIDDEN"}, [field])
        ], body
        assert body["data"] in (None, {field: None}), body
    else:
        assert "errors" not in body, body
        assert field in body["data"], body


# --- every mutation with every role -------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutation", "role"),
    cases(mutation_fields(), lambda role, m: permissions.command_rule(role, COMMAND_OF[m])),
)
def test_each_mutation_is_forbidden_to_exactly_the_roles_the_policy_table_denies(
    bare: Bare, mutation: str, role: Role
) -> None:
    """The rule is asked before the input is checked (``Command.run``), so an input naming
    items that do not exist tells ``Forbidden`` from the rest: a role that may run the
    command gets ``NotFound`` or ``ValidationError`` (or success) instead."""
    live = bare.live
    actor = bare.actor(role)
    live.token(actor)  # issued before the log's head is taken
    acting_unit = bare.unit if role is Role.UNIT else None
    before = head(live)
    response = live.post(
        mutation_document(mutation), {"input": probe_input(mutation, acting_unit)}, actor=actor
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result = body["data"][mutation]
    if permissions.command_rule(role, COMMAND_OF[mutation]) is Rule.DENY:
        assert result["__typename"] == "Forbidden", result
        assert (result["action"], result["role"]) == (mutation, role.value)
        assert head(live) == before, "a refused mutation wrote to the log"
    elif role is Role.OFFICE:
        assert result["__typename"] != "Forbidden", result
    else:  # every command shared with another role acts on an item: this one is unknown
        assert result["__typename"] == "NotFound", result


# --- every subscription with every role ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("field", "role"), cases(subscription_fields(), permissions.field_rule))
def test_each_subscription_answers_each_role_as_the_policy_table_says(
    served_world: World, field: str, role: Role
) -> None:
    world = served_world
    live = world.live
    probe = SUBSCRIPTIONS[field]
    with socket(live.ws_url, live.auth(world.actor(role))) as ws:
        ws.subscribe("1", probe.document, probe.variables(f"Task:{world.own_task}"))
        first = ws.message("1")
    if permissions.field_rule(role, field) is Rule.DENY:
        assert first["type"] == "error", first
        assert [(e["extensions"], e["path"]) for e in first["payload"]] == [
            ({"code": "FORBIDDEN"}, [field])
        ], first
    else:
        assert first["type"] == "next", first
        assert "errors" not in first["payload"], first
        assert first["payload"]["data"][field] is not None, first
