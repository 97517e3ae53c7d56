"""企业评议机关: an enterprise rates an agency once a quarter (the 331 project: 每季度组织企业
开展一次评议机关活动, 结果公开发布, 纳入绩效考核).

One evaluation per enterprise, agency and quarter: its scores per criterion, 0 to 100. Who
rated is kept in the ledger for the office and inspectors; the rated unit sees its scores,
never the enterprise (``api.permissions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerItem
from domain.period import Period, check_begun


@dataclass(frozen=True)
class CriterionScore:
    """One criterion the enterprise rated (服务态度, 办事效率, ...) and its score, 0 to 100."""

    criterion: str
    score: Decimal


class EvaluationState(Enum):
    RECORDED = "recorded"


def evaluation_id_for(enterprise: str, unit: UUID, quarter: str) -> UUID:
    """One evaluation per enterprise (its name, trimmed), agency and quarter."""
    return uuid5(NAMESPACE_URL, f"ledger:enterprise-evaluation:{enterprise}:{unit}:{quarter}")


class EnterpriseEvaluation(LedgerItem):
    """An enterprise's scores of an agency for one quarter that had begun."""

    item_type = "EnterpriseEvaluation"

    class Recorded(LedgerCreated):
        enterprise: str
        unit: UUID
        quarter: str
        scores: list[CriterionScore]
        enterprise_id: UUID | None = None
        """The registered enterprise (``Enterprise``) rating, when named by its id; None when
        named by name alone, and for evaluations recorded before it was kept."""

        def apply(self, e: EnterpriseEvaluation) -> None:
            e.enterprise, e.unit, e.quarter = self.enterprise, self.unit, self.quarter
            e.enterprise_id = self.enterprise_id
            e.scores = list(self.scores)
            e.recorded_on = self.business_date
            e.state = EvaluationState.RECORDED

    if TYPE_CHECKING:
        enterprise: str
        enterprise_id: UUID | None
        unit: UUID
        quarter: str
        scores: list[CriterionScore]
        recorded_on: date
        state: EvaluationState

    @property
    def mean(self) -> Decimal:
        """The mean of the criteria's scores, to one decimal place."""
        total = sum((s.score for s in self.scores), Decimal(0))
        return (total / len(self.scores)).quantize(Decimal("0.1"))

    @classmethod
    def record(
        cls,
        *,
        enterprise: str,
        unit: UUID,
        quarter: str,
        scores: Sequence[CriterionScore],
        meta: EventMeta,
        enterprise_id: UUID | None = None,
    ) -> EnterpriseEvaluation:
        name = require_text("enterprise", enterprise)
        period = check_begun(Period.parse(quarter), meta.business_date)
        if period.quarter is None:
            raise ValidationError("period", "an enterprise evaluation is of a quarter (2021-Q2)")
        return cls._start(
            cls.Recorded,
            meta,
            evaluation_id_for(name, unit, str(period)),
            enterprise=name,
            unit=unit,
            quarter=str(period),
            scores=_scores(scores),
            enterprise_id=enterprise_id,
        )


def _scores(scores: Sequence[CriterionScore]) -> list[CriterionScore]:
    if not scores:
        raise ValidationError("scores", "must rate at least one criterion")
    checked: list[CriterionScore] = []
    for entry in scores:
        criterion = require_text("scores", entry.criterion)
        if criterion in (c.criterion for c in checked):
            raise ValidationError("scores", f"rates {criterion!r} twice")
        checked.append(CriterionScore(criterion, _score(entry.score)))
    return checked


def _score(score: Decimal) -> Decimal:
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError("scores", "each score must be between 0 and 100")
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError("scores", "each score has at most one decimal place")
    return score
