"""The stored-event topics of each item type, so a worker reads only what it projects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eventsourcing.utils import get_topic

import domain.ledger  # noqa: F401 - defines every kind of item
from domain.meta import LedgerEvent, LedgerItem


def item_type_of(topic: str) -> str:
    """``domain.task:Task.Assigned`` -> ``Task``."""
    return topic.partition(":")[2].partition(".")[0]


def topics_of(item_types: Iterable[str]) -> list[str]:
    """Every event topic of the named item types (``Task``, ``Complaint``, ...)."""
    wanted = set(item_types)
    topics = {
        get_topic(event)
        for item in _item_classes()
        if item.item_type in wanted
        for event in _events_of(item)
    }
    return sorted(t for t in topics if item_type_of(t) in wanted)


def _item_classes() -> Iterator[type[LedgerItem]]:
    pending = list(LedgerItem.__subclasses__())
    while pending:
        item = pending.pop()
        pending.extend(item.__subclasses__())
        yield item


def _events_of(item: type[LedgerItem]) -> Iterator[type[LedgerEvent]]:
    for name in dir(item):
        value = getattr(item, name)
        if isinstance(value, type) and issubclass(value, LedgerEvent):
            yield value
