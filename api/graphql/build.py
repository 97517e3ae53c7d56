"""The schema, assembled with its limits: query depth, tokens, aliases, masked errors, and
the response budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from functools import cache, partial
from typing import Any, TypeGuard

from graphql.error import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from opentelemetry.trace import TracerProvider
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from api.graphql.context import Context
from api.graphql.document_limits import GuardedDocuments
from api.graphql.enterprise_nodes import Enterprise
from api.graphql.mutations import build_mutation_type
from api.graphql.observability import MeasuredOperations, TracedOperations
from api.graphql.oversight_nodes import Assessment, Interview, LegacyIssue, LegacyTarget, Referral
from api.graphql.queries import Query
from api.graphql.response_budget import ResponseBudget
from api.graphql.shared_events import SharingExecutor
from api.graphql.shared_feed import Handover, handed_over, shared_feed_of
from api.graphql.shared_views import follow, follows_shared, shared_view_of
from api.graphql.subscriptions import FeedEnded, Subscription
from api.graphql.unit_node import Unit
from api.graphql.work_nodes import Complaint, Task
from api.runtime.identity import Unauthenticated
from api.settings import Limits
from domain.errors import LedgerError, NotFound, ValidationError


def shown_to_clients(error: GraphQLError) -> bool:
    """Errors of the request itself (syntax, validation, variables: they have no path)
    and the ledger's own refusals are shown; anything else is masked, so no internals
    reach a client."""
    original = error.original_error
    if original is None or error.path is None:
        return True
    return isinstance(original, LedgerError | FeedEnded | GraphQLError)


CODES: dict[type[LedgerError], str] = {
    ValidationError: "BAD_USER_INPUT",
    NotFound: "NOT_FOUND",
    Unauthenticated: "UNAUTHENTICATED",
}


class RecheckToken(SchemaExtension):
    """A WebSocket was let in by its token once: before each operation it runs, the token
    is read again, so one revoked or expired since lets nothing more through."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(getattr(context, "request", None), WebSocket) and context.principal:
            try:
                await asyncio.to_thread(context.services.tokens.recheck, context.principal)
            except Unauthenticated as refusal:
                context.refusal = str(refusal)
        yield


class ExplainRefusals(SchemaExtension):
    """A refusal of the ledger raised in a query names what to fix: the message carries
    the field (``first: must be between 0 and 100``) and ``extensions`` a code and,
    for bad input, the field."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or []:
            original = error.original_error
            if isinstance(original, LedgerError):
                error.message = str(original)
                code = next((c for t, c in CODES.items() if isinstance(original, t)), "REFUSED")
                extensions = {"code": code}
                if isinstance(original, ValidationError):
                    extensions["field"] = original.field
                error.extensions = {**(error.extensions or {}), **extensions}


class LedgerSchema(Schema):
    """Logs only what went wrong inside: a client's own mistakes are answered, not logged.
    A subscription to a view is served from the shared live views
    (``api.graphql.shared_views``), the live part of ``ledgerEvents`` from the shared
    feeds (``api.graphql.shared_feed``)."""

    async def stream(  # noqa: PLR0917 - strawberry's own signature
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> StreamResult:
        asked = shared_view_of(query, operation_name) if query else None
        allowed = allowed_operation_types is None or OperationType.SUBSCRIPTION in set(
            allowed_operation_types
        )
        if allowed and asked is not None and follows_shared(context_value, asked):
            return follow(self, asked, variable_values, context_value)
        feed = shared_feed_of(query, operation_name) if query else None
        if allowed and feed is not None and _followed_by(context_value, root_value):
            handover = Handover(self, feed, variable_values, context_value)
            source = await super().stream(
                query,
                variable_values,
                context_value,
                handover,
                operation_name,
                operation_extensions,
                allowed_operation_types,
            )
            return handed_over(source, handover)
        return await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([e for e in errors if not shown_to_clients(e)], execution_context)


def _followed_by(context: object, root_value: object) -> TypeGuard[Context]:
    """Whether a ``ledgerEvents`` subscription may hand over to a shared feed: a service
    context with a principal, no root value of the caller's own."""
    return isinstance(context, Context) and context.principal is not None and root_value is None


def limit_rules(limits: Limits) -> list[Any]:
    """The depth and alias limits as validation rules, made once per schema: the same
    rules on every request let a repeated document's validation be cached."""
    depth = QueryDepthLimiter(max_depth=limits.max_depth).validation_rules
    aliases = MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules
    return [*depth, *aliases]


@cache
def build_schema(
    limits: Limits | None = None,
    *,
    introspection: bool = True,
    tracer_provider: TracerProvider | None = None,
) -> Schema:
    """The schema with its limits; without introspection for a production service; with
    strawberry's spans when tracing (``api.runtime.tracing``). Built once for each set of
    limits (it holds nothing of an app's own but its tracer provider, when tracing; building
    it takes a quarter of a second)."""
    limits = limits or Limits()
    rules = limit_rules(limits)
    if not introspection:
        rules = [*rules, NoSchemaIntrospectionCustomRule]
    traced = (
        []
        if tracer_provider is None
        else [partial(TracedOperations, tracer_provider=tracer_provider)]
    )
    return LedgerSchema(
        query=Query,
        mutation=build_mutation_type(),
        subscription=Subscription,
        types=[
            Unit,
            Task,
            Complaint,
            LegacyIssue,
            LegacyTarget,
            Interview,
            Referral,
            Assessment,
            Enterprise,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=SharingExecutor,  # ledgerEvents: each event answered once
        extensions=[
            *traced,
            MeasuredOperations,  # latency by operation, for /metrics
            lambda: AddValidationRules(rules),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            lambda: MaskErrors(should_mask_error=lambda error: not shown_to_clients(error)),
            ExplainRefusals,
            RecheckToken,
            # the expanded size first, then validation, cached per document (the limits
            # above are validation rules, cached with it), both off the event loop. No
            # parser cache: strawberry's raises a syntax error outside its error handling
            # in subscriptions.
            GuardedDocuments,
            # every answer measured as it is built; over the budget, RESPONSE_TOO_LARGE
            ResponseBudget,
        ],
    )
