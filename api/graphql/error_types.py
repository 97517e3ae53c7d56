"""The typed errors a mutation answers with, instead of raising.

Each is one member of a mutation's result union; a client tells them apart by
``__typename`` and reads the fields that say what to do next (the field to fix,
the version to retry from, the state the item is in).
"""

from __future__ import annotations

import strawberry

from domain import errors as domain


@strawberry.interface(description="Something the caller can correct or retry.")
class UserError:
    message: str


@strawberry.type(description="An input breaks a rule; `field` names the input.")
class ValidationError(UserError):
    field: str


@strawberry.type(description="No item of this type has this id (or the caller may not see it).")
class NotFound(UserError):
    item_type: str
    item_id: str


@strawberry.type(description="`expectedVersion` is stale, or a racing writer won.")
class ConcurrencyConflict(UserError):
    item_id: str
    expected_version: int | None
    current_version: int


@strawberry.type(description="The item's lifecycle does not allow this step in its state.")
class InvalidTransition(UserError):
    item_type: str
    state: str
    step: str


@strawberry.type(description="The caller's role may not do this.")
class Forbidden(UserError):
    action: str
    role: str


@strawberry.type(description="An item with this natural key already exists.")
class AlreadyExists(UserError):
    item_type: str
    key: str


@strawberry.type(description="The idempotency key was used before for a different command.")
class IdempotencyKeyReused(UserError):
    key: str


@strawberry.type(description="Too many mutations with this token: wait, then retry.")
class RateLimited(UserError):
    retry_after_seconds: float


TypedError = (
    ValidationError
    | NotFound
    | ConcurrencyConflict
    | InvalidTransition
    | Forbidden
    | AlreadyExists
    | IdempotencyKeyReused
)


def typed_error(error: domain.LedgerError) -> TypedError:
    """The GraphQL error for a refusal of the ledger."""
    message = str(error)
    match error:
        case domain.ValidationError():
            return ValidationError(message=error.message, field=_camel(error.field))
        case domain.NotFound():
            return NotFound(message=message, item_type=error.item_type, item_id=str(error.item_id))
        case domain.ConcurrencyConflict():
            return ConcurrencyConflict(
                message=message,
                item_id=str(error.item_id),
                expected_version=error.expected,
                current_version=error.current,
            )
        case domain.InvalidTransition():
            return InvalidTransition(
                message=message, item_type=error.item_type, state=error.state, step=error.step
            )
        case domain.AlreadyExists():
            return AlreadyExists(message=message, item_type=error.item_type, key=error.key)
        case domain.IdempotencyKeyReused():
            return IdempotencyKeyReused(message=message, key=error.key)
    return ValidationError(message=message, field="input")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
