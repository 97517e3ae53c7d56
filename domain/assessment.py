"""Assessment: the two “+1”s of 5+1+1, recorded per unit and period.

成果运用转化 (results applied), 督导考核奖惩 (periodic unit assessment with
rewards and penalties) and the quarterly enterprise evaluation of agencies
(企业评议机关).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.period import Period, check_begun


class AssessmentKind(Enum):
    RESULTS_APPLIED = "results_applied"
    UNIT_ASSESSMENT = "unit_assessment"
    ENTERPRISE_EVALUATION = "enterprise_evaluation"


class Verdict(Enum):
    """Reward (奖), penalty (惩) or neither."""

    REWARD = "reward"
    PENALTY = "penalty"
    NONE = "none"


class AssessmentState(Enum):
    RECORDED = "recorded"


def assessment_id_for(unit: UUID, period: str, kind: AssessmentKind) -> UUID:
    """One assessment of each kind per unit and period."""
    return uuid5(NAMESPACE_URL, f"ledger:assessment:{unit}:{period}:{kind.value}")


class Assessment(LedgerItem):
    """A unit's score and verdict for one period (a year, or a quarter as 2021-Q2) that had
    begun when the act happened: a period still to come is refused."""

    item_type = "Assessment"

    class Recorded(LedgerCreated):
        unit: UUID
        period: str
        kind: AssessmentKind
        score: Decimal
        verdict: Verdict
        note: str

        def apply(self, a: Assessment) -> None:
            a.unit, a.period, a.kind = self.unit, self.period, self.kind
            a.score, a.verdict, a.note = self.score, self.verdict, self.note
            a.recorded_on = self.business_date
            a.state = AssessmentState.RECORDED

    class Revised(LedgerEvent):
        score: Decimal
        verdict: Verdict
        note: str
        reason: str

        def apply(self, a: Assessment) -> None:
            a.score, a.verdict, a.note = self.score, self.verdict, self.note

    if TYPE_CHECKING:
        unit: UUID
        period: str
        kind: AssessmentKind
        score: Decimal
        verdict: Verdict
        note: str
        recorded_on: date
        state: AssessmentState

    @classmethod
    def record(
        cls,
        *,
        unit: UUID,
        period: str,
        kind: AssessmentKind,
        score: Decimal,
        verdict: Verdict,
        note: str,
        meta: EventMeta,
    ) -> Assessment:
        period = str(check_begun(Period.parse(period), meta.business_date))
        return cls._start(
            cls.Recorded,
            meta,
            assessment_id_for(unit, period, kind),
            unit=unit,
            period=period,
            kind=kind,
            score=_score(score),
            verdict=verdict,
            note=note.strip(),
        )

    def revise(
        self, *, score: Decimal, verdict: Verdict, note: str, reason: str, meta: EventMeta
    ) -> None:
        self._emit(
            self.Revised,
            meta,
            score=_score(score),
            verdict=verdict,
            note=note.strip(),
            reason=require_text("reason", reason),
        )


def _score(score: Decimal) -> Decimal:
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError("score", "must be between 0 and 100")
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError("score", "has at most one decimal place (88.5, not 88.25)")
    return score
