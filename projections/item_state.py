"""Item state in a read model: the domain's own aggregate, evolved by its events.

Each event is folded into the item with the library's ``mutate``, which calls the
event's own ``apply`` on the aggregate it declares (``apply(self, task: Task)`` gets a
``Task``), so the read side's idea of an item's state is the domain's, without writing
the lifecycle rules twice.
"""

from __future__ import annotations

from uuid import UUID

from domain.meta import LedgerCreated, LedgerEvent, LedgerItem


def fold(item: LedgerItem | None, event: LedgerEvent) -> LedgerItem:
    """The item after ``event`` (a new one for a creating event)."""
    if item is None:
        if not isinstance(event, LedgerCreated):
            raise ValueError(
                f"{type(event).__qualname__} at version "
                f"{event.originator_version} has no item to apply to"
            )
    elif event.originator_version != item.version + 1:
        raise ValueError(
            f"{type(event).__qualname__} is version {event.originator_version}, "
            f"but the item is at {item.version}"
        )
    folded = event.mutate(item)
    if not isinstance(folded, LedgerItem):
        raise TypeError(f"{type(event).__qualname__} made no ledger item")
    return folded


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
