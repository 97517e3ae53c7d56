"""Reading a batch of the log for a runner: the stored rows checked first (when the
runner makes row checks), then the events of the item types its projections take,
each deserialised once for every projection that reads it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from eventsourcing.persistence import Notification

from domain.ledger import Ledger
from domain.log_rows import StoredRow
from domain.meta import LedgerEvent
from projections.projection import Change
from projections.row_checks import RowCheck, RowRefused
from projections.stored_rows import stored_rows
from projections.topics import item_type_of, topics_of


class BatchReader:
    """Reads the log between two positions, for the item types asked."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._topics: dict[frozenset[str], list[str]] = {}
        self._item_type_of: dict[str, str] = {}  # by topic

    def check_rows(
        self, start: int, end: int, row_checks: Sequence[RowCheck]
    ) -> tuple[Sequence[StoredRow] | None, RowRefused | None]:
        """The stored rows between two positions (inclusive), read once, and the first a
        row check refuses; (None, None) when the runner makes no checks. The first batch
        also reads any row slipped in before the log's first position."""
        if not row_checks:
            return None, None
        after = None if start <= 1 else start - 1
        rows: Sequence[StoredRow] = stored_rows(self.ledger.recorder, after, end, 1 << 62)
        try:
            for check in row_checks:
                check(rows)
        except RowRefused as refused:
            return rows, refused
        return rows, None

    def notifications_of(
        self, rows: Sequence[StoredRow], item_types: frozenset[str]
    ) -> list[Notification]:
        """The checked rows of the topics of ``item_types``, as the library's notifications."""
        wanted = set(self._topics_of(item_types))
        return [
            Notification(
                id=row.position,
                originator_id=row.item if isinstance(row.item, UUID) else UUID(str(row.item)),
                originator_version=row.version
                if isinstance(row.version, int)
                else int(str(row.version)),
                topic=str(row.topic),
                state=_stored_bytes(row.state),
            )
            for row in rows
            if row.topic in wanted
        ]

    def read(self, start: int, end: int, item_types: frozenset[str]) -> Sequence[Notification]:
        """The stored events between two positions (inclusive) of ``item_types``."""
        topics = self._topics_of(item_types)
        if not topics:
            return []
        return self.ledger.recorder.select_notifications(
            start=start, stop=end, limit=end - start + 1, topics=topics
        )

    def changes(
        self, notifications: Sequence[Notification], item_types: frozenset[str]
    ) -> list[Change]:
        """The events of ``item_types``, deserialised once for every projection that
        reads them."""
        to_event, types_of = self.ledger.mapper.to_domain_event, self._item_type_of
        changes = []
        for n in notifications:
            item_type = types_of.get(n.topic) or types_of.setdefault(n.topic, item_type_of(n.topic))
            if item_type in item_types:
                event = to_event(n)
                if isinstance(event, LedgerEvent):
                    changes.append(Change(n.id, event, item_type, _business_day(event)))
        return changes

    def _topics_of(self, item_types: frozenset[str]) -> list[str]:
        topics = self._topics.get(item_types)
        if topics is None:
            topics = self._topics[item_types] = topics_of(item_types)
        return topics


def _business_day(event: LedgerEvent) -> date | None:
    """The event's business day; None if it has none to give, for the projection that
    takes the event to fail on it, naming its position."""
    try:
        return event.business_date
    except (AttributeError, TypeError, ValueError, OverflowError):
        return None  # not a date-time, or one no calendar day can be given for


def _stored_bytes(state: object) -> bytes:
    """A stored state as bytes (as both databases return it)."""
    if isinstance(state, bytes | bytearray | memoryview):
        return bytes(state)
    raise TypeError(f"a stored state of type {type(state).__name__}")
