"""结果公开发布: a quarter's unit scores are published once it has ended, with the formula's
version and weights; published again only with a reason and something new.

The clock stands at Friday 2021-09-17: 2021-Q2 has ended, 2021-Q3 has not."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from domain.calendar import CHINA_TIME
from domain.errors import ValidationError
from domain.policy import default_policy
from domain.quarter_scores import (
    PublicationState,
    PublishedScore,
    QuarterScores,
    quarter_scores_id_for,
)
from tests.domain.builders import LEAD, OTHER, Clock, assert_refused, event_names

FORMULA = default_policy().assessment_formula


def scores(*pairs: tuple[object, str, int]) -> list[PublishedScore]:
    given = pairs or ((LEAD, "91.5", 1), (OTHER, "78.0", 2))
    return [PublishedScore(unit, Decimal(s), rank) for unit, s, rank in given]  # type: ignore[arg-type]


def publish(clock: Clock, quarter: str = "2021-Q2", **kw: object) -> QuarterScores:
    return QuarterScores.publish(
        quarter=quarter,
        formula_version=FORMULA.version,
        formula=FORMULA.as_record(),
        scores=kw.get("given", scores()),  # type: ignore[arg-type]
        meta=clock.next(),
    )


def test_an_ended_quarters_scores_are_published_with_the_formula_they_were_computed_by(
    clock: Clock,
) -> None:
    q = publish(clock)
    assert q.id == quarter_scores_id_for("2021-Q2")
    assert (q.quarter, q.formula_version, q.publications) == ("2021-Q2", "2021.1", 1)
    assert q.formula["weight.efficiency"] == "30"
    assert [(s.unit, s.score, s.rank) for s in q.scores] == [
        (LEAD, Decimal("91.5"), 1),
        (OTHER, Decimal("78.0"), 2),
    ]
    assert q.state is PublicationState.PUBLISHED
    assert event_names(q) == ["Published"]


@pytest.mark.parametrize("quarter", ["2021-Q3", "2021-Q4", "2022-Q1"])
def test_a_quarter_still_under_way_or_to_come_is_not_published(clock: Clock, quarter: str) -> None:
    with pytest.raises(ValidationError, match="has not ended yet") as refused:
        publish(clock, quarter)
    assert refused.value.field == "quarter"


def test_a_quarter_is_published_from_the_day_after_its_last_day() -> None:
    last_day = Clock(datetime(2021, 6, 30, 22, 0, tzinfo=CHINA_TIME))  # acts at 23:00
    with pytest.raises(ValidationError, match="published from 2021-07-01"):
        publish(last_day)
    assert publish(Clock(datetime(2021, 6, 30, 23, 30, tzinfo=CHINA_TIME))).quarter == "2021-Q2"


def test_scores_are_published_by_quarter_not_by_year(clock: Clock) -> None:
    with pytest.raises(ValidationError, match="by quarter"):
        publish(clock, "2020")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([], "no unit to score"),
        (scores((LEAD, "90.0", 1), (LEAD, "80.0", 2)), "scored twice"),
        (scores((LEAD, "100.5", 1)), "0 to 100"),
        (scores((LEAD, "90.25", 1)), "one decimal place"),
        (scores((LEAD, "90.0", 0)), "ranks start at 1"),
    ],
)
def test_scores_out_of_shape_are_refused(
    clock: Clock, given: list[PublishedScore], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        publish(clock, given=given)


def test_a_republication_records_the_new_scores_formula_and_reason(clock: Clock) -> None:
    q = publish(clock)
    q.republish(
        formula_version="2022.1",
        formula={"weight.efficiency": "40"},
        scores=scores((LEAD, "88.0", 1), (OTHER, "79.5", 2)),
        reason="区住建局投诉办结日期更正",
        meta=clock.next(),
    )
    assert (q.formula_version, q.publications) == ("2022.1", 2)
    assert q.formula == {"weight.efficiency": "40"}
    assert q.scores[0].score == Decimal("88.0")
    assert event_names(q) == ["Published", "Republished"]


def test_a_republication_needs_a_reason(clock: Clock) -> None:
    q = publish(clock)
    assert_refused(
        q,
        ValidationError,
        lambda: q.republish(
            formula_version="2022.1",
            formula={},
            scores=scores(),
            reason=" ",
            meta=clock.next(),
        ),
        "reason",
    )


def test_publishing_the_same_scores_by_the_same_formula_again_is_refused(clock: Clock) -> None:
    q = publish(clock)
    assert_refused(
        q,
        ValidationError,
        lambda: q.republish(
            formula_version=FORMULA.version,
            formula=FORMULA.as_record(),
            scores=scores(),
            reason="再次发布",
            meta=clock.next(),
        ),
        "quarter",
    )


@pytest.mark.parametrize("quarter", ["2021Q2", "2021-Q5", "二〇二一年二季度"])
def test_a_quarter_not_written_as_one_is_refused_naming_the_quarter(
    clock: Clock, quarter: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        publish(clock, quarter)
    assert refused.value.field == "quarter"


def test_a_first_publication_keeps_the_reason_given_as_its_note(clock: Clock) -> None:
    q = QuarterScores.publish(
        quarter="2021-Q2",
        formula_version=FORMULA.version,
        formula=FORMULA.as_record(),
        scores=scores(),
        meta=clock.next(),
        note=" 第二季度考核结果 ",
    )
    assert q.pending_events[0].note == "第二季度考核结果"  # type: ignore[attr-defined]
