"""Assessment: one score and verdict per unit, period and kind; revised with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Verdict,
    assessment_id_for,
)
from domain.errors import ValidationError
from tests.domain.builders import LEAD, OTHER, Clock, assert_refused, event_names

KIND = AssessmentKind.UNIT_ASSESSMENT


def record(clock: Clock, period: str = "2021", score: str = "92.5") -> Assessment:
    return Assessment.record(
        unit=LEAD,
        period=period,
        kind=KIND,
        score=Decimal(score),
        verdict=Verdict.REWARD,
        note=" 优秀 ",
        meta=clock.next(),
    )


@pytest.mark.parametrize("period", ["2021", "2021-Q1", "2021-Q3", "2020-Q4"])
def test_an_assessment_is_recorded_for_a_year_or_a_quarter_already_begun(
    clock: Clock, period: str
) -> None:
    a = record(clock, period)
    assert (a.unit, a.period, a.kind) == (LEAD, period, KIND)
    assert (a.score, a.verdict, a.note) == (Decimal("92.5"), Verdict.REWARD, "优秀")
    assert a.state is AssessmentState.RECORDED
    assert a.id == assessment_id_for(LEAD, period, KIND)
    assert event_names(a) == ["Recorded"]


@pytest.mark.parametrize("period", ["2021-Q4", "2022", "2022-Q1", "2030"])
def test_an_assessment_for_a_period_that_has_not_begun_is_refused(
    clock: Clock, period: str
) -> None:
    # The clock stands in 2021-Q3.
    with pytest.raises(ValidationError) as caught:
        record(clock, period)
    assert caught.value.field == "period"


def test_each_unit_period_and_kind_has_its_own_assessment_id() -> None:
    ids = {
        assessment_id_for(LEAD, "2021", KIND),
        assessment_id_for(OTHER, "2021", KIND),
        assessment_id_for(LEAD, "2021-Q1", KIND),
        assessment_id_for(LEAD, "2021", AssessmentKind.ENTERPRISE_EVALUATION),
    }
    assert len(ids) == 4
    assert assessment_id_for(LEAD, "2021", KIND) == assessment_id_for(LEAD, "2021", KIND)


@pytest.mark.parametrize(
    "period", ["21", "2021-Q5", "2021-Q0", "2021Q1", "2021-q1", "1999", "2021-H1", ""]
)
def test_a_period_that_is_not_a_year_or_a_quarter_is_refused(clock: Clock, period: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(clock, period)
    assert caught.value.field == "period"


def test_a_period_with_a_trailing_newline_is_refused_not_stored_as_a_second_period(
    clock: Clock,
) -> None:
    # "2021\n" would otherwise get an assessment id of its own beside "2021".
    assert assessment_id_for(LEAD, "2021\n", KIND) != assessment_id_for(LEAD, "2021", KIND)
    with pytest.raises(ValidationError) as caught:
        record(clock, "2021\n")
    assert caught.value.field == "period"


@pytest.mark.parametrize("score", ["0", "100", "100.00", "59.9"])
def test_scores_from_0_to_100_are_accepted(clock: Clock, score: str) -> None:
    assert record(clock, score=score).score == Decimal(score)


@pytest.mark.parametrize("score", ["-0.01", "100.01", "NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_score_outside_0_to_100_is_refused(clock: Clock, score: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(clock, score=score)
    assert caught.value.field == "score"


def test_a_revised_assessment_takes_the_new_score_and_verdict(clock: Clock) -> None:
    a = record(clock)
    a.revise(
        score=Decimal("58"),
        verdict=Verdict.PENALTY,
        note="复核扣分",
        reason="申诉复核",
        meta=clock.next(),
    )
    assert (a.score, a.verdict, a.note, a.version) == (
        Decimal("58"),
        Verdict.PENALTY,
        "复核扣分",
        2,
    )
    assert event_names(a) == ["Recorded", "Revised"]


@pytest.mark.parametrize(
    ("score", "reason", "field"), [("101", "r", "score"), ("50", " ", "reason")]
)
def test_a_revision_with_a_bad_score_or_no_reason_is_refused(
    clock: Clock, score: str, reason: str, field: str
) -> None:
    a = record(clock)
    assert_refused(
        a,
        ValidationError,
        lambda: a.revise(
            score=Decimal(score), verdict=Verdict.NONE, note="", reason=reason, meta=clock.next()
        ),
        field,
    )
    assert a.score == Decimal("92.5")


@pytest.mark.parametrize("score", ["88.25", "59.99", "0.05"])
def test_a_score_with_more_than_one_decimal_place_is_refused(clock: Clock, score: str) -> None:
    # The read models keep one decimal place: a finer score would read back rounded.
    with pytest.raises(ValidationError) as caught:
        record(clock, score=score)
    assert caught.value.field == "score"
