"""What every mutation answers: ``MutationResult``, the success payload or one typed error."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Annotated, Any, Union

import strawberry
from strawberry.types import Info

from api.graphql import error_types as errors
from api.graphql.context import Context
from api.graphql.lookup import node_by_id
from api.graphql.unit_node import Node


@strawberry.type(description="What a command wrote.")
class MutationSuccess:
    item_id: strawberry.ID = strawberry.field(description="Global id of the item written.")
    version: int = strawberry.field(description="The item's version after the command.")
    position: int = strawberry.field(
        description="Log position of the command's last event: pass it as the "
        "`X-Ledger-Position` header to read your own write."
    )
    replayed: bool = strawberry.field(
        description="True when an idempotency key repeated an earlier command of the same "
        "token: nothing new was written and this is the first result."
    )

    @strawberry.field(
        description="The item as the read models hold it once they include this write "
        "(null if they do not within the service's wait)."
    )
    async def item(self, info: Info[Context, Any]) -> Node | None:
        services = info.context.services
        if not await services.projector.wait_for(self.position, services.limits.read_wait_seconds):
            return None
        return await node_by_id(info, str(self.item_id))


MutationResult = Annotated[
    Union[  # noqa: UP007 - strawberry names the union from this form
        MutationSuccess,
        errors.ValidationError,
        errors.NotFound,
        errors.ConcurrencyConflict,
        errors.InvalidTransition,
        errors.Forbidden,
        errors.AlreadyExists,
        errors.IdempotencyKeyReused,
        errors.RateLimited,
    ],
    strawberry.union("MutationResult", description="The success payload or a typed error."),
]


def fingerprint_of(given: Any, digest: Callable[[str], str]) -> str:
    """A keyed digest of a mutation's input (its idempotency key aside): the same key
    sent again with another input is refused instead of replayed. Keyed, because the
    input may hold personal data that must not be guessable from the stored receipt."""
    fields = {k: v for k, v in dataclasses.asdict(given).items() if k != "idempotency_key"}
    return digest(json.dumps(fields, sort_keys=True, default=str))
