"""督导考核奖惩 in the API: the score formula's terms, units' scores by a formula, and a
quarter's scores as published (结果公开发布), with the enterprises' ratings (企业评议机关)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.unit_node import Unit, unit_node
from domain.score_formula import PENALTIES, RATES, Component, ScoreFormula, UnitScore
from projections.views import published_scores as ps
from projections.views.unit_scores import Rating


@strawberry.type(
    description="A term of the score formula: a rate (its weight in the weighted mean) or a "
    "penalty (the points one count of it takes off)."
)
class FormulaTerm:
    key: str = strawberry.field(
        description="task_on_time, efficiency, rectification, enterprise_rating; "
        "overdue_tasks, interviews, referrals, once_notice_breaches, late_answers."
    )
    penalty: bool
    weight: Decimal

    @classmethod
    def all_of(cls, formula: ScoreFormula) -> list[FormulaTerm]:
        rates = [
            cls(key=k, penalty=False, weight=formula.weights.get(k, Decimal(0))) for k in RATES
        ]
        return rates + [
            cls(key=k, penalty=True, weight=formula.penalties.get(k, Decimal(0))) for k in PENALTIES
        ]


@strawberry.type(
    name="ScoreFormula", description="A score formula: its version and its terms' weights."
)
class ScoreFormulaType:
    version: str
    terms: list[FormulaTerm]

    @classmethod
    def of(cls, formula: ScoreFormula) -> ScoreFormulaType:
        return cls(version=formula.version, terms=FormulaTerm.all_of(formula))


@strawberry.type(
    description="One term of a unit's score: a rate's share (0 to 1, null when nothing was "
    "due: left out) or a penalty's count, and the points it gives (a penalty's negative)."
)
class ScoreTerm:
    key: str
    value: Decimal | None
    points: Decimal

    @classmethod
    def of(cls, c: Component) -> ScoreTerm:
        return cls(key=c.key, value=c.value, points=c.points)


@strawberry.type(
    description="企业评议机关: the enterprises' ratings of a unit in the period (who rated is "
    "never shown): the mean, of 100, and how many evaluations."
)
class EnterpriseRating:
    mean: Decimal
    evaluations: int

    @classmethod
    def of(cls, r: Rating | None) -> EnterpriseRating | None:
        return None if r is None else cls(mean=r.mean, evaluations=r.evaluations)


@strawberry.type(description="A unit's score and rank, with each term of it.")
class UnitScoreEntry:
    score: Decimal
    rank: int
    terms: list[ScoreTerm]
    enterprise_rating: EnterpriseRating | None
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, s: UnitScore, rating: Rating | None) -> UnitScoreEntry:
        return cls(
            score=s.score,
            rank=s.rank,
            terms=[ScoreTerm.of(c) for c in s.components],
            enterprise_rating=EnterpriseRating.of(rating),
            unit_id=s.unit,
        )

    @classmethod
    def published(cls, e: ps.PublishedEntry) -> UnitScoreEntry:
        return cls(
            score=e.score,
            rank=e.rank,
            terms=_terms(e.rates, e.parts),
            enterprise_rating=EnterpriseRating.of(e.rating),
            unit_id=e.unit,
        )


def _terms(rates: Mapping[str, str], parts: Mapping[str, str]) -> list[ScoreTerm]:
    return [
        ScoreTerm(
            key=key,
            value=Decimal(rates[key]) if key in rates else None,
            points=Decimal(points),
        )
        for key, points in parts.items()
    ]


@strawberry.type(
    description="Every unit's score for a period by a formula, computed from the ledger's "
    "figures now (not a publication)."
)
class UnitScores:
    period: str
    formula: ScoreFormulaType
    entries: list[UnitScoreEntry]


@strawberry.type(
    description="A quarter's unit scores as published (结果公开发布): the formula's version and "
    "weights they were computed by, the day of the latest publication and how many there "
    "were (a republication corrects the figures or applies a new formula)."
)
class PublishedQuarterScores:
    quarter: str
    formula: ScoreFormulaType
    published_on: date
    publications: int
    entries: list[UnitScoreEntry]

    @classmethod
    def of(cls, p: ps.Publication | None) -> PublishedQuarterScores | None:
        if p is None:
            return None
        return cls(
            quarter=p.quarter,
            formula=ScoreFormulaType.of(p.formula),
            published_on=p.published_on,
            publications=p.publications,
            entries=[UnitScoreEntry.published(e) for e in p.entries],
        )
