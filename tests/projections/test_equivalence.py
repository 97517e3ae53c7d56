"""Property: following live equals rebuilding, and "as of D" equals the log up to D."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.cli.generate import simulate
from api.cli.inventory import ledger_events
from projections.views.legacy_totals import legacy_issue_totals
from projections.views.overview import supervision_overview
from tests.conftest import examples
from tests.projections.engine_builders import (
    activity,
    close_opened,
    dump,
    ledger_at,
    register_units,
    runner_at,
)

SETTINGS = settings(
    max_examples=examples(12),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _url(tmp_path_factory: object, name: str) -> str:
    folder: Path = tmp_path_factory.mktemp(name)  # type: ignore[attr-defined]
    return f"sqlite:///{folder / 'ledger.sqlite'}"


@pytest.mark.slow
@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    events=st.integers(20, 300),
    save_every=st.integers(1, 40),
    batch_size=st.integers(1, 50),
)
def test_tables_followed_live_equal_a_rebuild_from_scratch(
    tmp_path_factory: object, seed: int, events: int, save_every: int, batch_size: int
) -> None:
    url = _url(tmp_path_factory, "live")
    ledger = ledger_at(url)
    runner = runner_at(url, ledger, batch_size=batch_size)
    sim = activity(ledger, seed, events, register_units(ledger))
    for batch in simulate(sim, events):
        for start in range(0, len(batch), save_every):
            ledger.save(*batch[start : start + save_every])
            runner.step()
    runner.catch_up()
    followed = dump(runner.engine)
    for name in runner.projections:
        runner.reset(name)
    runner.catch_up()
    assert dump(runner.engine) == followed
    close_opened()


@pytest.mark.slow
@SETTINGS
@given(seed=st.integers(0, 10_000), events=st.integers(50, 400), cut=st.floats(0.05, 0.95))
def test_an_answer_as_of_a_date_equals_a_rebuild_of_the_events_up_to_that_date(
    tmp_path_factory: object, seed: int, events: int, cut: float
) -> None:
    full_url, part_url = _url(tmp_path_factory, "full"), _url(tmp_path_factory, "part")
    full, part = ledger_at(full_url), ledger_at(part_url)
    sim = activity(full, seed, events, register_units(full))
    for batch in simulate(sim, events):
        full.save(*batch)
    logged = [event for _, event in ledger_events(full)]
    first, last = logged[0].business_date, logged[-1].business_date
    day = first + timedelta(days=int((last - first).days * cut))
    part.save(*[e for e in logged if e.business_date <= day])
    answers = []
    for url, ledger in ((full_url, full), (part_url, part)):
        runner = runner_at(url, ledger)
        runner.catch_up()
        with runner.engine.connect() as conn:
            answers.append((supervision_overview(conn, day), legacy_issue_totals(conn, day)))
    assert answers[0] == answers[1]
    assert isinstance(day, date)
    close_opened()
