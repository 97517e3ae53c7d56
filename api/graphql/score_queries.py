"""The Query root's unit scores (督导考核奖惩): by a formula, now, and as published."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Connection
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.guards import Allowed, own_unit
from api.graphql.reading import read_own_writes
from api.graphql.score_types import (
    PublishedQuarterScores,
    ScoreFormulaType,
    UnitScoreEntry,
    UnitScores,
)
from domain.errors import ValidationError
from domain.period import Period, check_begun
from domain.quarter_scores import quarter_of
from domain.score_formula import VERSION, ScoreFormula, UnitScore
from projections.views.published_scores import (
    formula_published,
    publication_of,
    published_versions,
)
from projections.views.unit_scores import Rating, enterprise_ratings, unit_scores

Info_ = Info[Context, Any]


@strawberry.type
class ScoreQueries:
    @strawberry.field(
        permission_classes=[Allowed],
        description="Every unit's score for a year (2021) or quarter (2021-Q2) that has begun, "
        "computed now from the ledger's figures by the formula of formulaVersion: the "
        "policy's (the default) or one a publication used. A unit's staff see their unit's.",
    )
    async def unit_scores(
        self, info: Info_, period: str, formula_version: str | None = None
    ) -> UnitScores:
        await read_own_writes(info.context)
        services = info.context.services
        begun = str(check_begun(Period.parse(period), services.today()))
        current = services.ledger.policy.assessment_formula
        formula, scores, ratings = await services.read(
            _scores_by, begun, formula_version, current, services.today()
        )
        unit = own_unit(info)
        return UnitScores(
            period=begun,
            formula=ScoreFormulaType.of(formula),
            entries=[
                UnitScoreEntry.of(s, ratings.get(s.unit)) for s in scores if unit in (None, s.unit)
            ],
        )

    @strawberry.field(
        permission_classes=[Allowed],
        description="A quarter's unit scores as published (结果公开发布), with the formula "
        "they were computed by; null before the quarter is published.",
    )
    async def quarter_scores(self, info: Info_, quarter: str) -> PublishedQuarterScores | None:
        await read_own_writes(info.context)
        quarter_of(quarter)
        found = await info.context.services.read(publication_of, quarter)
        return PublishedQuarterScores.of(found)


def _scores_by(
    conn: Connection, period: str, version: str | None, current: ScoreFormula, today: date
) -> tuple[ScoreFormula, list[UnitScore], dict[str, Rating]]:
    formula = _formula(conn, version, current)
    ratings = enterprise_ratings(conn, period)
    return formula, unit_scores(conn, period, formula, today, ratings), ratings


def _formula(conn: Connection, version: str | None, current: ScoreFormula) -> ScoreFormula:
    """The formula of ``version``: the policy's (no version), or the one a publication used
    (the policy's version as published, if it was)."""
    if version is None:
        return current
    if not VERSION.fullmatch(version):
        raise ValidationError("formulaVersion", "is letters, digits, . _ - (32 at most)")
    found = formula_published(conn, version)
    if found is None and version == current.version:
        return current
    if found is None:
        known = ", ".join([current.version, *published_versions(conn)])
        raise ValidationError("formulaVersion", f"no formula {version!r} (known: {known})")
    return found
