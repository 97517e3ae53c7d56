"""The rates of projections/rates.py: None on a zero denominator, one decimal otherwise."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from projections import rates

CountRate = Callable[[Mapping[str, int]], float | None]


def test_a_percentage_has_one_decimal_and_no_value_without_a_whole() -> None:
    assert rates.percent(0, 0) is None
    assert rates.percent(3, 0) is None
    assert rates.percent(0, 5) == 0.0
    assert rates.percent(5, 5) == 100.0
    assert rates.percent(1, 3) == 33.3  # 33.33...
    assert rates.percent(2, 3) == 66.7  # 66.66...
    assert rates.percent(1, 6) == 16.7  # 16.66...
    assert rates.percent(7, 8) == 87.5


@pytest.mark.parametrize(
    ("rate", "part", "whole"),
    [
        (rates.rectification_rate, "rectified", "to_rectify"),
        (rates.on_time_rate, "closed_on_time", "closed"),
        (rates.satisfaction_rate, "satisfied", "called_back"),
    ],
)
def test_each_case_rate_divides_its_own_two_counts(rate: CountRate, part: str, whole: str) -> None:
    assert rate({}) is None
    assert rate({part: 0, whole: 0}) is None
    assert rate({whole: 4}) == 0.0
    assert rate({part: 1, whole: 3}) == 33.3
    assert rate({part: 3, whole: 4}) == 75.0
    # Only its own counts matter.
    others = {"received": 9, "closed": 7, "rectified": 5, "unfounded": 2, "called_back": 8}
    assert rate({**others, part: 2, whole: 3}) == 66.7


def test_an_unfounded_review_is_in_neither_count_of_the_rectification_rate() -> None:
    # 2 founded cases, 1 rectified; 1 found unfounded with the appeal upheld.
    assert rates.rectification_rate({"to_rectify": 2, "rectified": 1, "unfounded": 1}) == 50.0


def test_the_mean_reply_time_is_working_days_over_replies() -> None:
    assert rates.mean_reply_working_days({}) is None
    assert rates.mean_reply_working_days({"replied": 0, "reply_working_days": 0}) is None
    assert rates.mean_reply_working_days({"replied": 2, "reply_working_days": 5}) == 2.5
    assert rates.mean_reply_working_days({"replied": 3, "reply_working_days": 7}) == 2.3  # 2.33
    assert rates.mean_reply_working_days({"replied": 3, "reply_working_days": 8}) == 2.7  # 2.67
    assert rates.mean_reply_working_days({"replied": 4, "reply_working_days": 0}) == 0.0


def test_open_cases_are_received_less_closed() -> None:
    assert rates.open_cases({}) == 0
    assert rates.open_cases({"received": 5}) == 5
    assert rates.open_cases({"received": 5, "closed": 3}) == 2
    assert rates.open_cases({"received": 5, "closed": 5, "unfounded": 1}) == 0


def test_the_legacy_and_task_rates_divide_their_arguments() -> None:
    assert rates.resolution_rate(0, 0) is None
    assert rates.resolution_rate(2, 5) == 40.0
    assert rates.resolution_rate(1, 3) == 33.3
    assert rates.on_time_task_rate(0, 0) is None
    assert rates.on_time_task_rate(0, 2) == 0.0
    assert rates.on_time_task_rate(2, 3) == 66.7
