"""What an item's read-model row does not hold, from the item's own events in the log.

The export shows a few fields the projections keep no column for (a task's milestones and
cooperation note, a complaint's summary, a legacy issue's cause, parties and milestones).
For those, the events of that one kind of item are read from the log (the database picks
them out by topic: no other event is read or decoded) and folded, each item up to the
version its row shows, so the fields and the row tell of the same moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from domain.ledger import Ledger
from domain.meta import LedgerEvent, LedgerItem
from projections.topics import topics_of

PAGE = 2000
Item = TypeVar("Item", bound=LedgerItem)


def items_at(ledger: Ledger, kind: type[Item], versions: Mapping[str, int]) -> dict[str, Item]:
    """The items of type ``kind`` whose ids (as text) are in ``versions``, each folded from
    its events up to the version given; by id."""
    topics = topics_of([kind.__name__])
    items: dict[str, Item] = {}
    if not versions or not topics:
        return items
    position = 1
    while True:
        page = ledger.recorder.select_notifications(start=position, limit=PAGE, topics=topics)
        for notification in page:
            event = ledger.mapper.to_domain_event(notification)
            if not isinstance(event, LedgerEvent):
                continue
            item_id = str(event.originator_id)
            if event.originator_version <= versions.get(item_id, 0):
                items[item_id] = event.mutate(items.get(item_id))
        if len(page) < PAGE:
            return items
        position = page[-1].id + 1
