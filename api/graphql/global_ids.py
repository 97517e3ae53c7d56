"""Global ids: ``Task:3f2c...``. Readable, stable, and naming the type of the item."""

from __future__ import annotations

from uuid import UUID

from domain.errors import ValidationError

ITEM_TYPES = (
    "Unit",
    "Task",
    "Complaint",
    "LegacyIssue",
    "LegacyTarget",
    "Interview",
    "Referral",
    "Assessment",
    "Measure",
    "Enterprise",
    "EnterpriseEvaluation",
    "QuarterScores",
)


def global_id(item_type: str, item_id: UUID | str) -> str:
    return f"{item_type}:{item_id}"


def parse_id(field: str, value: str, item_type: str | None = None) -> tuple[str | None, UUID]:
    """The type (when the id names one) and the UUID of a global id or a bare UUID.

    ``item_type`` is the type the caller expects: an id of another type is refused,
    naming ``field``.
    """
    named, _, raw = value.strip().rpartition(":")
    if named and named not in ITEM_TYPES:
        raise ValidationError(field, f"{value!r} is not an id of this ledger")
    if item_type is not None and named and named != item_type:
        raise ValidationError(field, f"{value!r} is not a {item_type} id")
    try:
        return named or None, UUID(raw)
    except ValueError:
        raise ValidationError(field, f"{value!r} is not an id of this ledger") from None


def item_uuid(field: str, value: str, item_type: str | None = None) -> UUID:
    return parse_id(field, value, item_type)[1]
