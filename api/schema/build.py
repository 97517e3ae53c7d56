"""The schema, assembled with its limits: query depth, tokens, aliases, masked errors."""

from __future__ import annotations

from graphql.error import GraphQLError
from strawberry import Schema
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig

from api.schema.mutations import build_mutation_type
from api.schema.nodes import (
    Assessment,
    Complaint,
    Interview,
    LegacyIssue,
    LegacyTarget,
    Referral,
    Task,
    Unit,
)
from api.schema.queries import Query
from api.schema.subscriptions import FeedEnded, Subscription
from api.service.services import Limits
from domain.errors import LedgerError


def shown_to_clients(error: GraphQLError) -> bool:
    """Errors of the request (syntax, validation, the ledger's own refusals) are shown;
    anything else is masked, so no internals reach a client."""
    original = error.original_error
    return original is None or isinstance(original, LedgerError | FeedEnded)


def build_schema(limits: Limits | None = None) -> Schema:
    limits = limits or Limits()
    return Schema(
        query=Query,
        mutation=build_mutation_type(),
        subscription=Subscription,
        types=[Unit, Task, Complaint, LegacyIssue, LegacyTarget, Interview, Referral, Assessment],
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            lambda: QueryDepthLimiter(max_depth=limits.max_depth),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
            lambda: MaskErrors(should_mask_error=lambda error: not shown_to_clients(error)),
        ],
    )
