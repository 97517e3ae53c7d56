"""督导考核奖惩: the score formula, term by term, and the policy's weights.

score = 100 × Σ wᵢ·rᵢ / Σ wᵢ − Σ pⱼ·nⱼ, within 0..100, to one decimal place; a rate with
nothing due is left out. The default weights: task_on_time 30, efficiency 30 (20, raised by
10 by the 331 project), rectification 20, enterprise_rating 20; penalties per count:
overdue_tasks 2, interviews 5, referrals 10, once_notice_breaches 1, late_answers 0.5.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.policy import default_policy
from domain.score_formula import (
    PENALTIES,
    RATES,
    Rate,
    ScoreFormula,
    UnitFigures,
    UnitScore,
    formula_from,
    ranked,
    score_of,
)
from tests.conftest import examples

FORMULA = default_policy().assessment_formula


def figures(rates: dict[str, tuple[int, int]] | None = None, **counts: int) -> UnitFigures:
    given_rates = {k: Rate(Decimal(m), Decimal(n)) for k, (m, n) in (rates or {}).items()}
    return UnitFigures("u", given_rates, counts)


def points(score: UnitScore) -> dict[str, str]:
    return {c.key: str(c.points) for c in score.components}


def test_the_default_formula_weighs_efficiency_ten_points_more_as_the_331_project_asks() -> None:
    assert FORMULA.version == "2021.1"
    assert FORMULA.weights == {
        "task_on_time": 30,
        "efficiency": 30,
        "rectification": 20,
        "enterprise_rating": 20,
    }
    assert FORMULA.penalties == {
        "overdue_tasks": 2,
        "interviews": 5,
        "referrals": 10,
        "once_notice_breaches": 1,
        "late_answers": Decimal("0.5"),
    }


def test_a_unit_meeting_every_rate_with_no_penalty_scores_full_marks() -> None:
    full = dict.fromkeys(RATES, (4, 4))
    score = score_of(figures(full), FORMULA)
    assert score.score == 100
    assert points(score) == {
        "task_on_time": "30.0",
        "efficiency": "30.0",
        "rectification": "20.0",
        "enterprise_rating": "20.0",
        **dict.fromkeys(PENALTIES, "0.0"),
    }


def test_each_rate_gives_its_weighted_share_and_each_penalty_takes_its_points_off() -> None:
    score = score_of(
        figures(
            {
                "task_on_time": (3, 4),  # 0.75 × 30 = 22.5
                "efficiency": (9, 10),  # 0.9 × 30 = 27
                "rectification": (1, 2),  # 0.5 × 20 = 10
                "enterprise_rating": (86, 100),  # 0.86 × 20 = 17.2
            },
            overdue_tasks=1,  # -2
            interviews=1,  # -5
            late_answers=3,  # -1.5
        ),
        FORMULA,
    )
    assert points(score)["enterprise_rating"] == "17.2"
    assert points(score)["late_answers"] == "-1.5"
    assert score.score == Decimal("68.2")  # 76.7 - 8.5


def test_a_rate_with_nothing_due_is_left_out_and_the_others_weigh_in_its_place() -> None:
    # only efficiency (0.5) and task_on_time (1.0) are due: 30/60 × 50 + 30/60 × 100 = 75
    score = score_of(figures({"efficiency": (1, 2), "task_on_time": (2, 2)}), FORMULA)
    assert score.score == 75
    left_out = [c.key for c in score.components if c.key in RATES and c.value is None]
    assert left_out == ["rectification", "enterprise_rating"]


def test_a_unit_with_nothing_to_measure_starts_from_full_marks_less_its_penalties() -> None:
    score = score_of(figures(referrals=1, once_notice_breaches=2), FORMULA)
    assert score.score == 88
    assert points(score)["full_marks"] == "100.0"


def test_a_score_never_falls_below_zero() -> None:
    assert score_of(figures({"efficiency": (0, 5)}, referrals=20), FORMULA).score == 0


def test_a_rate_over_its_due_counts_as_met_in_full_not_more() -> None:
    assert score_of(figures({"efficiency": (7, 5)}), FORMULA).score == 100


def test_equal_scores_share_a_rank_and_the_next_rank_skips() -> None:
    scores = [UnitScore(u, Decimal(s)) for u, s in (("a", 80), ("b", 90), ("c", 80), ("d", 70))]
    out = ranked(scores, {"a": "甲", "b": "乙", "c": "丙", "d": "丁"})
    assert [(s.unit, s.rank) for s in out] == [("b", 1), ("c", 2), ("a", 2), ("d", 4)]


def test_a_formula_recorded_with_a_publication_reads_back_the_same() -> None:
    record = FORMULA.as_record()
    assert record["weight.efficiency"] == "30"
    assert record["penalty.late_answers"] == "0.5"
    assert ScoreFormula.from_record("2021.1", record) == FORMULA


def policy_with(**formula: Any) -> dict[str, Any]:
    table = {
        "version": "2022.1",
        "weights": {"efficiency": 40},
        "penalties": {"interviews": 3},
    }
    table.update(formula)
    return {"assessment_formula": table}


def test_a_deployment_may_give_its_own_version_weights_and_penalties() -> None:
    formula = formula_from(policy_with())
    assert formula.version == "2022.1"
    assert formula.weights["efficiency"] == 40 and formula.weights["task_on_time"] == 0
    assert formula.penalties["interviews"] == 3 and formula.penalties["referrals"] == 0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"version": "2022 一"}, "policy.assessment_formula.version"),
        ({"weights": {"speed": 10}}, "policy.assessment_formula.weights.speed"),
        ({"weights": {"efficiency": -1}}, "policy.assessment_formula.weights.efficiency"),
        ({"weights": {"efficiency": "30"}}, "policy.assessment_formula.weights.efficiency"),
        ({"weights": {"efficiency": 0}}, "policy.assessment_formula.weights"),
        ({"penalties": {"interviews": True}}, "policy.assessment_formula.penalties.interviews"),
        ({"penalties": []}, "policy.assessment_formula.penalties"),
    ],
)
def test_a_bad_formula_in_the_policy_is_refused_naming_the_setting(
    change: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        formula_from(policy_with(**change))
    assert refused.value.field == named


shares = st.tuples(st.integers(0, 50), st.integers(0, 50))
unit_figures = st.builds(
    lambda rates, counts: UnitFigures(
        "u", {k: Rate(Decimal(m), Decimal(n)) for k, (m, n) in rates.items()}, counts
    ),
    st.dictionaries(st.sampled_from(RATES), shares),
    st.dictionaries(st.sampled_from(PENALTIES), st.integers(0, 40)),
)


@given(unit_figures)
@settings(max_examples=examples(200))
def test_every_score_lies_between_0_and_100_to_one_decimal_place(f: UnitFigures) -> None:
    score = score_of(f, FORMULA).score
    assert 0 <= score <= 100
    assert score == score.quantize(Decimal("0.1"))


@given(unit_figures, st.sampled_from(PENALTIES))
@settings(max_examples=examples(200))
def test_one_more_count_of_a_penalty_never_raises_a_score(f: UnitFigures, penalty: str) -> None:
    worse = UnitFigures("u", f.rates, {**f.counts, penalty: f.counts.get(penalty, 0) + 1})
    assert score_of(worse, FORMULA).score <= score_of(f, FORMULA).score


@given(unit_figures, st.sampled_from(RATES))
@settings(max_examples=examples(200))
def test_meeting_one_more_thing_due_never_lowers_a_score(f: UnitFigures, rate: str) -> None:
    was = f.rates.get(rate, Rate(Decimal(0), Decimal(0)))
    if was.due == 0 or was.met >= was.due:
        return
    better = UnitFigures("u", {**f.rates, rate: Rate(was.met + 1, was.due)}, f.counts)
    assert score_of(better, FORMULA).score >= score_of(f, FORMULA).score


def test_rates_and_counts_are_shown_plainly_to_four_decimal_places_at_most() -> None:
    score = score_of(
        figures({"task_on_time": (1, 3), "efficiency": (2, 2)}, interviews=10), FORMULA
    )
    shown = {c.key: str(c.value) for c in score.components if c.value is not None}
    assert (shown["task_on_time"], shown["efficiency"], shown["interviews"]) == (
        "0.3333",
        "1",
        "10",
    )
