"""Item state in a read model, evolved by the domain's own event ``apply`` methods.

A ``Bag`` carries the attributes an aggregate would have. Folding events into
it with each event's ``apply`` keeps the read side's idea of an item's state
identical to the domain's, without writing the lifecycle rules twice.
"""

from __future__ import annotations

from enum import Enum
from types import SimpleNamespace
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoding,
    UUIDAsHex,
)

from domain.assessment import AssessmentState
from domain.complaint_events import ComplaintState
from domain.interview import InterviewState
from domain.legacy_issue import LegacyState
from domain.legacy_target import TargetState
from domain.meta import LedgerCreated, LedgerEvent
from domain.referral import ReferralState
from domain.task_events import TaskState
from domain.transcodings import EnumAsValue, register_ledger_transcodings
from domain.unit import UnitState

STATE_ENUMS: tuple[type[Enum], ...] = (
    UnitState,
    TaskState,
    ComplaintState,
    LegacyState,
    TargetState,
    InterviewState,
    ReferralState,
    AssessmentState,
)


class Bag(SimpleNamespace):
    """The attributes of one item, plus its ``id``, ``item_type`` and ``version``."""

    id: Any
    item_type: str
    version: int


def fold(bag: Bag | None, event: LedgerEvent) -> Bag:
    """The bag after ``event`` (a new one for a creating event)."""
    if bag is None:
        if not isinstance(event, LedgerCreated):
            raise ValueError(
                f"{type(event).__qualname__} at version "
                f"{event.originator_version} has no item to apply to"
            )
        bag = Bag(id=event.originator_id, item_type=type(event).__qualname__.partition(".")[0])
    elif event.originator_version != bag.version + 1:
        raise ValueError(
            f"{type(event).__qualname__} is version {event.originator_version}, "
            f"but the item is at {bag.version}"
        )
    event.apply(bag)
    bag.version = event.originator_version
    bag.last_occurred_at = event.occurred_at
    return bag


class FrozensetAsList(Transcoding):
    type = frozenset
    name = "frozenset"

    def encode(self, obj: frozenset[Any]) -> list[Any]:
        return sorted(obj, key=str)

    def decode(self, data: list[Any]) -> frozenset[Any]:
        return frozenset(data)


class BagCodec:
    """Writes bags to bytes and back, with the ledger's own transcodings."""

    def __init__(self) -> None:
        self._transcoder = JSONTranscoder()
        for transcoding in _base_transcodings():
            self._transcoder.register(transcoding)
        register_ledger_transcodings(self._transcoder)
        self._transcoder.register(FrozensetAsList())
        for state_enum in STATE_ENUMS:
            self._transcoder.register(EnumAsValue(state_enum))

    def encode(self, bag: Bag) -> bytes:
        return self._transcoder.encode(vars(bag))

    def decode(self, data: bytes) -> Bag:
        return Bag(**self._transcoder.decode(bytes(data)))


def _base_transcodings() -> list[Transcoding]:
    return [UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()]
