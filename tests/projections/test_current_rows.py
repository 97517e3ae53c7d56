"""The timelines' current rows (``projections.current_rows``) hold each item's latest row, however
the log was written and followed; as of a day before the latest, the timeline is read instead."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Table, and_, func, select

from api.cli.generate import simulate
from projections.current_rows import CURRENT, standing
from projections.views.timelines import latest_days
from tests.conftest import examples
from tests.projections.engine_builders import activity, ledger_at, register_units, runner_at

SETTINGS = settings(
    max_examples=examples(10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def as_it_stood(conn: Connection, timeline: Table, as_of: Any) -> set[tuple[Any, ...]]:
    """Each item's latest row on or before ``as_of``, read from the timeline itself."""
    key, day = timeline.c[CURRENT[timeline].key], timeline.c[CURRENT[timeline].day]
    latest = latest_days(key, day, as_of)
    rows = conn.execute(
        select(*timeline.columns).join_from(
            latest, timeline, and_(key == latest.c[key.name], day == latest.c.day)
        )
    )
    return {tuple(row) for row in rows}


def stood(conn: Connection, timeline: Table, as_of: Any) -> set[tuple[Any, ...]]:
    found = standing(conn, timeline, as_of)
    return {tuple(row) for row in conn.execute(select(*(found.c[c.name] for c in timeline.c)))}


@pytest.mark.slow
@SETTINGS
@given(seed=st.integers(0, 10_000), events=st.integers(20, 300), save_every=st.integers(1, 40))
def test_the_current_rows_are_each_items_latest_row_as_of_any_day(
    tmp_path_factory: pytest.TempPathFactory, seed: int, events: int, save_every: int
) -> None:
    folder: Path = tmp_path_factory.mktemp("current")
    url = f"sqlite:///{folder / 'ledger.sqlite'}"
    ledger = ledger_at(url)
    runner = runner_at(url, ledger, batch_size=7)
    sim = activity(ledger, seed, events, register_units(ledger))
    for batch in simulate(sim, events):
        for start in range(0, len(batch), save_every):
            ledger.save(*batch[start : start + save_every])
            runner.step()
    runner.catch_up()
    with runner.engine.connect() as conn:
        for timeline in CURRENT:
            last = conn.scalar(select(func.max(timeline.c[CURRENT[timeline].day])))
            if last is None:
                continue
            for as_of in (last, last + timedelta(days=30), last - timedelta(days=40)):
                assert stood(conn, timeline, as_of) == as_it_stood(conn, timeline, as_of)
            current = {tuple(r) for r in conn.execute(select(CURRENT[timeline].now))}
            assert current == as_it_stood(conn, timeline, last)
    ledger.close()
    runner.engine.dispose()
