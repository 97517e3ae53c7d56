"""The ledger as it stands: set up on a policy and a calendar, the rules in force, items, their
events and their positions in the log. ``domain.ledger_base`` adds the writing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import JSONTranscoder, Recording

from domain.calendar import WorkingDayCalendar
from domain.clock import Clock, system_now
from domain.enterprise import Enterprise
from domain.errors import NotFound, ValidationError
from domain.holiday_calendar import HOLIDAY_CALENDAR_ID, HolidayCalendar
from domain.log_tables import event_position, item_positions
from domain.meta import LedgerEvent, LedgerItem
from domain.personal import Sealer, Unsealed
from domain.policy import Policy
from domain.text import check_entries
from domain.timeliness import TimeRules
from domain.transcodings import register_ledger_transcodings
from domain.unit import Unit, UnitState

Item = TypeVar("Item", bound=LedgerItem)


class LedgerReading(Application[UUID]):
    """Event-sourced application holding every supervision item."""

    name = "Ledger"
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        policy: Policy,
        calendar: WorkingDayCalendar | None = None,
        clock: Clock = system_now,
        sealer: Sealer | None = None,
    ) -> None:
        super().__init__(env)
        self.policy = policy
        self.sealer: Sealer = sealer or Unsealed()
        self.rules = TimeRules(policy, calendar or WorkingDayCalendar())
        """The policy on the calendar as this process last read it (see ``current_rules``)."""
        self.clock = clock
        self._calendar_version = 0
        self._calendar_lock = threading.Lock()
        self._commit_listeners: list[Callable[[int], None]] = []

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    def on_commit(self, listener: Callable[[int], None]) -> None:
        """Call ``listener`` with the newest position after every save in this process."""
        self._commit_listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        super()._notify(recordings)
        if recordings:
            newest = max(r.notification.id for r in recordings)
            for listener in self._commit_listeners:
                listener(newest)

    # reading

    def current_rules(self) -> TimeRules:
        """The time rules on the calendar as the log has it now: any holiday schedule
        adopted since (here or by another process) is taken in first, as a new calendar
        that replaces the old one whole."""
        try:
            book: HolidayCalendar = self.repository.get(HOLIDAY_CALENDAR_ID)
        except AggregateNotFoundError:
            return self.rules
        with self._calendar_lock:
            if book.version > self._calendar_version:
                calendar = self.rules.calendar.with_schedules(book.schedules)
                self.rules = TimeRules(self.policy, calendar)
                self._calendar_version = book.version
            return self.rules

    def get(self, cls: type[Item], item_id: UUID, version: int | None = None) -> Item:
        """The item as it stands (or at ``version``); ``NotFound`` if not a ``cls``."""
        try:
            item: LedgerItem = self.repository.get(item_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(cls.item_type, item_id) from None
        if not isinstance(item, cls):
            raise NotFound(cls.item_type, item_id)
        return item

    def exists(self, item_id: UUID) -> bool:
        return bool(self.recorder.select_events(item_id, limit=1))

    def item_events(self, item_id: UUID) -> list[LedgerEvent]:
        """Every event of one item, in version order."""
        events = [e for e in self.events.get(item_id) if isinstance(e, LedgerEvent)]
        if not events:
            raise NotFound("item", item_id)
        return events

    def position_of(self, item_id: UUID, version: int) -> int:
        """The global log position of one event of one item."""
        return event_position(self.recorder, item_id, version)

    def positions_of(self, item_id: UUID) -> dict[int, int]:
        """The global log position of each version of one item."""
        return item_positions(self.recorder, item_id)

    def check_units(self, field_name: str, unit_ids: Sequence[UUID]) -> None:
        """Every id names a registered unit that has not been merged away."""
        check_entries(field_name, unit_ids)
        for unit_id in unit_ids:
            try:
                unit = self.get(Unit, unit_id)
            except NotFound:
                raise ValidationError(field_name, f"no unit with id {unit_id}") from None
            if unit.state is UnitState.MERGED:
                raise ValidationError(field_name, f"{unit.name} was merged into another unit")

    def registered_enterprise(self, field_name: str, enterprise_id: UUID) -> Enterprise:
        """The registered enterprise of ``enterprise_id``; a ``ValidationError`` naming
        ``field_name`` when there is none."""
        try:
            return self.get(Enterprise, enterprise_id)
        except NotFound:
            raise ValidationError(field_name, f"no enterprise with id {enterprise_id}") from None
