"""``ledgerEvents`` for thousands of subscribers: each event's answer worked out once.

Every subscriber of the live feed runs its own source of events (its replay, its filter,
its unit's items, its Disclosures, its token's expiry). But the answer sent for one event
depends only on the event, the document and variables asked (``after`` aside, which only
says where the feed starts) and the subscriber's role (personal data opened or masked), so
subscribers asking alike share it: graphql-core's executor (``SharingExecutor``, given to
strawberry's schema) keeps each event's result, its JSON made once
(``shared_views.SharedData``), for the next subscriber with the same key. A selection
holding ``chain`` is not shared: the seal reaches an event after it is sent.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    print_ast,
)
from graphql.execution import Executor
from graphql.language import Visitor, visit
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.context import Context
from api.graphql.events import Event
from api.graphql.shared_feed import after_variable
from api.graphql.shared_views import SharedData

NOT_SHARED = "chain"
"""A field whose value changes after an event is sent."""


class SharingExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor; a ``ledgerEvents`` event already answered for a subscriber
    asking alike is answered with the same result."""

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        if "share" not in self.__dict__:  # once per subscription, before the copies
            self.share = share_key(self)
        return super().build_per_event_executor(payload)

    def execute_operation(self, serially: bool | None = None) -> Any:
        share, event = self.__dict__.get("share"), self.root_value
        context = self.context_value
        if share is None or not isinstance(event, Event) or not isinstance(context, Context):
            return super().execute_operation(serially)
        answers, key = context.services.event_answers, (share, event.position)
        found = answers.get(key)
        if found is not None:
            return found
        result = super().execute_operation(serially)
        if not isinstance(result, ExecutionResult) or result.errors or result.data is None:
            return result  # an awaitable, an error: answered for this subscriber alone
        data = SharedData(result.data)
        data.encoded = json.dumps(result.data, separators=(",", ":"))
        shared = ExecutionResult(data=data, errors=None, extensions=result.extensions)
        answers.keep(key, shared)
        return shared


def share_key(executor: Executor[Any]) -> Hashable | None:
    """What a ``ledgerEvents`` subscription's answers depend on besides the event; None
    for anything else, or a selection holding ``chain``."""
    operation: OperationDefinitionNode = executor.operation
    fields = operation.selection_set.selections
    if operation.operation is not OperationType.SUBSCRIPTION or len(fields) != 1:
        return None
    root = fields[0]
    if not isinstance(root, FieldNode) or root.name.value != "ledgerEvents":
        return None
    if _names(operation, executor) & {NOT_SHARED}:
        return None
    context = executor.context_value
    if not isinstance(context, Context) or context.principal is None:
        return None
    definitions = [f.definition for _, f in sorted(executor.fragments.items())]
    after = after_variable(root, [operation, *definitions])
    coerced = executor.variable_values.coerced
    variables = {k: v for k, v in coerced.items() if k != after}
    fragments = tuple(print_ast(definition) for definition in definitions)
    return (
        print_ast(operation),
        fragments,
        json.dumps(variables, sort_keys=True, default=str),
        context.principal.actor.role,
    )


def _names(operation: OperationDefinitionNode, executor: Executor[Any]) -> set[str]:
    """The names of every field the operation and its fragments select."""
    names: set[str] = set()

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            names.add(node.name.value)

    for node in (operation, *(f.definition for f in executor.fragments.values())):
        visit(node, Fields())
    return names
