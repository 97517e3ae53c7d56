"""一次告知 (one-time notice): a unit asking a complainant or an enterprise for materials
or corrections lists every missing item at once.

The items are short texts, each within the policy's ``materials`` text limit, at most its
``materials`` list limit of them (``[inputs]`` of ``default_policy.toml``). A later request
by the same unit on the same case that names an item its first request did not list is a
breach of 一次告知; one naming only items already listed (a reminder) is not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.errors import ValidationError
from domain.text import check_text, limits_in_force

FIELD = "items"
"""The input the items are given in (refusals name it)."""
LIMIT = "materials"
"""The policy's limits for the items, and the event's field recording them."""


@dataclass(frozen=True)
class MaterialRequest:
    """One request for materials on a case, as recorded."""

    unit: UUID
    items: tuple[str, ...]
    requested_on: date
    breach: bool
    note: str


def first_listed(requests: Sequence[MaterialRequest], unit: UUID) -> tuple[str, ...] | None:
    """The items of ``unit``'s first request among ``requests`` (None: it made none)."""
    return next((r.items for r in requests if r.unit == unit), None)


def listed_materials(items: Sequence[str]) -> list[str]:
    """The items asked for, each trimmed; a ``ValidationError`` naming ``items`` when there
    are none, too many, or one is blank, too long or given twice."""
    limits = limits_in_force()
    listed = [item.strip() for item in items]
    if not listed:
        raise ValidationError(FIELD, "must list at least one item: every missing item, at once")
    most, longest = limits.entries(LIMIT), limits.characters(LIMIT)
    if len(listed) > most:
        raise ValidationError(FIELD, f"has {len(listed)} entries; the limit is {most}")
    for position, item in enumerate(listed, start=1):
        if not item:
            raise ValidationError(FIELD, f"entry {position} is blank")
        if len(item) > longest:
            raise ValidationError(
                FIELD, f"entry {position} is {len(item)} characters long; the limit is {longest}"
            )
        check_text(FIELD, item, longest)
        if item in listed[: position - 1]:
            raise ValidationError(FIELD, f"entry {position} repeats {item!r}")
    return listed


def breaches_once_notice(first: Collection[str] | None, items: Collection[str]) -> bool:
    """Whether a request for ``items`` breaches 一次告知, after a first request that
    listed ``first`` (None: this is the first, which never does)."""
    return first is not None and not set(items) <= set(first)
