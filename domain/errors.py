"""Named errors of the ledger's rules.

Every refused step raises one of these before any event is recorded, so a
refusal never leaves a partial write behind. The API turns each family into
one typed GraphQL error; the CLI turns each into one line. Failures of the
ledger's own machinery (``OperationalFailure``) are another family: no client
is told it broke a rule.
"""

from __future__ import annotations

from uuid import UUID


class LedgerError(Exception):
    """Base of the ledger's refusals: a request that breaks a rule, told to whoever sent it
    (a typed error to a client, one line in the CLI)."""


class OperationalFailure(Exception):
    """The ledger could not do what was asked through no fault of the request: its
    storage, configuration or keys. Logged and masked for clients ("Unexpected error."),
    one line in the CLI; never shown as a refusal of the client's input."""


class StorageError(OperationalFailure):
    """The database URL is malformed, or the database is missing or unreachable."""


class ValidationError(LedgerError):
    """A command's input breaks a rule; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidTransition(LedgerError):
    """The item's lifecycle does not allow this step in its current state."""

    def __init__(self, item_type: str, state: str, step: str, why: str = "") -> None:
        detail = f" ({why})" if why else ""
        super().__init__(f"{item_type} in state {state!r} cannot {step}{detail}")
        self.item_type = item_type
        self.state = state
        self.step = step


class NotFound(LedgerError):
    """No item of this type has this id."""

    def __init__(self, item_type: str, item_id: UUID | str) -> None:
        super().__init__(f"no {item_type} with id {item_id}")
        self.item_type = item_type
        self.item_id = item_id


class AlreadyExists(LedgerError):
    """An item with this natural key was registered before."""

    def __init__(self, item_type: str, key: str) -> None:
        super().__init__(f"{item_type} {key!r} is already registered")
        self.item_type = item_type
        self.key = key


class ConcurrencyConflict(LedgerError):
    """The caller's ``expected_version`` is stale, or a racing writer won."""

    def __init__(self, item_id: UUID, expected: int | None, current: int) -> None:
        super().__init__(f"item {item_id} is at version {current}, not the expected {expected}")
        self.item_id = item_id
        self.expected = expected
        self.current = current


class IdempotencyKeyReused(LedgerError):
    """An idempotency key was sent again with a different command."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for a different command")
        self.key = key


class BusinessTimeRefused(ValidationError):
    """``occurred_at`` is in the future, too far back, or before the item's last act."""

    def __init__(self, message: str) -> None:
        super().__init__("occurred_at", message)


def require_text(field: str, value: str) -> str:
    """``value`` stripped, or a ``ValidationError`` naming ``field`` if it is blank."""
    if not value.strip():
        raise ValidationError(field, "must not be empty")
    return value.strip()
