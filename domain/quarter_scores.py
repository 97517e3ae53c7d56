"""A quarter's unit scores as published (督导考核奖惩, 结果公开发布): the scores of every unit
by the ledger's formula, with the formula's version and weights as they were used.

Published once a quarter has ended; published again (with the reason) when the figures
behind it were corrected or the formula changed: each publication keeps what it used, and
the league shows the latest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.period import Period
from domain.score_formula import UnitScore


@dataclass(frozen=True)
class PublishedScore:
    """A unit's score and rank as published, with each term's value (``rates``: a rate's
    share 0-1, a penalty's count) and points (``parts``), by the term's key, as text."""

    unit: UUID
    score: Decimal
    rank: int
    rates: Mapping[str, str] = field(default_factory=dict)
    parts: Mapping[str, str] = field(default_factory=dict)
    rating: Decimal | None = None
    """The enterprises' mean rating of the unit for the quarter the score used (企业评议)."""
    evaluations: int = 0
    """How many evaluations that mean is of."""


class PublicationState(Enum):
    PUBLISHED = "published"


def quarter_scores_id_for(quarter: str) -> UUID:
    """One publication item per quarter."""
    return uuid5(NAMESPACE_URL, f"ledger:quarter-scores:{quarter}")


class QuarterScores(LedgerItem):
    """The published scores of a quarter that has ended."""

    item_type = "QuarterScores"

    class Published(LedgerCreated):
        quarter: str
        formula_version: str
        formula: dict[str, str]
        entries: list[PublishedScore]
        """Every unit scored, in rank order (by name within a rank)."""
        note: str = ""

        def apply(self, q: QuarterScores) -> None:
            q.quarter = self.quarter
            q.formula_version, q.formula = self.formula_version, dict(self.formula)
            q.scores, q.published_on = list(self.entries), self.business_date
            q.first_published_on = self.business_date
            q.publications, q.state = 1, PublicationState.PUBLISHED

    class Republished(LedgerEvent):
        formula_version: str
        formula: dict[str, str]
        entries: list[PublishedScore]
        reason: str

        def apply(self, q: QuarterScores) -> None:
            q.formula_version, q.formula = self.formula_version, dict(self.formula)
            q.scores, q.published_on = list(self.entries), self.business_date
            q.publications += 1

    if TYPE_CHECKING:
        quarter: str
        formula_version: str
        formula: dict[str, str]
        scores: list[PublishedScore]
        published_on: date
        first_published_on: date
        publications: int
        state: PublicationState

    @classmethod
    def publish(
        cls,
        *,
        quarter: str,
        formula_version: str,
        formula: Mapping[str, str],
        scores: Sequence[PublishedScore],
        meta: EventMeta,
        note: str = "",
    ) -> QuarterScores:
        period = ended_quarter(quarter, meta.business_date)
        return cls._start(
            cls.Published,
            meta,
            quarter_scores_id_for(str(period)),
            quarter=str(period),
            formula_version=formula_version,
            formula=dict(formula),
            entries=checked_scores(scores),
            note=note.strip(),
        )

    def republish(
        self,
        *,
        formula_version: str,
        formula: Mapping[str, str],
        scores: Sequence[PublishedScore],
        reason: str,
        meta: EventMeta,
    ) -> None:
        checked = checked_scores(scores)
        if (formula_version, dict(formula), checked) == (
            self.formula_version,
            self.formula,
            self.scores,
        ):
            raise ValidationError(
                "quarter",
                f"{self.quarter} was published with these scores by formula "
                f"{formula_version}: nothing to publish again",
            )
        self._emit(
            self.Republished,
            meta,
            formula_version=formula_version,
            formula=dict(formula),
            entries=checked,
            reason=require_text("reason", reason),
        )


def quarter_of(text: str) -> Period:
    """The quarter ``text`` names (2021-Q2); anything else a ``ValidationError`` on
    ``quarter``."""
    try:
        period = Period.parse(text)
    except ValidationError as error:
        raise ValidationError("quarter", error.message) from None
    if period.quarter is None:
        raise ValidationError("quarter", "scores are published by quarter (2021-Q2)")
    return period


def ended_quarter(text: str, day: date) -> Period:
    """The quarter ``text`` names, if it had ended by ``day``; else a ``ValidationError``."""
    period = quarter_of(text)
    if day <= period.end:
        raise ValidationError(
            "quarter", f"{period} has not ended yet: its scores are published from {_after(period)}"
        )
    return period


def _after(period: Period) -> date:
    return date.fromordinal(period.end.toordinal() + 1)


def checked_scores(scores: Sequence[PublishedScore]) -> list[PublishedScore]:
    """Scores between 0 and 100 to one decimal place, one per unit, ranks from 1."""
    if not scores:
        raise ValidationError("scores", "no unit to score")
    seen: set[UUID] = set()
    for entry in scores:
        if entry.unit in seen:
            raise ValidationError("scores", f"unit {entry.unit} is scored twice")
        seen.add(entry.unit)
        if not Decimal(0) <= entry.score <= Decimal(100) or entry.score != round(entry.score, 1):
            raise ValidationError("scores", "each score is 0 to 100, to one decimal place")
        if entry.rank < 1:
            raise ValidationError("scores", "ranks start at 1")
    return list(scores)


def published(
    score: UnitScore, unit: UUID, rating: Decimal | None = None, evaluations: int = 0
) -> PublishedScore:
    """``score`` (of ``unit``) as a publication records it, with the enterprises' mean
    rating it used and how many evaluations that is of."""
    return PublishedScore(
        unit=unit,
        score=score.score,
        rank=score.rank,
        rates={c.key: str(c.value) for c in score.components if c.value is not None},
        parts={c.key: str(c.points) for c in score.components},
        rating=rating,
        evaluations=evaluations,
    )
