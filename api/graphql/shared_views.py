"""The views' subscriptions served from the shared live views (``api.runtime.live_views``).

A subscription to one of ``SHARED`` (the overview, the legacy totals, the task board, the
oversight totals) asks for the same answer as the query of the same name, with the same
arguments and selection. So the document is run as that query, once per change for every
subscriber asking it with the same variables and role, by the service itself (a principal
of the subscriber's role, never expiring); the answer's JSON is made once and each
subscriber's WebSocket sends it under its own operation id. Each subscriber still ends on
its own when its token is revoked or expires.

Anything else (another root field, a document that does not parse, a role the field is
forbidden to) is left to strawberry's own subscription, which answers it as before.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeGuard
from uuid import NAMESPACE_URL, uuid5

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
)
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import ExecutionResult, PreExecutionError

from api import permissions
from api.graphql.context import Context
from api.graphql.live_guard import FeedEnded, guarded
from api.permissions import Rule
from api.runtime.identity import Principal, Unauthenticated
from api.runtime.live_views import ViewKey
from domain.errors import LedgerError
from domain.meta import Actor

SHARED = frozenset({"supervisionOverview", "legacyIssueTotals", "taskBoard", "oversightTotals"})
"""Subscriptions whose field of the same name on Query gives the same answer."""


class SharedData(dict[str, Any]):
    """A snapshot's ``data``, with its JSON made once for every subscriber."""

    encoded: str


def encoded_next(message: Mapping[str, Any]) -> str | None:
    """A ``next`` message carrying shared data, as JSON, reusing the data's own JSON; None
    for any other message."""
    payload = message.get("payload")
    if message.get("type") != "next" or not isinstance(payload, dict) or len(payload) != 1:
        return None
    data = payload.get("data")
    if not isinstance(data, SharedData):
        return None
    identity = json.dumps(message["id"])  # the default encoder: its fast path, kept for all
    return f'{{"id":{identity},"type":"next","payload":{{"data":{data.encoded}}}}}'


@dataclass(frozen=True)
class Asked:
    """A subscription to a shared view, as the query that gives its answer."""

    view: str
    query: str
    operation_name: str | None


@lru_cache(maxsize=512)
def shared_view_of(document: str, operation_name: str | None) -> Asked | None:
    """The query answering ``document`` if it subscribes to a shared view; else None."""
    try:
        parsed = parse(document)
    except GraphQLSyntaxError:
        return None
    operation = _operation(parsed, operation_name)
    if operation is None or operation.operation is not OperationType.SUBSCRIPTION:
        return None
    fields = operation.selection_set.selections
    if len(fields) != 1 or not isinstance(fields[0], FieldNode) or fields[0].directives:
        return None
    view = fields[0].name.value
    if view not in SHARED:
        return None
    as_query = replace(operation, operation=OperationType.QUERY)
    definitions = tuple(as_query if d is operation else d for d in parsed.definitions)
    return Asked(view, print_ast(DocumentNode(definitions=definitions)), operation_name)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


@dataclass(frozen=True)
class SharedSnapshot:
    """One computation's answer, as every subscriber receives it."""

    result: ExecutionResult
    ends: bool
    """Nothing could be answered (the document or its variables are refused): it ends
    each subscription it reaches."""

    def same_as(self, other: SharedSnapshot) -> bool:
        return self.result.data == other.result.data and _messages(self.result) == _messages(
            other.result
        )

    @classmethod
    def of(cls, result: ExecutionResult) -> SharedSnapshot:
        if result.data is None:
            return cls(PreExecutionError(data=None, errors=result.errors), ends=True)
        data = SharedData(result.data)
        data.encoded = json.dumps(result.data, separators=(",", ":"))
        return cls(ExecutionResult(data=data, errors=result.errors or None), ends=False)


def _messages(result: ExecutionResult) -> list[str]:
    return [error.message for error in result.errors or []]


def follows_shared(context: object, asked: Asked) -> TypeGuard[Context]:
    """Whether this subscriber takes the shared view: a service context, a role the field
    is open to (a forbidden one is answered by strawberry, as any query would be)."""
    if not isinstance(context, Context) or context.principal is None:
        return False
    rule = permissions.field_rule(context.principal.actor.role, asked.view)
    return rule is not Rule.DENY


def the_service_as(actor: Actor) -> Principal:
    """Who works a shared view out: the service, seeing what ``actor``'s role sees."""
    never = datetime.max.replace(tzinfo=UTC)
    who = Actor(id="live-views", role=actor.role, unit=actor.unit)
    token = uuid5(NAMESPACE_URL, f"ledger:live-views:{actor.role.value}:{actor.unit}")
    return Principal(actor=who, token_id=token, expires_at=never)


async def follow(
    schema: BaseSchema,
    asked: Asked,
    variables: dict[str, Any] | None,
    context: Context,
) -> AsyncGenerator[ExecutionResult, None]:
    """One subscriber's snapshots of a shared view, until its token is revoked or expires
    (then a last result says so)."""
    try:
        async for snapshot in guarded(context, _snapshots(schema, asked, variables, context)):
            yield snapshot
    except (LedgerError, FeedEnded) as refusal:
        code = "UNAUTHENTICATED" if isinstance(refusal, Unauthenticated) else "REFUSED"
        yield ExecutionResult(
            data=None, errors=[GraphQLError(str(refusal), extensions={"code": code})]
        )


async def _snapshots(
    schema: BaseSchema,
    asked: Asked,
    variables: dict[str, Any] | None,
    context: Context,
) -> AsyncGenerator[ExecutionResult, None]:
    services, principal = context.services, context.principal
    assert principal is not None
    actor = context.actor  # refused here if revoked or expired since the connection opened
    if context.request is not None and context.request.scope.get("type") == "websocket":
        await asyncio.to_thread(services.tokens.recheck, principal)
    key = ViewKey(
        asked.view,
        (
            asked.query,
            asked.operation_name,
            json.dumps(variables or {}, sort_keys=True, default=str),
        ),
        (actor.role, actor.unit),
    )
    service = the_service_as(actor)

    async def compute() -> SharedSnapshot:
        result = await schema.execute(
            asked.query,
            variable_values=variables,
            context_value=Context(services, service),
            operation_name=asked.operation_name,
        )
        return SharedSnapshot.of(result)

    hub = services.live_views
    view, mailbox = hub.join(key, compute)
    try:
        while True:
            snapshot: SharedSnapshot = await mailbox.take()
            yield snapshot.result
            if snapshot.ends:
                return
    finally:
        hub.leave(view, mailbox)
