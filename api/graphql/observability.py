"""What the GraphQL operations tell whoever runs the service: each operation's latency and
each mutation's outcome (``/metrics``, ``api.runtime.metrics``), the subscriptions open, and
strawberry's spans when tracing is on (``api.runtime.tracing``).

An operation is labelled by its type and its name, or by its root fields when it has none
(``tasks,units``); a document that does not parse or validate, or names no operation it has,
is ``unknown``/``invalid``, so what a client sends cannot make new figures without end
(``Metrics`` also keeps at most a few hundred names apart).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Generator, Iterator
from contextlib import aclosing, suppress
from typing import Any, TypeVar

from graphql import DocumentNode, FieldNode, OperationDefinitionNode
from opentelemetry.trace import TracerProvider
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.types import ExecutionContext, Info
from strawberry.types.base import get_object_definition
from strawberry.types.graphql import OperationType

from api.graphql.context import Context

UNKNOWN, INVALID, ERROR = "unknown", "invalid", "error"
NOT_RECORDED = "(not recorded)"
T = TypeVar("T")


def operation_labels(execution: ExecutionContext) -> tuple[str, str]:
    """The operation's type and name (its root fields when it has none), or
    ``unknown``/``invalid``."""
    document = execution.graphql_document
    if document is None or execution.pre_execution_errors:
        return UNKNOWN, INVALID
    operation = _chosen(document, execution.operation_name)
    if operation is None:
        return UNKNOWN, INVALID
    if operation.name is not None:
        return operation.operation.value, operation.name.value
    fields = {s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)}
    return operation.operation.value, ",".join(sorted(fields)) or INVALID


def _chosen(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


class MeasuredOperations(SchemaExtension):
    """Each operation a client asks, timed to its answer (a subscription: to its start).
    The live views' own computations (no request) are timed by the views' figures."""

    def on_operation(self) -> Iterator[None]:
        self._started, self._measured = time.perf_counter(), False
        yield
        self._measure()

    def on_execute(self) -> Iterator[None]:
        yield
        with suppress(RuntimeError):  # no document: measured as invalid when it ends
            if self.execution_context.operation_type is OperationType.SUBSCRIPTION:
                self._measure()

    def _measure(self) -> None:
        context = self.execution_context.context
        if self._measured or not isinstance(context, Context) or context.request is None:
            return
        self._measured = True
        kind, name = operation_labels(self.execution_context)
        context.services.metrics.operation_answered(kind, name, time.perf_counter() - self._started)


async def counted(context: Context, mutation: str, answer: Awaitable[T]) -> T:
    """A mutation's ``answer``, counted by its outcome: the result's GraphQL type, or
    ``error`` when it raised (a GraphQL error)."""
    outcome = ERROR
    try:
        result = await answer
        definition = get_object_definition(result)
        outcome = definition.name if definition is not None else type(result).__name__
        return result
    finally:
        context.services.metrics.mutation_answered(mutation, outcome)


async def followed(
    info: Info[Context, Any], view: str, feed: AsyncGenerator[T, None]
) -> AsyncGenerator[T, None]:
    """A subscription's ``feed``, counted open (as ``view``) while it runs."""
    metrics = info.context.services.metrics
    metrics.subscription_opened(view)
    try:
        async with aclosing(feed):
            async for item in feed:
                yield item
    finally:
        metrics.subscription_closed(view)


def _no_arguments(arguments: dict[str, Any], info: Any) -> dict[str, Any]:
    return {}


class TracedOperations(OpenTelemetryExtension):
    """strawberry's spans (the operation, its parsing, validation and resolvers), without
    the document's text or any argument's value, either of which may hold personal data (a
    complainant's name written into a document); the operation's type and name instead."""

    def __init__(
        self,
        *,
        execution_context: ExecutionContext | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        super().__init__(
            execution_context=execution_context,
            arg_filter=_no_arguments,
            tracer_provider=tracer_provider,
        )

    def on_operation(self) -> Generator[None, None, None]:
        steps = super().on_operation()
        next(steps)
        span = self._span_holder[LifecycleStep.OPERATION]
        span.set_attribute("query", NOT_RECORDED)
        yield
        kind, name = operation_labels(self.execution_context)
        span.set_attribute("graphql.operation.type", kind)
        span.set_attribute("graphql.operation.name", name)
        next(steps, None)
