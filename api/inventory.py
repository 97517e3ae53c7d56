"""The ledger's items as they stand now, folded from the log in one pass.

Until the read models of the projections land, the CLI's export and summary
read through this: it reads the log in pages, in order, and rebuilds every
item of the requested types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar
from uuid import UUID

from domain.ledger import Ledger
from domain.meta import LedgerEvent, LedgerItem

PAGE = 2000
Item = TypeVar("Item", bound=LedgerItem)


def ledger_events(ledger: Ledger, start: int = 1) -> Iterator[tuple[int, LedgerEvent]]:
    """Every ledger event from position ``start`` on, with its position, in log order."""
    position = start
    while True:
        page = ledger.recorder.select_notifications(start=position, limit=PAGE)
        for notification in page:
            event = ledger.mapper.to_domain_event(notification)
            if isinstance(event, LedgerEvent):
                yield notification.id, event
        if len(page) < PAGE:
            return
        position = page[-1].id + 1


def current_items(ledger: Ledger, *kinds: type[Item]) -> dict[UUID, Item]:
    """Every item of the given types, rebuilt from the log; in order of creation."""
    topics = _topics(kinds)
    items: dict[UUID, Any] = {}
    for _, event in ledger_events(ledger):
        if type(event).__qualname__.split(".")[0] not in topics:
            continue
        items[event.originator_id] = event.mutate(items.get(event.originator_id))
    return items


def _topics(kinds: tuple[type[LedgerItem], ...]) -> set[str]:
    return {kind.__name__ for kind in kinds}
