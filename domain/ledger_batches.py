"""Many acts written at once, as one transaction: an import's (``ledger import``).

A batch is stamped as the ledger stamps every command (who: the importer, marked
``imported``; when: the business time each act gives, checked against the clock), its
events made by the items' own methods with the policy's input limits in force, and saved
by one ``save``: every item of it, or (a collision with a write made meanwhile) none. A
row whose acts are refused is left out of the batch before anything is saved, so that the
caller decides whether the rest is written (all-or-nothing unless told otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.errors import AlreadyExists, ConcurrencyConflict
from domain.ledger_base import LedgerBase
from domain.meta import Actor, EventMeta, LedgerItem
from domain.text import check_text, enforcing

Item = TypeVar("Item", bound=LedgerItem)


@dataclass
class Batch:
    """Items made or changed for one import, saved together by ``save``."""

    ledger: LedgerBase
    actor: Actor
    request_id: str
    items: dict[UUID, LedgerItem] = field(default_factory=dict)

    def stamp(self, at: datetime) -> EventMeta:
        """The metadata of an act that happened ``at`` (refused in the future)."""
        meta = EventMeta(self.actor, at, self.ledger.clock(), self.request_id, imported=True)
        meta.check_business_time(self.ledger.policy.max_backdate_days)
        return meta

    def add(self, item: LedgerItem) -> None:
        """Keep ``item`` (its pending events) for the save."""
        self.items[item.id] = item

    def events(self) -> int:
        return sum(len(i.pending_events) for i in self.items.values())

    def save(self, into: LedgerBase | None = None, *, most_events: int | None = None) -> int:
        """Save every item kept, by this batch's ledger or ``into`` (another over the same
        log: one that may write), in one transaction; return the events written. Nothing
        is written when any collides (an id taken, a version moved on since it was read).
        With ``most_events``, in transactions of about that many events each, an item's
        events never split (PostgreSQL's driver stalls on one insert of some 16,000)."""
        items: list[Any] = [i for i in self.items.values() if i.pending_events]
        count, writer = self.events(), into or self.ledger
        for part in _parts(items, most_events):
            before = {i.id: i.version - len(i.pending_events) for i in part}
            try:
                writer.save(*part)
            except IntegrityError:
                raise self._collision(writer, part, before) from None
        self.items.clear()
        return count

    @staticmethod
    def _collision(
        writer: LedgerBase, items: list[LedgerItem], versions: dict[UUID, int]
    ) -> AlreadyExists | ConcurrencyConflict:
        """What collided: the first item whose version in the log is not the one it was
        read at (``versions``, before the save took its events)."""
        for item in items:
            before = versions[item.id]
            held = writer.recorder.select_events(item.id, desc=True, limit=1)
            current = held[0].originator_version if held else 0
            if current != before:
                if before == 0:
                    return AlreadyExists(item.item_type, str(item.id))
                return ConcurrencyConflict(item.id, before, current)
        return ConcurrencyConflict(items[0].id, None, 0)


def _parts(items: list[Any], most_events: int | None) -> Iterator[list[Any]]:
    part: list[Any] = []
    size = 0
    for item in items:
        if part and most_events is not None and size + len(item.pending_events) > most_events:
            yield part
            part, size = [], 0
        part.append(item)
        size += len(item.pending_events)
    if part:
        yield part


class BatchWriting(LedgerBase):
    """``importing``: a batch of acts by one importer, written at once."""

    @contextmanager
    def importing(self, actor: Actor, request_id: str) -> Iterator[Batch]:
        """A batch of ``actor``'s imported acts under ``request_id``; the policy's input
        limits are in force while its items are made, and when it is saved."""
        check_text("request_id", request_id, 128)
        with enforcing(self.policy.inputs):
            yield Batch(self, actor, request_id)
