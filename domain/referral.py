"""Referral (移交纪检监察): a case handed to discipline inspection."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem


class ReferralState(Enum):
    MADE = "made"
    ACKNOWLEDGED = "acknowledged"
    CONCLUDED = "concluded"


S = ReferralState


class Referral(LedgerItem):
    """A referral citing its evidence as ledger positions an inspector can check."""

    item_type = "Referral"

    class Made(LedgerCreated):
        unit: UUID
        persons: list[str]
        reason: str
        evidence: list[int]
        cited_items: list[UUID]

        def apply(self, r: Referral) -> None:
            r.unit, r.persons, r.reason = self.unit, tuple(self.persons), self.reason
            r.evidence, r.cited_items = tuple(self.evidence), tuple(self.cited_items)
            r.outcome, r.accountable = None, None
            r.state = S.MADE

    class Acknowledged(LedgerEvent):
        note: str

        def apply(self, r: Referral) -> None:
            r.state = S.ACKNOWLEDGED

    class OutcomeRecorded(LedgerEvent):
        outcome: str
        accountable: bool

        def apply(self, r: Referral) -> None:
            r.outcome, r.accountable = self.outcome, self.accountable
            r.state = S.CONCLUDED

    if TYPE_CHECKING:
        unit: UUID
        persons: tuple[str, ...]
        reason: str
        evidence: tuple[int, ...]
        cited_items: tuple[UUID, ...]
        outcome: str | None
        accountable: bool | None
        state: ReferralState

    @classmethod
    def make(
        cls,
        item_id: UUID,
        *,
        unit: UUID,
        persons: Sequence[str],
        reason: str,
        evidence: Sequence[int],
        cited_items: Sequence[UUID],
        meta: EventMeta,
    ) -> Referral:
        if not evidence or any(p < 1 for p in evidence):
            raise ValidationError("evidence", "cite one or more event positions (>= 1)")
        return cls._start(
            cls.Made,
            meta,
            item_id,
            unit=unit,
            persons=[p.strip() for p in persons if p.strip()],
            reason=require_text("reason", reason),
            evidence=sorted(set(evidence)),
            cited_items=list(dict.fromkeys(cited_items)),
        )

    def acknowledge(self, note: str, meta: EventMeta) -> None:
        self._require("be acknowledged", S.MADE)
        self._emit(self.Acknowledged, meta, note=note.strip())

    def record_outcome(self, outcome: str, accountable: bool, meta: EventMeta) -> None:
        self._require("record an outcome", S.ACKNOWLEDGED)
        self._emit(
            self.OutcomeRecorded,
            meta,
            outcome=require_text("outcome", outcome),
            accountable=accountable,
        )
