"""The ledger's items as they stand now, folded from the log in one pass.

Until the read models of the projections land, the CLI's export and summary
read through this: it reads the log in pages, in order, and rebuilds every
item of the requested types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass
class Inventory:
    """Items rebuilt from the log, and how many ledger events were read to do it."""

    items: dict[UUID, Any] = field(default_factory=dict)
    events: int = 0


def take_inventory(ledger: Ledger, *kinds: type[LedgerItem]) -> Inventory:
    """Every item of the given types, rebuilt from the log, in order of creation.

    ``events`` counts every ledger event in the log (idempotency receipts are
    not ledger events and are not counted).
    """
    topics = _topics(kinds)
    inventory = Inventory()
    for _, event in ledger_events(ledger):
        inventory.events += 1
        if type(event).__qualname__.split(".")[0] in topics:
            item_id = event.originator_id
            inventory.items[item_id] = event.mutate(inventory.items.get(item_id))
    return inventory


def current_items(ledger: Ledger, *kinds: type[Item]) -> dict[UUID, Item]:
    """Every item of the given types, rebuilt from the log; in order of creation."""
    return take_inventory(ledger, *kinds).items


def _topics(kinds: tuple[type[LedgerItem], ...]) -> set[str]:
    return {kind.__name__ for kind in kinds}
