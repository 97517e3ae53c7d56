"""Item state in a read model, evolved by the domain's own event ``apply`` methods.

A ``Bag`` carries the attributes an aggregate would have. Folding events into
it with each event's ``apply`` keeps the read side's idea of an item's state
identical to the domain's, without writing the lifecycle rules twice.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import UUID

from domain.meta import LedgerCreated, LedgerEvent


class Bag(SimpleNamespace):
    """The attributes of one item, plus its ``id``, ``item_type`` and ``version``."""

    id: Any
    item_type: str
    version: int


def fold(bag: Bag | None, event: LedgerEvent) -> Bag:
    """The bag after ``event`` (a new one for a creating event)."""
    if bag is None:
        if not isinstance(event, LedgerCreated):
            raise ValueError(
                f"{type(event).__qualname__} at version "
                f"{event.originator_version} has no item to apply to"
            )
        bag = Bag(id=event.originator_id, item_type=type(event).__qualname__.partition(".")[0])
    elif event.originator_version != bag.version + 1:
        raise ValueError(
            f"{type(event).__qualname__} is version {event.originator_version}, "
            f"but the item is at {bag.version}"
        )
    event.apply(bag)
    bag.version = event.originator_version
    bag.last_occurred_at = event.occurred_at
    return bag


_ID_TEXTS: dict[int, str] = {}
_ID_TEXTS_KEPT = 1 << 18


def id_text(value: UUID) -> str:
    """``str(value)``, remembered by the UUID's integer: the same units and items are
    written over and over, and a UUID's ``str`` is Python code."""
    key = value.int
    text = _ID_TEXTS.get(key)
    if text is None:
        if len(_ID_TEXTS) >= _ID_TEXTS_KEPT:
            _ID_TEXTS.clear()
        text = _ID_TEXTS[key] = str(value)
    return text
