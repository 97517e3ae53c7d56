"""Periods compare as periods: a year is not a text smaller than its quarters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.period import Period, check_begun, latest_begun

years = st.integers(min_value=2000, max_value=2099)
periods = st.builds(Period, years, st.none() | st.integers(min_value=1, max_value=4))


@given(periods)
def test_a_period_reads_back_from_its_own_text(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods, periods)
def test_a_period_that_ends_earlier_comes_first(a: Period, b: Period) -> None:
    if a.end < b.end:
        assert a < b and not b < a and max(a, b) == b


@given(periods, periods, periods)
def test_periods_are_totally_ordered(a: Period, b: Period, c: Period) -> None:
    assert (a < b) + (b < a) + (a == b) == 1
    if a <= b <= c:
        assert a <= c


@given(years)
def test_a_year_comes_after_each_of_its_quarters_and_before_the_next_year(year: int) -> None:
    whole = Period(year)
    assert all(q < whole for q in whole.quarters)
    assert whole < Period(year + 1, 1) < Period(year + 1)
    # As texts it is the other way round: "2021" < "2021-Q1".
    assert str(whole) < str(whole.quarters[0])


@given(periods)
def test_a_period_runs_from_its_first_to_its_last_day_and_contains_its_quarters(
    period: Period,
) -> None:
    assert period.start <= period.end
    assert (period.end + timedelta(days=1)).day == 1
    assert all(period.contains(q) for q in period.quarters)
    assert period.contains(period)
    assert Period(period.year).contains(period)
    assert not period.contains(Period(period.year + 1))


def test_quarters_start_and_end_on_the_calendars_days() -> None:
    assert (Period(2021, 1).start, Period(2021, 1).end) == (date(2021, 1, 1), date(2021, 3, 31))
    assert (Period(2021, 4).start, Period(2021, 4).end) == (date(2021, 10, 1), date(2021, 12, 31))
    assert (Period(2024).start, Period(2024).end) == (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize("text", ["21", "2021-Q5", "2021Q1", "2021-q1", "1999", "2021 ", ""])
def test_a_text_that_is_not_a_year_or_a_quarter_is_refused_naming_the_period(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Period.parse(text)
    assert caught.value.field == "period"


def test_a_period_that_has_not_begun_is_refused_naming_the_period() -> None:
    assert check_begun(Period(2021, 3), date(2021, 7, 1)) == Period(2021, 3)
    with pytest.raises(ValidationError) as caught:
        check_begun(Period(2021, 3), date(2021, 6, 30))
    assert caught.value.field == "period"


def test_the_latest_period_begun_by_a_day_is_compared_as_a_period_not_as_text() -> None:
    recorded = ["2021-Q3", "2021", "2021-Q4", "2030"]
    assert latest_begun(recorded, date(2022, 1, 15)) == Period(2021)
    assert latest_begun(recorded, date(2021, 11, 1)) == Period(2021)
    assert latest_begun(["2021-Q3", "2021-Q4", "2030"], date(2021, 11, 1)) == Period(2021, 4)
    assert latest_begun(["2030"], date(2021, 11, 1)) is None
