"""The demo (``record_demo``, what ``make run`` records into an empty ledger): the 2021 plan and
a stretch of made-up activity up to the ledger's today, the same for the same seed and day,
marked as made up, and on any day with something true for every view to show.

Every demo here is recorded on a log in memory whose clock stands on a day the test names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from uuid import UUID

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.cli.demo import DEMO_ACTOR, DemoRefused, DemoSummary, record_demo
from api.cli.export import event_row, masking
from api.cli.inventory import ledger_events
from api.cli.tokens import create_token
from domain.assessment import Assessment, AssessmentKind
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.complaint import OPEN, Complaint
from domain.interview import Interview
from domain.ledger import Ledger
from domain.legacy_issue import LegacyIssue, LegacyState
from domain.meta import LedgerEvent, LedgerItem, Role
from domain.referral import Referral
from domain.task import Task
from domain.timeliness import Light
from projections.views.task_board import light_of
from tests.conftest import examples
from tests.integration.builders import in_memory, office, unit

DAY = date(2026, 12, 20)
Item = TypeVar("Item", bound=LedgerItem)


@dataclass
class Demo:
    """A demo recorded on ``today``, and the events it made up, with their positions."""

    ledger: Ledger
    summary: DemoSummary
    made_up: list[tuple[int, LedgerEvent]]

    @property
    def today(self) -> date:
        return self.summary.today

    def items(self, cls: type[Item]) -> list[Item]:
        """Every item of ``cls`` the demo made, as it stands."""
        ids = dict.fromkeys(e.originator_id for _, e in self.made_up)
        found = [self.ledger.repository.get(item_id) for item_id in ids]
        return [item for item in found if isinstance(item, cls)]

    def rows(self) -> list[dict[str, Any]]:
        """Every event of the log as ``ledger export events`` shows it, less when it was
        recorded (the moment the demo ran)."""
        mask = masking(self.ledger.sealer)
        rows = [event_row(p, e, mask) for p, e in ledger_events(self.ledger)]
        return [{k: v for k, v in row.items() if k != "recorded_at"} for row in rows]


def demo_on(day: date, *, at: time = time(9, 30), seed: int = 2026, days: int = 90) -> Demo:
    now = datetime.combine(day, at, CHINA_TIME)
    ledger = in_memory(clock=lambda: now)
    summary = record_demo(ledger, seed=seed, days=days)
    made_up = [(p, e) for p, e in ledger_events(ledger) if e.actor.id == DEMO_ACTOR]
    return Demo(ledger, summary, made_up)


@pytest.fixture(scope="module")
def demo() -> Demo:
    return demo_on(DAY)


def test_the_same_seed_on_the_same_day_records_the_same_events_under_the_same_ids() -> None:
    early, late = demo_on(DAY, at=time(0, 0, 1)), demo_on(DAY, at=time(23, 59))
    assert early.rows() == late.rows()
    assert len(early.made_up) == early.summary.generated


def test_another_seed_records_other_items(demo: Demo) -> None:
    assert made_ids(demo_on(DAY, seed=7)).isdisjoint(made_ids(demo))


def made_ids(run: Demo) -> set[UUID]:
    """The items the demo made under ids of its own (an assessment's is its unit's, period's
    and kind's)."""
    return {e.originator_id for _, e in run.made_up if not isinstance(e, Assessment.Recorded)}


@pytest.mark.parametrize("later", [1, 400])
def test_on_another_day_the_stretch_ends_the_day_before_it(demo: Demo, later: int) -> None:
    moved = demo_on(DAY + timedelta(days=later))
    for run in (demo, moved):
        dates = [e.business_date for _, e in run.made_up]
        assert run.summary.first_day == run.today - timedelta(days=90)
        assert run.summary.first_day <= min(dates) and max(dates) <= run.summary.last_day
    assert moved.today == demo.today + timedelta(days=later)


def test_every_made_up_event_is_marked_as_the_demo_s_and_the_plan_is_seeded_as_it_is(
    demo: Demo,
) -> None:
    prefix = f"demo:2026:{DAY}:"
    assert demo.summary.request_prefix == prefix
    for _, event in demo.made_up:
        assert event.request_id.startswith(prefix) and event.imported
        assert event.actor.role in (Role.OFFICE, Role.UNIT)
        assert (event.actor.unit is not None) == (event.actor.role is Role.UNIT)
    seeded = [e for _, e in ledger_events(demo.ledger) if e.actor.id != DEMO_ACTOR]
    assert len(seeded) == demo.summary.seeded == 65
    assert {e.actor.id for e in seeded} == {"ledger-seed"}


def test_the_referral_cites_the_events_of_the_interview_and_of_the_overdue_task(
    demo: Demo,
) -> None:
    (referral,) = demo.items(Referral)
    interview = demo.ledger.repository.get(referral.cited_items[0])
    assert isinstance(interview, Interview) and interview.unit == referral.unit
    (task_id,) = interview.cited_items
    task = demo.ledger.repository.get(task_id)
    assert isinstance(task, Task) and task.lead_units[0] == interview.unit
    assert task.deadline is not None
    assert task.deadline < interview.scheduled_for.astimezone(CHINA_TIME).date()
    cited = [
        *demo.ledger.positions_of(interview.id).values(),
        *demo.ledger.positions_of(task_id).values(),
    ]
    assert list(referral.evidence) == sorted(cited)


def test_the_last_quarter_s_league_and_results_applied_are_recorded_for_every_unit(
    demo: Demo,
) -> None:
    assessments = demo.items(Assessment)
    assert Counter((a.period, a.kind) for a in assessments) == {
        ("2026-Q3", AssessmentKind.UNIT_ASSESSMENT): 10,
        ("2026-Q3", AssessmentKind.RESULTS_APPLIED): 10,
    }


def test_a_ledger_that_holds_records_is_refused_and_nothing_is_written() -> None:
    ledger = in_memory()
    unit(ledger)
    before = ledger.recorder.max_notification_id()
    with pytest.raises(DemoRefused, match="already holds records"):
        record_demo(ledger)
    assert ledger.recorder.max_notification_id() == before


def test_a_ledger_holding_only_access_tokens_takes_the_demo() -> None:
    ledger = in_memory()
    create_token(ledger, role=Role.VIEWER, unit=None, name="screen", actor=office().actor)
    assert record_demo(ledger).generated > 0


@pytest.mark.parametrize("days", [59, 366])
def test_a_stretch_shorter_than_60_days_or_longer_than_a_year_is_refused(days: int) -> None:
    ledger = in_memory()
    with pytest.raises(DemoRefused, match="--days must be from 60 to 365"):
        record_demo(ledger, days=days)
    assert not ledger.recorder.max_notification_id()


@settings(max_examples=examples(6))
@given(
    day=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    days=st.sampled_from([60, 90, 365]),
    seed=st.integers(0, 2**32),
)
@example(day=date(2027, 1, 1), days=90, seed=2026)  # the holiday calendar's data ends 2026
@example(day=date(2026, 10, 8), days=60, seed=2026)  # after the National Day holiday
def test_on_any_day_every_view_has_something_true_to_show(day: date, days: int, seed: int) -> None:
    run = demo_on(day, days=days, seed=seed)
    in_office_hours_on_working_days(run)
    assert len(run.made_up) < 400
    complaints_show_every_channel(run)
    tasks_show_every_light(run)
    legacy = Counter(issue.state is LegacyState.RESOLVED for issue in run.items(LegacyIssue))
    assert legacy[True] >= 3 and legacy[False] >= 2
    assert len(run.items(Interview)) == 2 and len(run.items(Referral)) == 1
    assert len(run.items(Assessment)) == 20


def in_office_hours_on_working_days(run: Demo) -> None:
    calendar = run.ledger.current_rules().calendar
    for _, event in run.made_up:
        moment = event.occurred_at.astimezone(CHINA_TIME)
        assert run.summary.first_day <= moment.date() <= run.summary.last_day
        assert calendar.is_working_day(moment.date())
        assert time(9) <= moment.time() <= time(17)


def complaints_show_every_channel(run: Demo) -> None:
    """Per channel: cases closed, open, and open past their deadline; and calls back."""
    cases = run.items(Complaint)
    for channel in Channel:
        mine = [c for c in cases if c.channel is channel]
        open_ = [c for c in mine if c.state in OPEN]
        assert any(c.closed_on is not None for c in mine), channel
        assert any(c.close_by < run.today for c in open_), channel
        assert any(c.close_by >= run.today for c in open_), channel
    assert any(c.closed_on is not None and c.satisfied is not None for c in cases)


def tasks_show_every_light(run: Demo) -> None:
    """This year's tasks (the 2021 plan's are all red by now): red, yellow and green."""
    lights = {
        light_of(
            run.ledger.rules,
            state=task.state.value,
            assigned_on=task.assigned_on,
            deadline=task.deadline,
            progress=task.progress,
            today=run.today,
        )
        for task in run.items(Task)
    }
    assert {Light.RED, Light.YELLOW, Light.GREEN} <= lights
