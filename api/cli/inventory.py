"""The ledger's events as the log holds them, in order: what ``ledger export events`` walks."""

from __future__ import annotations

from collections.abc import Iterator

from domain.ledger import Ledger
from domain.meta import LedgerEvent

PAGE = 2000


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
