"""Who, when and why: the metadata every ledger event carries.

``occurred_at`` is business time: when the act happened, as the caller says.
``recorded_at`` is the server clock at the moment the ledger accepted it (the
library's event ``timestamp``), never taken from a caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.calendar import CHINA_TIME
from domain.errors import BusinessTimeRefused, InvalidTransition
from domain.text import check_fields


class Role(Enum):
    """What the actor is to the ledger (DESIGN.md, Roles)."""

    OFFICE = "office"
    UNIT = "unit"
    INSPECTOR = "inspector"
    LEADER = "leader"
    VIEWER = "viewer"


@dataclass(frozen=True)
class Actor:
    """The principal behind an act: an id, a role and, for unit staff, the unit."""

    id: str
    role: Role
    unit: UUID | None = None


CLOCK_SKEW = timedelta(seconds=5)
"""How far the clocks of the ledger's processes may disagree: a business time this little
ahead of the recording clock is not "in the future"."""


@dataclass(frozen=True)
class EventMeta:
    """Stamped on every event of one command.

    ``imported`` marks acts entered from an earlier record (the 2021 plan, a
    migration): they may be back-dated beyond the entry limit, and say so.
    """

    actor: Actor
    occurred_at: datetime
    recorded_at: datetime
    request_id: str
    imported: bool = False

    @property
    def business_date(self) -> date:
        """The day the act happened, in Beijing time."""
        return self.occurred_at.astimezone(CHINA_TIME).date()

    def check_business_time(self, max_backdate_days: int | None) -> None:
        """Refuse business times in the future or back-dated beyond the limit (None: no
        limit, for the timed acts of the ledger's own clock)."""
        if self.occurred_at.tzinfo is None:
            raise BusinessTimeRefused("must carry a time zone")
        if self.occurred_at > self.recorded_at + CLOCK_SKEW:
            raise BusinessTimeRefused(f"{self.occurred_at.isoformat()} is in the future")
        lag = self.recorded_at - self.occurred_at
        if max_backdate_days is None or self.imported:
            return
        if lag > timedelta(days=max_backdate_days):
            raise BusinessTimeRefused(
                f"back-dated by {lag.days} days {lag.seconds // 3600} hours; "
                f"the limit is {max_backdate_days} days"
            )


COMMON_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "actor",
        "occurred_at",
        "request_id",
        "imported",
        "class_version",
    }
)
"""The fields every ledger event carries (and the version the storage writes beside an event
class's second version and later); the rest are the event's own."""


class LedgerEvent(Aggregate.Event):
    """Base of every ledger event: carries the actor, business time and request."""

    actor: Actor
    occurred_at: datetime
    request_id: str
    imported: bool

    @property
    def business_date(self) -> date:
        """The day the act happened, in Beijing time."""
        return self.occurred_at.astimezone(CHINA_TIME).date()

    @property
    def recorded_at(self) -> datetime:
        """Server time at which the ledger recorded the event."""
        return self.timestamp

    def mutate(self, aggregate: Any) -> Any:
        mutated = super().mutate(aggregate)
        assert mutated is not None
        mutated.last_occurred_at = self.occurred_at
        return mutated


class LedgerCreated(LedgerEvent, Aggregate.Created):
    """Base of the first event of every ledger item."""


class LedgerItem(Aggregate):
    """Base of the ledger's aggregates: emits events stamped with ``EventMeta``."""

    item_type = "Item"
    if TYPE_CHECKING:  # set by the events; kept out of the dataclass __init__
        state: Enum
        last_occurred_at: datetime

    @classmethod
    def _start(
        cls,
        event_class: type[LedgerCreated],
        meta: EventMeta,
        item_id: UUID,
        **fields: Any,
    ) -> Self:
        check_fields(fields)
        return cls._create(
            event_class,
            id=item_id,
            timestamp=meta.recorded_at,
            **_stamp(meta),
            **fields,
        )

    def _emit(self, event_class: type[LedgerEvent], meta: EventMeta, **fields: Any) -> None:
        check_fields(fields)
        if meta.occurred_at < self.last_occurred_at:
            raise BusinessTimeRefused(
                f"{meta.occurred_at.isoformat()} is before this item's last act "
                f"({self.last_occurred_at.isoformat()})"
            )
        self.trigger_event(event_class, timestamp=meta.recorded_at, **_stamp(meta), **fields)

    def _require(self, step: str, *allowed: Enum, why: str = "") -> None:
        """Raise ``InvalidTransition`` unless the item is in one of ``allowed``."""
        if self.state not in allowed:
            raise InvalidTransition(self.item_type, self.state.value, step, why)

    def _refuse(self, step: str, why: str) -> InvalidTransition:
        return InvalidTransition(self.item_type, self.state.value, step, why)


def _stamp(meta: EventMeta) -> dict[str, Any]:
    return {
        "actor": meta.actor,
        "occurred_at": meta.occurred_at,
        "request_id": meta.request_id,
        "imported": meta.imported,
    }
