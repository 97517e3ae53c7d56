"""Builders for the access tests (``test_access_*.py``): one minimal document per root field,
a probe input for every mutation read from the schema itself, the tokens a client may
hold (none, malformed, unknown, expired, revoked), and a bare graphql-transport-ws
client spoken over ``websockets``.

Every receive has a timeout, so a message that never comes fails the test instead of
hanging it; nothing here asserts how fast anything happens.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
)
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api import permissions
from api.graphql.build import build_schema
from api.graphql.mutations import commands
from api.permissions import Rule
from domain.meta import Role

PROTOCOL = Subprotocol("graphql-transport-ws")
TIMEOUT = 10.0
SCHEMA = build_schema()._schema
"""The GraphQL schema the service serves (graphql-core's view of it)."""


# --- the schema's root fields ---------------------------------------------------------------


def query_fields() -> list[str]:
    assert SCHEMA.query_type is not None
    return list(SCHEMA.query_type.fields)


def subscription_fields() -> list[str]:
    assert SCHEMA.subscription_type is not None
    return list(SCHEMA.subscription_type.fields)


def mutation_fields() -> list[str]:
    assert SCHEMA.mutation_type is not None
    return list(SCHEMA.mutation_type.fields)


COMMAND_OF = {command.field_name: command.method for command in commands()}
"""Mutation name -> the ledger command it runs (``acceptTask`` -> ``accept_task``)."""


# --- one minimal document per field ---------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """A minimal valid operation using one root field; ``$id`` is filled in by the caller."""

    document: str

    def variables(self, item_id: str) -> dict[str, Any]:
        return {"id": item_id} if "$id" in self.document else {}


def _page(field: str) -> Probe:
    return Probe(f"{{ {field}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}")


QUERIES: dict[str, Probe] = {
    "tasks": _page("tasks"),
    "complaints": _page("complaints"),
    "legacyIssues": _page("legacyIssues"),
    "interviews": _page("interviews"),
    "referrals": _page("referrals"),
    "assessments": _page("assessments"),
    "measures": _page("measures"),
    "enterprises": _page("enterprises"),
    "legacyTargets": Probe("{ legacyTargets { id } }"),
    "units": Probe("{ units { id } }"),
    "teams": Probe("{ teams { key name } }"),
    "intakes": Probe("{ intakes { key name channel receiptHours } }"),
    "node": Probe("query($id: ID!) { node(id: $id) { id } }"),
    "history": Probe("query($id: ID!) { history(itemId: $id) { itemId version } }"),
    "events": Probe("{ events(first: 5) { totalCount edges { node { position } } } }"),
    "supervisionOverview": Probe("{ supervisionOverview { asOf } }"),
    "legacyIssueTotals": Probe("{ legacyIssueTotals { asOf total } }"),
    "taskBoard": Probe("{ taskBoard { asOf open } }"),
    "oversightTotals": Probe("{ oversightTotals { asOf interviews } }"),
    "unitScorecards": Probe('{ unitScorecards(period: "2021") { period unit { id } } }'),
    "ledgerSeal": Probe("{ ledgerSeal { position } }"),
    "interviewCandidates": Probe("{ interviewCandidates { name } }"),
    "referralCandidates": Probe("{ referralCandidates { name } }"),
    "unitScores": Probe('{ unitScores(period: "2021") { period entries { unit { id } } } }'),
    "quarterScores": Probe('{ quarterScores(quarter: "2021-Q1") { quarter } }'),
    "me": Probe("{ me { actor role unit { id } } }"),
}

SUBSCRIPTIONS: dict[str, Probe] = {
    "ledgerEvents": Probe("subscription { ledgerEvents(after: 0) { position itemId } }"),
    "supervisionOverview": Probe("subscription { supervisionOverview { asOf } }"),
    "legacyIssueTotals": Probe("subscription { legacyIssueTotals { asOf total } }"),
    "taskBoard": Probe("subscription { taskBoard { asOf open } }"),
    "oversightTotals": Probe("subscription { oversightTotals { asOf interviews } }"),
    "itemChanged": Probe("subscription($id: ID!) { itemChanged(id: $id) { id version } }"),
}

MUTATION_RESULT = """
    __typename
    ... on UserError { message }
    ... on MutationSuccess { itemId version }
    ... on ValidationError { field }
    ... on NotFound { itemType missingId: itemId }
    ... on Forbidden { action role }
"""


def mutation_document(name: str) -> str:
    """``mutation($input: NameInput!) { name(input: $input) { ...the result... } }``."""
    input_type = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {MUTATION_RESULT} }} }}"


# --- a probe input for every mutation, read from its input type -----------------------------

ACTING_UNIT_FIELDS = ("unit", "toUnit")
"""Input fields naming the unit that acts (a unit's staff may name only their own)."""

SCALARS: dict[str, Any] = {
    "String": "probe",
    "Int": 1,
    "Boolean": True,
    "Date": "2021-06-01",
    "DateTime": "2021-06-01T10:00:00+08:00",
    "Decimal": "80",
}


def probe_input(mutation: str, acting_unit: str | None = None) -> dict[str, Any]:
    """An input for ``mutation`` with every required field filled: ids are fresh random
    UUIDs (so a command on an existing item finds none), the acting unit is
    ``acting_unit`` when given. It passes GraphQL validation; the command may refuse it."""
    assert SCHEMA.mutation_type is not None
    input_type = SCHEMA.mutation_type.fields[mutation].args["input"].type
    assert isinstance(input_type, GraphQLNonNull)
    assert isinstance(input_type.of_type, GraphQLInputObjectType)
    return _object(input_type.of_type, acting_unit)


def _object(kind: GraphQLInputObjectType, acting_unit: str | None) -> dict[str, Any]:
    return {
        name: _value(name, f.type, acting_unit)
        for name, f in kind.fields.items()
        if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
    }


def _value(name: str, kind: GraphQLInputType, acting_unit: str | None) -> Any:
    if isinstance(kind, GraphQLNonNull):
        return _value(name, kind.of_type, acting_unit)
    if isinstance(kind, GraphQLList):
        return [_value(name, kind.of_type, acting_unit)]
    if isinstance(kind, GraphQLInputObjectType):
        return _object(kind, acting_unit)
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    assert isinstance(kind, GraphQLScalarType)
    if kind.name == "ID":
        if acting_unit is not None and name in ACTING_UNIT_FIELDS:
            return acting_unit
        return str(uuid.uuid4())
    return SCALARS[kind.name]


# --- roles and actors -----------------------------------------------------------------------


def expected(rule: Rule) -> str:
    return {Rule.ALLOW: "allowed", Rule.OWN: "own unit", Rule.DENY: "forbidden"}[rule]


def cases(fields: list[str], rule_of: Callable[[Role, str], Rule]) -> list[Any]:
    """``(field, role)`` pairs with readable ids: ``tasks-viewer-forbidden``."""
    return [
        pytest.param(f, role, id=f"{f}-{role.value}-{expected(rule_of(role, f)).replace(' ', '-')}")
        for f in fields
        for role in permissions.ROLES
    ]


# --- credentials that let no one in ---------------------------------------------------------


@dataclass(frozen=True)
class Credential:
    """What a client sends as its ``Authorization`` value (None: nothing at all)."""

    name: str
    authorization: str | None

    def headers(self) -> dict[str, str]:
        return {} if self.authorization is None else {"authorization": self.authorization}

    def init_payload(self) -> dict[str, str]:
        return {} if self.authorization is None else {"authorization": self.authorization}


def unknown_secret() -> str:
    return "sl_" + secrets.token_urlsafe(32)


# --- graphql-transport-ws -------------------------------------------------------------------


@dataclass
class Socket:
    """One graphql-transport-ws connection, acknowledged."""

    ws: ClientConnection
    held: list[dict[str, Any]] = field(default_factory=list)

    def subscribe(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload: dict[str, Any] = {"query": query, "variables": variables or {}}
        self.ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))

    def message(self, op_id: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next message for ``op_id`` (others are kept for later)."""
        for i, held in enumerate(self.held):
            if held.get("id") == op_id:
                return self.held.pop(i)
        while True:
            message = receive(self.ws, timeout)
            if message.get("id") == op_id:
                return message
            self.held.append(message)


def receive(ws: ClientConnection, timeout: float = TIMEOUT) -> dict[str, Any]:
    """The next message other than a ping (answered with a pong, as the protocol asks)."""
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
        if message.get("type") != "ping":
            return message
        ws.send(json.dumps({"type": "pong"}))


@contextmanager
def socket(url: str, payload: dict[str, str]) -> Iterator[Socket]:
    """A connection whose ``connection_init`` carries ``payload``; it must be acknowledged."""
    with connect(url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT, close_timeout=2) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = receive(ws)
        assert ack == {"type": "connection_ack"}, ack
        yield Socket(ws)


def refusal(url: str, payload: dict[str, str]) -> tuple[int | None, str]:
    """How the server answers a ``connection_init`` carrying ``payload``: the close code
    and reason when it closes the socket, else (None, the message it sent)."""
    with connect(url, subprotocols=[PROTOCOL], open_timeout=TIMEOUT, close_timeout=2) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        try:
            answer = ws.recv(timeout=TIMEOUT)
        except ConnectionClosed as closed:
            if closed.rcvd is None:
                return None, "closed without a close frame"
            return closed.rcvd.code, closed.rcvd.reason
        return None, str(answer)
