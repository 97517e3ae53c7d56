"""企业评议机关: an enterprise's scores of an agency per criterion, once a quarter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.enterprise_evaluation import (
    CriterionScore,
    EnterpriseEvaluation,
    EvaluationState,
    evaluation_id_for,
)
from domain.errors import ValidationError
from tests.domain.builders import LEAD, OTHER, Clock, event_names

ATTITUDE, SPEED = "服务态度", "办事效率"


def evaluate(
    clock: Clock, quarter: str = "2021-Q3", *scores: tuple[str, str], enterprise: str = " 恒力石化 "
) -> EnterpriseEvaluation:
    rated = scores or ((ATTITUDE, "90"), (SPEED, "85.5"))
    return EnterpriseEvaluation.record(
        enterprise=enterprise,
        unit=LEAD,
        quarter=quarter,
        scores=[CriterionScore(c, Decimal(s)) for c, s in rated],
        meta=clock.next(),
    )


def test_an_enterprise_rates_an_agency_per_criterion_for_a_quarter(clock: Clock) -> None:
    e = evaluate(clock)
    assert (e.enterprise, e.unit, e.quarter) == ("恒力石化", LEAD, "2021-Q3")
    assert e.scores == [
        CriterionScore(ATTITUDE, Decimal(90)),
        CriterionScore(SPEED, Decimal("85.5")),
    ]
    assert e.mean == Decimal("87.8")
    assert e.state is EvaluationState.RECORDED
    assert event_names(e) == ["Recorded"]


def test_each_enterprise_agency_and_quarter_has_one_evaluation(clock: Clock) -> None:
    assert evaluate(clock).id == evaluation_id_for("恒力石化", LEAD, "2021-Q3")
    ids = {
        evaluation_id_for("恒力石化", LEAD, "2021-Q3"),
        evaluation_id_for("恒力石化", OTHER, "2021-Q3"),
        evaluation_id_for("恒力石化", LEAD, "2021-Q2"),
        evaluation_id_for("英特尔", LEAD, "2021-Q3"),
    }
    assert len(ids) == 4


@pytest.mark.parametrize("quarter", ["2021", "2021-Q4", "2022-Q1", "2021Q3"])
def test_a_year_a_quarter_not_begun_or_a_malformed_quarter_is_refused(
    clock: Clock, quarter: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate(clock, quarter)
    assert caught.value.field == "period"


@pytest.mark.parametrize(
    "scores",
    [
        (),
        ((ATTITUDE, "100.1"),),
        ((ATTITUDE, "-1"),),
        ((ATTITUDE, "NaN"),),
        ((ATTITUDE, "88.25"),),
        ((ATTITUDE, "90"), (ATTITUDE, "80")),
        ((" ", "90"),),
    ],
)
def test_scores_outside_0_to_100_a_criterion_twice_or_none_are_refused(
    clock: Clock, scores: tuple[tuple[str, str], ...]
) -> None:
    with pytest.raises(ValidationError) as caught:
        EnterpriseEvaluation.record(
            enterprise="恒力石化",
            unit=LEAD,
            quarter="2021-Q3",
            scores=[CriterionScore(c, Decimal(s)) for c, s in scores],
            meta=clock.next(),
        )
    assert caught.value.field == "scores"


def test_an_evaluation_names_its_enterprise(clock: Clock) -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate(clock, enterprise="  ")
    assert caught.value.field == "enterprise"
