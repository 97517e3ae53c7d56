"""Any item's history: at a version, at a business date, and as known at a record time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from api.bootstrap import open_ledger
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.task import Task, TaskState
from tests.conftest import settings_for
from tests.integration.builders import office, unit

DAY = timedelta(days=1)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The server clock, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_ledger(database_url: str, clock: Clock) -> Iterator[Ledger]:
    app = open_ledger(replace(settings_for(database_url), clock=clock))
    yield app
    app.close()


def _story(ledger: Ledger, clock: Clock) -> Task:
    """Registered 3-02, assigned 3-03, accepted 3-04, 40% on 3-10 but recorded 3-20."""
    lead = unit(ledger)
    task_id = ledger.register_task(office(), plan_year=2026, title="优化水电气暖报装服务").item_id
    clock.now = T0 + DAY
    ledger.assign_task(office(), task_id, lead_units=[lead], deadline=date(2026, 6, 30))
    clock.now = T0 + 2 * DAY
    ledger.accept_task(office(), task_id, unit=lead)
    clock.now = T0 + 18 * DAY
    ledger.report_progress(
        office(occurred_at=T0 + 8 * DAY), task_id, percent=40, narrative="完成40%"
    )
    return ledger.get(Task, task_id)


def test_the_state_at_each_version_is_what_was_true_after_that_event(
    timed_ledger: Ledger, clock: Clock
) -> None:
    task = _story(timed_ledger, clock)
    states = [timed_ledger.state_at(task.id, as_of_version=v) for v in range(1, 5)]
    assert [s.state for s in states] == [
        TaskState.REGISTERED,
        TaskState.ASSIGNED,
        TaskState.IN_PROGRESS,
        TaskState.IN_PROGRESS,
    ]
    assert [s.progress for s in states] == [0, 0, 0, 40]
    assert states[3] == timed_ledger.get(Task, task.id, version=4)


def test_the_state_at_a_business_date_counts_a_back_dated_report_from_when_it_happened(
    timed_ledger: Ledger, clock: Clock
) -> None:
    task = _story(timed_ledger, clock)
    on_the_ninth = timed_ledger.state_at(task.id, as_of=T0 + 7 * DAY)
    on_the_eleventh = timed_ledger.state_at(task.id, as_of=T0 + 9 * DAY)
    assert (on_the_ninth.version, on_the_ninth.progress) == (3, 0)
    assert (on_the_eleventh.version, on_the_eleventh.progress) == (4, 40)


def test_as_known_at_a_record_time_the_back_dated_report_was_not_yet_there(
    timed_ledger: Ledger, clock: Clock
) -> None:
    task = _story(timed_ledger, clock)
    known_on_the_fifteenth = timed_ledger.state_at(task.id, known_at=T0 + 13 * DAY)
    assert (known_on_the_fifteenth.version, known_on_the_fifteenth.progress) == (3, 0)
    both = timed_ledger.state_at(task.id, as_of=T0 + 9 * DAY, known_at=T0 + 13 * DAY)
    assert both.version == 3


def test_history_lists_the_events_with_who_and_both_times(
    timed_ledger: Ledger, clock: Clock
) -> None:
    task = _story(timed_ledger, clock)
    events = timed_ledger.history(task.id)
    assert [type(e).__name__ for e in events] == [
        "Registered",
        "Assigned",
        "Accepted",
        "ProgressReported",
    ]
    report = events[-1]
    assert report.occurred_at == T0 + 8 * DAY
    assert report.recorded_at == T0 + 18 * DAY
    assert report.actor.id == "office-1"


def test_an_item_before_it_existed_is_not_found(timed_ledger: Ledger, clock: Clock) -> None:
    task = _story(timed_ledger, clock)
    with pytest.raises(NotFound):
        timed_ledger.state_at(task.id, as_of=T0 - DAY)
