"""The dated totals' running sums (``projections.running_totals``) agree with summing the dated
rows themselves, for any batches of deltas and any day asked about."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, func, select

from projections import tables as t
from projections.bulk import add_deltas
from projections.running_totals import (
    RUNNING,
    add_running,
    companions,
    monthly_sums,
    summed,
    summed_between,
)
from tests.conftest import examples

FIRST = date(2021, 1, 1)
DELTAS = t.complaint_deltas
DIMS = ("channel", "metric")

days = st.integers(0, 800).map(lambda n: FIRST + timedelta(days=n))
delta_rows = st.dictionaries(
    st.tuples(days, st.sampled_from(("MEDIA", "HOTLINE_12345")), st.sampled_from(("a", "b"))),
    st.integers(-3, 3),
    max_size=12,
)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    made = create_engine("sqlite://")
    t.metadata.create_all(made, tables=[DELTAS, *companions(DELTAS)])
    yield made
    made.dispose()


def write(engine: Engine, batches: list[dict[tuple[Any, ...], int]]) -> None:
    """Each batch as a projection writes it: the dated rows, then their running sums."""
    with engine.begin() as conn:
        for table in (DELTAS, *companions(DELTAS)):
            conn.execute(table.delete())
        for batch in batches:
            dated = {key: value for key, value in batch.items() if value}
            add_deltas(conn, DELTAS, ("day", *DIMS), dated)
            add_running(conn, DELTAS, DIMS, dated)


def by_sql(engine: Engine, as_of: date, since: date | None = None) -> dict[tuple[Any, ...], int]:
    d = DELTAS
    bounds = [d.c.day <= as_of] + ([d.c.day >= since] if since is not None else [])
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.c.channel, d.c.metric, func.sum(d.c.delta))
            .where(*bounds)
            .group_by(d.c.channel, d.c.metric)
        )
        return {(channel, metric): int(total) for channel, metric, total in rows}


@settings(max_examples=examples(60))
@given(st.lists(delta_rows, max_size=4), st.lists(days, min_size=1, max_size=4))
def test_the_sums_as_of_any_day_are_those_of_the_dated_rows(
    engine: Engine, batches: list[dict[tuple[Any, ...], int]], asked: list[date]
) -> None:
    write(engine, batches)
    with engine.connect() as conn:
        for as_of in [*asked, FIRST + timedelta(days=900)]:
            found = {k: int(v) for k, v in summed(conn, DELTAS, DIMS, as_of).items()}
            assert found == by_sql(engine, as_of), as_of


@settings(max_examples=examples(60))
@given(st.lists(delta_rows, max_size=4), days, days)
def test_the_sums_between_two_days_are_those_of_the_rows_dated_between(
    engine: Engine, batches: list[dict[tuple[Any, ...], int]], one: date, other: date
) -> None:
    start, end = min(one, other), max(one, other)
    write(engine, batches)
    with engine.connect() as conn:
        found = {k: int(v) for k, v in summed_between(conn, DELTAS, DIMS, start, end).items()}
    expected = {k: v for k, v in by_sql(engine, end, since=start).items() if v}
    assert found == expected


@settings(max_examples=examples(60))
@given(st.lists(delta_rows, max_size=4), days)
def test_the_sums_by_month_are_those_of_each_months_rows_up_to_the_day(
    engine: Engine, batches: list[dict[tuple[Any, ...], int]], as_of: date
) -> None:
    write(engine, batches)
    expected: dict[tuple[Any, ...], int] = defaultdict(int)
    for batch in batches:
        for (day, channel, metric), value in batch.items():
            if value and day <= as_of:
                expected[(day.replace(day=1), channel, metric)] += value
    with engine.connect() as conn:
        found = {k: int(v) for k, v in monthly_sums(conn, DELTAS, DIMS, as_of).items()}
    assert {k: v for k, v in found.items() if v} == {k: v for k, v in expected.items() if v}


def test_an_empty_table_sums_to_nothing(engine: Engine) -> None:
    write(engine, [])
    with engine.connect() as conn:
        assert summed(conn, DELTAS, DIMS, FIRST) == {}
        assert monthly_sums(conn, DELTAS, DIMS, FIRST) == {}


def test_a_month_series_must_start_on_a_months_first_day(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(ValueError, match="first day of a month"):
        monthly_sums(conn, DELTAS, DIMS, FIRST, since=date(2021, 1, 2))


def test_every_delta_table_has_its_running_sums() -> None:
    for table in (t.complaint_deltas, t.team_deltas, t.legacy_deltas, t.unit_deltas):
        running = RUNNING[table]
        assert running.now.name == f"{table.name}_now"
        assert {c.name for c in running.months.primary_key} == {"month", *running.keys}
