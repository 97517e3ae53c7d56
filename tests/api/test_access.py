"""Who may see and do what, against a real server: every root query, mutation and
subscription tried with every role, and with no token, a malformed one, an unknown one,
an expired one and a revoked one; the answer checked against the one policy table,
``api.permissions`` (allowed, refused with ``Forbidden``, or confined to the caller's unit).

A unit's staff asking for another unit's item get exactly the answer for an id that does
not exist. Complainants' names and phone numbers read in clear by the office and the
inspectors (each such read recorded as a ``Disclosure`` in the audit trail), masked for
leaders and units, not readable at all by viewers.

Two servers per module (and per xdist worker), for speed: ``world`` holds the 2021 plan and
three complaints, and is read (a unit accepting its own task is the one change made to it;
tokens and disclosures are recorded as they happen); ``bare`` takes the probing mutations,
whose inputs are read from the schema and name items that do not exist, and the tokens
that must let no one in.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from api import permissions
from api.bootstrap import open_ledger
from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan, task_id_for
from api.cli.tokens import create_token, revoke, token_id_of
from api.permissions import Rule
from domain.access import token_hash
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, Role
from domain.unit import UnitKind, unit_id_for
from tests.api.access_builders import (
    COMMAND_OF,
    QUERIES,
    SUBSCRIPTIONS,
    Credential,
    Socket,
    cases,
    mutation_document,
    mutation_fields,
    probe_input,
    query_fields,
    refusal,
    socket,
    subscription_fields,
    unknown_secret,
)
from tests.api.conftest import OFFICE, LiveServer, start_server, stop_server
from tests.clock import AdjustableClock
from tests.conftest import settings_for

SEEDER = Actor("office-seed", Role.OFFICE)
UNIT_A = "区投资促进局"
"""Leads plan items 2 and 6 and works on 7, 9 and 13."""
UNIT_B = "区经济发展局"
"""Works on plan items 5, 7, 9 and 13."""
NAME, PHONE = "张三丰", "13812341234"
MASKED_NAME, MASKED_PHONE = "张**", "138****1234"
PERSONAL = ["complainant_name", "complainant_phone"]


# --- the servers ------------------------------------------------------------------------------


def head(live: LiveServer) -> int:
    """The position of the newest entry of the log."""
    return live.services.ledger.recorder.max_notification_id() or 0


def caught_up(live: LiveServer) -> int:
    """Wait until the read models include the whole log; its head."""
    position = head(live)
    live.gql("{ ledgerSeal { position } }", position=position)
    return position


def bare_uuid(global_id: str) -> str:
    return global_id.rpartition(":")[2]


@dataclass
class World:
    """The 2021 plan, and complaints: ``a`` and ``b`` to units A and B, ``ab`` received
    by B about A (so it concerns both); each with a complainant's name and phone."""

    live: LiveServer
    unit_a: str
    unit_b: str
    tasks_of: dict[str, set[str]]
    own_task: str
    other_task: str
    complaints: dict[str, str]

    def staff(self, unit: str, name: str = "staff") -> str:
        return f"unit:{name}:{unit}"

    def actor(self, role: Role, name: str | None = None) -> str:
        """An actor of ``role`` (a unit's staff: of unit A), named ``name`` or after it."""
        name = name or f"{role.value}-probe"
        return self.staff(self.unit_a, name) if role is Role.UNIT else f"{role.value}:{name}"


def _server(
    tmp_path_factory: pytest.TempPathFactory, name: str, clock: AdjustableClock | None = None
) -> LiveServer:
    path: Path = tmp_path_factory.mktemp(name) / "ledger.sqlite"
    settings = settings_for(f"sqlite:///{path}")
    return start_server(replace(settings, clock=clock) if clock else settings)


def _receive_complaint(live: LiveServer, first_responder: str, subject: str | None) -> str:
    data = live.gql(
        "mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) {"
        " __typename ... on MutationSuccess { itemId } ... on UserError { message } } }",
        {
            "input": {
                "channel": "HOTLINE_12345",
                "summary": "the permit office kept the papers for a month",
                "firstResponder": first_responder,
                "subjectUnit": subject,
                "complainantName": NAME,
                "complainantPhone": PHONE,
            }
        },
    )
    result = data["receiveComplaint"]
    assert result["__typename"] == "MutationSuccess", result
    return bare_uuid(result["itemId"])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    live = _server(tmp_path_factory, "world")
    try:
        plan = builtin_plan("changxing-2021")
        seed_plan(live.services.ledger, plan)
        a, b = str(unit_id_for(UNIT_A)), str(unit_id_for(UNIT_B))
        tasks_of = {
            str(unit_id_for(name)): {
                str(task_id_for(plan, t.number))
                for t in plan.tasks
                if name in (*t.lead_units, *t.cooperating_units)
            }
            for name in (UNIT_A, UNIT_B)
        }
        complaints = {
            "a": _receive_complaint(live, a, None),
            "b": _receive_complaint(live, b, None),
            "ab": _receive_complaint(live, b, a),
        }
        caught_up(live)
        yield World(
            live,
            a,
            b,
            tasks_of,
            own_task=str(task_id_for(plan, 2)),
            other_task=str(task_id_for(plan, 5)),
            complaints=complaints,
        )
    finally:
        stop_server(live)


@dataclass
class Bare:
    """A ledger with one unit (for a unit's staff to belong to), taking probe mutations."""

    live: LiveServer
    unit: str
    clock: AdjustableClock
    """The server's clock: a test moves it past a token's expiry instead of waiting."""

    def actor(self, role: Role) -> str:
        return f"unit:probe:{self.unit}" if role is Role.UNIT else f"{role.value}:probe"


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bare]:
    clock = AdjustableClock()
    live = _server(tmp_path_factory, "bare", clock)
    try:
        written = live.services.ledger.register_unit(
            CommandContext(SEEDER), name="区测试局", kind=UnitKind.DEPARTMENT
        )
        caught_up(live)
        yield Bare(live, str(written.item_id), clock)
    finally:
        stop_server(live)


def write_something(live: LiveServer) -> Written:
    """A new event in the log, entered straight into the ledger by the office."""
    return live.services.ledger.register_unit(
        CommandContext(SEEDER), name=f"unit {uuid.uuid4().hex[:8]}", kind=UnitKind.DEPARTMENT
    )


def issue_expiring(live: LiveServer, name: str, seconds: float = 60) -> str:
    """An office token that expires ``seconds`` from now by the server's clock; its secret."""
    secret = unknown_secret()
    expires_at = live.services.ledger.clock() + timedelta(seconds=seconds)
    live.services.ledger.issue_token(
        CommandContext(SEEDER),
        secret_hash=token_hash(secret),
        role=Role.OFFICE,
        name=name,
        expires_at=expires_at,
    )
    return secret


def wait_for_tail(live: LiveServer, position: int) -> None:
    """Wait until the service's live feed of the log has read up to ``position`` (the way
    it learns of a revocation)."""
    deadline = time.monotonic() + 10
    while live.services.tail.position < position:
        assert time.monotonic() < deadline, "the log's live feed did not move in 10 s"
        time.sleep(0.02)


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


@pytest.mark.parametrize(("field", "role"), cases(subscription_fields(), permissions.field_rule))
def test_each_subscription_answers_each_role_as_the_policy_table_says(
    world: World, field: str, role: Role
) -> None:
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


# --- no valid token: nobody gets in -------------------------------------------------------------

LOCKED_OUT = [
    "no-token",
    "not-bearer",
    "empty-bearer",
    "unknown",
    "expired",
    "revoked-unused",
    "revoked-after-use",
]


@pytest.fixture(scope="module")
def credentials(bare: Bare) -> dict[str, Credential]:
    """Every kind of ``Authorization`` that must let no one in, on the bare server."""
    live, ledger = bare.live, bare.live.services.ledger
    expiring = issue_expiring(live, "expiring")
    used = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked after use").secret
    for secret in (expiring, used):  # admitted (and remembered) while valid
        response = live.client.post(
            "/graphql",
            json={"query": "{ ledgerSeal { position } }"},
            headers={"authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 200, response.text
    unused = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked unused")
    ledger.revoke_token(CommandContext(SEEDER), unused.token_id, reason="left the office")
    revoked = ledger.revoke_token(CommandContext(SEEDER), token_id_of(used), reason="laptop lost")
    wait_for_tail(live, revoked.position)
    bare.clock.advance(61)  # past the expiring token's minute
    return {
        "no-token": Credential("no-token", None),
        "not-bearer": Credential("not-bearer", "Basic b2ZmaWNlOnNlY3JldA=="),
        "empty-bearer": Credential("empty-bearer", "Bearer"),
        "unknown": Credential("unknown", f"Bearer {unknown_secret()}"),
        "expired": Credential("expired", f"Bearer {expiring}"),
        "revoked-unused": Credential("revoked-unused", f"Bearer {unused.secret}"),
        "revoked-after-use": Credential("revoked-after-use", f"Bearer {used}"),
    }


LOCKED_OPERATIONS: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
    "query": lambda: ("{ units { id name } }", {}),
    "mutation": lambda: (
        mutation_document("registerUnit"),
        {"input": {"name": f"intruder {uuid.uuid4().hex[:8]}", "kind": "DEPARTMENT"}},
    ),
}


@pytest.mark.parametrize("operation", list(LOCKED_OPERATIONS))
@pytest.mark.parametrize("credential", LOCKED_OUT)
def test_a_request_without_a_valid_token_is_refused_with_401_and_writes_nothing(
    bare: Bare, credentials: dict[str, Credential], credential: str, operation: str
) -> None:
    live = bare.live
    query, variables = LOCKED_OPERATIONS[operation]()
    before = head(live)
    response = live.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=credentials[credential].headers(),
    )
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}, error
    assert error["message"], error
    assert head(live) == before, "a refused request wrote to the log"


@pytest.mark.parametrize("credential", LOCKED_OUT)
def test_a_websocket_without_a_valid_token_is_closed_with_4403(
    bare: Bare, credentials: dict[str, Credential], credential: str
) -> None:
    before = head(bare.live)
    code, reason = refusal(bare.live.ws_url, credentials[credential].init_payload())
    assert code == 4403, reason
    assert head(bare.live) == before


def test_a_token_revoked_by_the_cli_is_refused_by_the_very_next_request(bare: Bare) -> None:
    """Revoked as ``ledger token revoke`` does it: from another Ledger on the same database
    (api.cli.tokens.revoke). Five tokens, each used, revoked, then used again at once."""
    live = bare.live
    cli = open_ledger(live.services.settings, create=False)
    admitted = []
    try:
        for i in range(5):
            issued = create_token(cli, role=Role.OFFICE, unit=None, name=f"revoked by cli {i}")
            headers = {"authorization": f"Bearer {issued.secret}"}
            query = {"query": "{ ledgerSeal { position } }"}
            assert live.client.post("/graphql", json=query, headers=headers).status_code == 200
            revoke(cli, issued.secret, "revoked by the office")
            response = live.client.post("/graphql", json=query, headers=headers)
            if response.status_code != 401:
                admitted.append(response.status_code)
    finally:
        cli.close()
    assert admitted == [], f"{len(admitted)} of 5 revoked tokens were admitted once more"


# --- an open subscription ends with its token ---------------------------------------------------

LEDGER_EVENTS = "subscription($after: Int!) { ledgerEvents(after: $after) { position type } }"


def _events_until(ws: Socket, op_id: str, position: int) -> list[dict[str, Any]]:
    """The ``next`` messages of ``op_id`` up to the one at ``position``."""
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["position"] < position:
        message = ws.message(op_id)
        assert message["type"] == "next" and "errors" not in message["payload"], message
        seen.append(message["payload"]["data"]["ledgerEvents"])
    return seen


def _no_message_for(ws: Socket, op_id: str, seconds: float) -> dict[str, Any] | None:
    try:
        return ws.message(op_id, timeout=seconds)
    except (TimeoutError, ConnectionClosed):
        return None


def test_a_revoked_token_ends_an_open_ledger_events_subscription(bare: Bare) -> None:
    live, ledger = bare.live, bare.live.services.ledger
    issued = create_token(ledger, role=Role.OFFICE, unit=None, name="revoked while subscribed")
    start = head(live)
    with (
        socket(live.ws_url, {"authorization": f"Bearer {issued.secret}"}) as revoked,
        socket(live.ws_url, live.auth()) as observer,
    ):
        revoked.subscribe("1", LEDGER_EVENTS, {"after": start})
        observer.subscribe("1", LEDGER_EVENTS, {"after": start})
        first = write_something(live)
        assert _events_until(revoked, "1", first.position)[-1]["position"] == first.position
        revocation = ledger.revoke_token(CommandContext(SEEDER), issued.token_id, reason="gone")
        ending = revoked.message("1")
        while ending["type"] == "next" and "errors" not in ending["payload"]:
            # at most the revocation itself may still come through, nothing after it
            assert ending["payload"]["data"]["ledgerEvents"]["position"] <= revocation.position
            ending = revoked.message("1")
        errors = ending["payload"] if ending["type"] == "error" else ending["payload"]["errors"]
        assert [e["message"] for e in errors] == ["this subscription's token was revoked"]
        if ending["type"] == "next":
            assert revoked.message("1") == {"id": "1", "type": "complete"}
        later = write_something(live)
        _events_until(observer, "1", later.position)  # the feed has handed it out
        assert _no_message_for(revoked, "1", 1.0) is None


def test_a_token_that_expires_ends_an_open_subscription_with_an_error(bare: Bare) -> None:
    live = bare.live
    secret = issue_expiring(live, "expires while subscribed")
    with socket(live.ws_url, {"authorization": f"Bearer {secret}"}) as ws:
        ws.subscribe("1", "subscription { supervisionOverview { asOf } }")
        assert ws.message("1")["type"] == "next"
        bare.clock.advance(61)
        ending = ws.message("1", timeout=30)
        assert ending["type"] == "next", ending
        assert [e["message"] for e in ending["payload"]["errors"]] == [
            "this subscription's token has expired"
        ]
        assert ws.message("1") == {"id": "1", "type": "complete"}


@pytest.mark.parametrize("operation", list(LOCKED_OPERATIONS))
def test_a_socket_whose_token_was_revoked_can_no_longer_query_or_mutate(
    bare: Bare, operation: str
) -> None:
    live, ledger = bare.live, bare.live.services.ledger
    issued = create_token(ledger, role=Role.OFFICE, unit=None, name=f"socket {operation}")
    query, variables = LOCKED_OPERATIONS[operation]()
    with socket(live.ws_url, {"authorization": f"Bearer {issued.secret}"}) as ws:
        revocation = ledger.revoke_token(CommandContext(SEEDER), issued.token_id, reason="gone")
        wait_for_tail(live, revocation.position)
        before = head(live)
        ws.subscribe("1", query, variables)
        answer = ws.message("1")
        written = head(live) - before
    assert written == 0, f"{written} event(s) written with a revoked token: {answer}"
    assert answer["type"] == "error" or answer["payload"].get("data") is None, answer


def test_a_socket_whose_token_expired_can_no_longer_query(bare: Bare) -> None:
    live = bare.live
    secret = issue_expiring(live, "socket outliving its token")
    with socket(live.ws_url, {"authorization": f"Bearer {secret}"}) as ws:
        bare.clock.advance(61)
        ws.subscribe("1", "{ units { id name } }")
        answer = ws.message("1")
    assert answer["type"] == "error" or answer["payload"].get("data") is None, answer


# --- subscriptions over server-sent events ------------------------------------------------------

OVERVIEW = {"query": "subscription { supervisionOverview { asOf } }"}


def _first_sse_event(live: LiveServer, headers: dict[str, str]) -> tuple[int, str]:
    with live.client.stream("POST", "/graphql/stream", json=OVERVIEW, headers=headers) as r:
        if r.status_code != 200:
            r.read()
            return r.status_code, r.text
        lines: list[str] = []
        for line in r.iter_lines():
            if not line and lines:
                break
            if line:
                lines.append(line)
        return r.status_code, "\n".join(lines)


def test_the_event_stream_refuses_a_request_without_a_token_with_401(bare: Bare) -> None:
    status, text = _first_sse_event(bare.live, {})
    assert status == 401, text


def test_the_event_stream_serves_a_subscription_to_a_valid_token(bare: Bare) -> None:
    status, text = _first_sse_event(bare.live, bare.live.auth(OFFICE))
    assert status == 200, text
    event, data = text.split("\n", 1)
    assert event == "event: next"
    payload = json.loads(data.removeprefix("data: "))
    assert "errors" not in payload, payload
    assert payload["data"]["supervisionOverview"]["asOf"]


# --- a unit's staff: their own unit's items only ------------------------------------------------


def _ids(page: dict[str, Any]) -> set[str]:
    return {bare_uuid(edge["node"]["id"]) for edge in page["edges"]}


def test_a_units_staff_list_only_their_own_units_tasks_and_complaints(world: World) -> None:
    for unit, own_complaints in ((world.unit_a, {"a", "ab"}), (world.unit_b, {"b", "ab"})):
        data = world.live.gql(
            "{ tasks(first: 100) { totalCount edges { node { id } } }"
            " complaints(first: 100) { totalCount edges { node { id } } } }",
            actor=world.staff(unit),
        )
        assert _ids(data["tasks"]) == world.tasks_of[unit]
        assert data["tasks"]["totalCount"] == len(world.tasks_of[unit])
        assert _ids(data["complaints"]) == {world.complaints[k] for k in own_complaints}
        assert data["complaints"]["totalCount"] == len(own_complaints)
    everything = world.live.gql("{ tasks(first: 100) { totalCount } }")
    assert everything["tasks"]["totalCount"] > len(world.tasks_of[world.unit_a])


def test_a_unit_filtering_on_another_unit_finds_nothing_as_for_an_unknown_unit(
    world: World,
) -> None:
    query = (
        "query($unit: ID!) { tasks(first: 100, filter: {unit: $unit}) { totalCount edges"
        " { node { id } } } complaints(first: 100, filter: {unit: $unit}) { totalCount } }"
    )
    staff = world.staff(world.unit_a)
    other = world.live.post(query, {"unit": world.unit_b}, actor=staff).json()
    unknown = world.live.post(query, {"unit": str(uuid.uuid4())}, actor=staff).json()
    assert other == unknown
    assert other["data"]["tasks"]["totalCount"] == 0


NODE = "query($id: ID!) { node(id: $id) { __typename id version } }"
HISTORY = "query($id: ID!) { history(itemId: $id) { itemId itemType version } }"


def _other_and_unknown(world: World, kind: str) -> tuple[str, str, str]:
    """Unit B's item of ``kind`` (not A's), an unknown id of that type, and A's own one."""
    match kind:
        case "Task":
            return world.other_task, str(uuid.uuid4()), world.own_task
        case "Complaint":
            return world.complaints["b"], str(uuid.uuid4()), world.complaints["ab"]
        case _:
            return world.unit_b, str(uuid.uuid4()), world.unit_a


@pytest.mark.parametrize("kind", ["Task", "Complaint", "Unit"])
@pytest.mark.parametrize(("field", "query"), [("node", NODE), ("history", HISTORY)])
def test_a_unit_asking_for_another_units_item_gets_exactly_the_answer_for_an_unknown_id(
    world: World, field: str, query: str, kind: str
) -> None:
    staff = world.staff(world.unit_a)
    other, unknown, own = _other_and_unknown(world, kind)
    for spell in (lambda i: f"{kind}:{i}", lambda i: i):  # global ids and bare UUIDs
        answer_other = world.live.post(query, {"id": spell(other)}, actor=staff)
        answer_unknown = world.live.post(query, {"id": spell(unknown)}, actor=staff)
        assert answer_other.status_code == answer_unknown.status_code == 200
        assert answer_other.json() == answer_unknown.json() == {"data": {field: None}}
        assert world.live.gql(query, {"id": spell(other)})[field] is not None  # it does exist
        assert world.live.gql(query, {"id": spell(own)}, actor=staff)[field] is not None


def test_a_units_audit_trail_holds_exactly_the_events_of_its_own_items(world: World) -> None:
    staff = world.staff(world.unit_a)
    caught_up(world.live)
    query = (
        "query($after: String) { events(first: 100, after: $after) { totalCount"
        " edges { node { itemId itemType } } pageInfo { hasNextPage endCursor } } }"
    )
    items: set[str] = set()
    after: str | None = None
    total = 0
    while True:
        page = world.live.gql(query, {"after": after}, actor=staff)["events"]
        items |= {edge["node"]["itemId"] for edge in page["edges"]}
        total += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    own = world.tasks_of[world.unit_a] | {world.complaints["a"], world.complaints["ab"]}
    assert items == own | {world.unit_a}
    assert page["totalCount"] == total


def test_a_unit_asking_the_audit_trail_for_another_units_item_finds_what_an_unknown_id_finds(
    world: World,
) -> None:
    query = (
        "query($id: ID!) { events(first: 100, filter: {itemId: $id}) { totalCount"
        " edges { node { position } } } }"
    )
    staff = world.staff(world.unit_a)
    other = world.live.post(query, {"id": f"Task:{world.other_task}"}, actor=staff).json()
    unknown = world.live.post(query, {"id": f"Task:{uuid.uuid4()}"}, actor=staff).json()
    assert other == unknown == {"data": {"events": {"totalCount": 0, "edges": []}}}
    assert world.live.gql(query, {"id": f"Task:{world.other_task}"})["events"]["totalCount"] > 0


def test_a_unit_following_another_units_item_gets_exactly_the_answer_for_an_unknown_id(
    world: World,
) -> None:
    live = world.live
    probe = SUBSCRIPTIONS["itemChanged"]
    with socket(live.ws_url, live.auth(world.staff(world.unit_a))) as ws:
        ws.subscribe("other", probe.document, {"id": f"Task:{world.other_task}"})
        ws.subscribe("unknown", probe.document, {"id": f"Task:{uuid.uuid4()}"})
        ws.subscribe("own", probe.document, {"id": f"Task:{world.own_task}"})
        other, unknown, own = ws.message("other"), ws.message("unknown"), ws.message("own")
    assert other["payload"] == unknown["payload"] == {"data": {"itemChanged": None}}
    assert own["payload"]["data"]["itemChanged"]["id"] == f"Task:{world.own_task}"


def test_a_units_staff_see_only_their_own_units_scorecard(world: World) -> None:
    query = '{ unitScorecards(period: "2021") { unit { itemId } } }'
    cards = world.live.gql(query, actor=world.staff(world.unit_a))["unitScorecards"]
    assert [card["unit"]["itemId"] for card in cards] == [world.unit_a]
    assert len(world.live.gql(query)["unitScorecards"]) > 1


ON_ANOTHER_UNITS_ITEM: dict[str, Callable[[World, str], tuple[str, dict[str, Any]]]] = {
    "acceptTask": lambda w, item: ("acceptTask", {"taskId": item, "unit": w.unit_a}),
    "reportProgress": lambda w, item: (
        "reportProgress",
        {"taskId": item, "percent": 10, "narrative": "halfway there"},
    ),
    "signForComplaint": lambda w, item: (
        "signForComplaint",
        {"complaintId": item, "unit": w.unit_a},
    ),
}


def _shape(result: dict[str, Any], item_id: str) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True).replace(item_id, "<id>")


@pytest.mark.parametrize("mutation", list(ON_ANOTHER_UNITS_ITEM))
def test_a_unit_acting_on_another_units_item_gets_not_found_exactly_as_for_an_unknown_id(
    world: World, mutation: str
) -> None:
    live = world.live
    staff = world.staff(world.unit_a)
    live.token(staff)
    other = world.other_task if "Task" in mutation else world.complaints["b"]
    unknown = str(uuid.uuid4())
    before = head(live)
    answers = {}
    for item in (other, unknown):
        name, given = ON_ANOTHER_UNITS_ITEM[mutation](world, item)
        answers[item] = live.gql(mutation_document(name), {"input": given}, actor=staff)[name]
    assert answers[other]["__typename"] == "NotFound", answers[other]
    assert _shape(answers[other], other) == _shape(answers[unknown], unknown)
    assert head(live) == before


def test_a_unit_naming_another_unit_as_the_one_acting_is_forbidden(world: World) -> None:
    live = world.live
    staff = world.staff(world.unit_a)
    live.token(staff)
    before = head(live)
    answer = live.gql(
        mutation_document("acceptTask"),
        {"input": {"taskId": world.own_task, "unit": world.unit_b}},
        actor=staff,
    )["acceptTask"]
    assert (answer["__typename"], answer["action"], answer["role"]) == (
        "Forbidden",
        "acceptTask",
        "unit",
    )
    assert head(live) == before


def test_a_units_staff_act_on_their_own_units_items(world: World) -> None:
    answer = world.live.gql(
        mutation_document("acceptTask"),
        {"input": {"taskId": world.own_task, "unit": world.unit_a}},
        actor=world.staff(world.unit_a, "accepting"),
    )["acceptTask"]
    assert answer["__typename"] == "MutationSuccess", answer
    assert answer["itemId"] == f"Task:{world.own_task}"


# --- personal data: clear and recorded, masked, or not at all -----------------------------------

READS = {
    "history": "query($id: ID!, $purpose: String) { history(itemId: $id, purpose: $purpose)"
    " { state events { type data } } }",
    "events": "query($id: ID!, $purpose: String) {"
    " events(first: 100, filter: {itemId: $id}, purpose: $purpose)"
    " { edges { node { type data } } } }",
}
PURPOSE = "核实投诉人身份以便回访"
"""The purpose every read of personal data below states."""

SHOWN = {Role.OFFICE: "clear", Role.INSPECTOR: "clear", Role.LEADER: "masked"}
SHOWN |= {Role.UNIT: "masked", Role.VIEWER: "forbidden"}


def _personal_cases() -> list[Any]:
    return [
        pytest.param(via, role, id=f"{via}-{role.value}-{SHOWN[role]}")
        for via in (*READS, "ledgerEvents")
        for role in permissions.ROLES
    ]


def _personal_fields(via: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (name, phone) pair the answer shows."""
    if via == "history":
        records = [data["history"]["state"], *(e["data"] for e in data["history"]["events"])]
    elif via == "events":
        records = [edge["node"]["data"] for edge in data["events"]["edges"]]
    else:
        records = [data["ledgerEvents"]["data"]]
    return [
        (r["complainant_name"], r["complainant_phone"]) for r in records if "complainant_name" in r
    ]


def _read_personal(world: World, via: str, actor: str) -> dict[str, Any]:
    """The complaint received by unit A, read through ``via`` as ``actor``: the GraphQL
    answer (for ``ledgerEvents``: the first message of the subscription)."""
    complaint = world.complaints["a"]
    if via == "ledgerEvents":
        query = (
            "subscription($id: ID!, $purpose: String) {"
            " ledgerEvents(after: 0, filter: {itemId: $id}, purpose: $purpose) { type data } }"
        )
        with socket(world.live.ws_url, world.live.auth(actor)) as ws:
            ws.subscribe("1", query, {"id": f"Complaint:{complaint}", "purpose": PURPOSE})
            message = ws.message("1")
        return message["payload"] if message["type"] == "next" else {"errors": message["payload"]}
    query = READS[via]
    response = world.live.post(
        query, {"id": f"Complaint:{complaint}", "purpose": PURPOSE}, actor=actor
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _disclosures(world: World, reader: str) -> list[dict[str, Any]]:
    """The Disclosure events of the reader named ``reader``, as the office sees them."""
    data = world.live.gql(
        '{ events(first: 100, filter: {itemType: "Disclosure"}) { edges { node'
        " { itemType actor { id role unit } data } } } }",
        position=head(world.live),
    )
    return [
        edge["node"]
        for edge in data["events"]["edges"]
        if edge["node"]["actor"]["id"].startswith(f"{reader}#")
    ]


@pytest.mark.parametrize(("via", "role"), _personal_cases())
def test_a_complainants_name_and_phone_read_as_the_policy_table_says(
    world: World, via: str, role: Role
) -> None:
    reader = f"reader-{via}-{role.value}"
    actor = world.actor(role, reader)
    world.live.token(actor)
    before = head(world.live)
    answer = _read_personal(world, via, actor)
    if SHOWN[role] == "forbidden":
        assert not permissions.sees_personal_data(role)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"], answer
        assert head(world.live) == before
        return
    assert "errors" not in answer, answer
    shown = _personal_fields(via, answer["data"])
    assert shown, answer
    if SHOWN[role] == "clear":
        assert permissions.sees_personal_data(role)
        assert set(shown) == {(NAME, PHONE)}
        [disclosure] = _disclosures(world, reader)
        assert disclosure["itemType"] == "Disclosure"
        assert disclosure["actor"]["role"] == role.name
        assert disclosure["data"]["items"] == [world.complaints["a"]]
        assert disclosure["data"]["fields"] == PERSONAL
        assert disclosure["data"]["purpose"] == PURPOSE
    else:
        assert not permissions.sees_personal_data(role)
        assert set(shown) == {(MASKED_NAME, MASKED_PHONE)}
        assert (permissions.mask_name(NAME), permissions.mask_phone(PHONE)) == (
            MASKED_NAME,
            MASKED_PHONE,
        )
        assert head(world.live) == before, "a masked read wrote to the log"
        assert _disclosures(world, reader) == []
