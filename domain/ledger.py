"""The Ledger: the only writer of the supervision ledger (an eventsourcing Application).

One short method per command (in the mixins it is built from); every one
stamps who and when, checks optimistic concurrency and idempotency, and saves
atomically. Reading back: typed getters and history at a version, at a
business date, or as known at a record time.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.errors import NotFound
from domain.ledger_access import AccessCommands
from domain.ledger_batches import BatchWriting
from domain.ledger_calendar import CalendarCommands
from domain.ledger_complaints import ComplaintCommands
from domain.ledger_enterprises import EnterpriseCommands
from domain.ledger_legacy_issues import LegacyIssueCommands
from domain.ledger_measures import MeasureCommands
from domain.ledger_oversight import OversightCommands
from domain.ledger_scores import ScoreCommands
from domain.ledger_tasks import UnitAndTaskCommands
from domain.ledger_timed_acts import TimedActCommands
from domain.meta import LedgerEvent, LedgerItem


class Ledger(
    UnitAndTaskCommands,
    ComplaintCommands,
    LegacyIssueCommands,
    OversightCommands,
    ScoreCommands,
    MeasureCommands,
    EnterpriseCommands,
    AccessCommands,
    CalendarCommands,
    TimedActCommands,
    BatchWriting,
):
    """Every command of the supervision ledger, and its history."""

    name = "Ledger"

    def history(
        self,
        item_id: UUID,
        *,
        as_of_version: int | None = None,
        as_of: datetime | None = None,
        known_at: datetime | None = None,
    ) -> list[LedgerEvent]:
        """The item's events as far as the given version, business time and record time.

        ``known_at`` keeps what had been recorded by then; ``as_of`` keeps what
        had happened by then. Business time never runs backwards within an item,
        so both cut the history at a prefix.
        """
        events = self.item_events(item_id)
        if as_of_version is not None:
            events = [e for e in events if e.originator_version <= as_of_version]
        if known_at is not None:
            events = [e for e in events if e.recorded_at <= known_at]
        if as_of is not None:
            events = [e for e in events if e.occurred_at <= as_of]
        return events

    def state_at(
        self,
        item_id: UUID,
        *,
        as_of_version: int | None = None,
        as_of: datetime | None = None,
        known_at: datetime | None = None,
    ) -> LedgerItem:
        """The item rebuilt from ``history(...)``; ``NotFound`` if it did not exist yet."""
        events = self.history(item_id, as_of_version=as_of_version, as_of=as_of, known_at=known_at)
        item: LedgerItem | None = None
        for event in events:
            item = event.mutate(item)
        if item is None:
            raise NotFound("item", item_id)
        return item
