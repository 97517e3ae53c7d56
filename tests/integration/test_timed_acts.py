"""The ledger's clock (限时办结, 超时默许): a system 催办 when a deadline passes and a deemed
approval when an extension request is not decided in time, each at the end of its day, once,
however many clocks run, and caught up after a stop. Driven step by step on a moved clock
in 2027 (beyond the calendar package's years)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from api.bootstrap import open_ledger, open_read_models, projection_runner_on
from api.runtime.timed_clock import TimedActs
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import InvalidTransition
from domain.ledger import Ledger
from domain.ledger_calendar import SYSTEM
from domain.task import Task
from domain.timed_acts import end_of_day
from projections import tables as t
from projections.engine import Runner
from tests.clock import AdjustableClock
from tests.conftest import settings_for
from tests.integration.builders import office, unit

MONDAY = datetime(2027, 1, 4, 9, tzinfo=CHINA_TIME)


@dataclass
class Office:
    """A ledger process with its read models and its clock, standing at a moved moment."""

    ledger: Ledger
    runner: Runner
    clock: AdjustableClock
    timed: TimedActs

    def at(self, moment: datetime) -> None:
        self.clock.offset = moment - MONDAY

    def step(self) -> int:
        """Catch the read models up, take one step of the clock: how many acts it recorded."""
        self.runner.catch_up()
        return len(self.timed.step())


def office_on(url: str, clock: AdjustableClock) -> Office:
    ledger = open_ledger(replace(settings_for(url), clock=clock))
    runner = projection_runner_on(ledger, open_read_models(settings_for(url)))
    runner.set_up()
    return Office(ledger, runner, clock, TimedActs(ledger, runner.engine))


@pytest.fixture
def desk(sqlite_url: str) -> Iterator[Office]:
    made = office_on(sqlite_url, AdjustableClock(lambda: MONDAY))
    yield made
    made.runner.engine.dispose()
    made.ledger.close()


def task_due(desk: Office, deadline: date) -> UUID:
    ledger = desk.ledger
    lead = unit(ledger)
    task = ledger.register_task(office(), plan_year=2027, title="工程建设项目审批提速").item_id
    ledger.assign_task(office(), task, lead_units=[lead], deadline=deadline)
    ledger.accept_task(office(), task, unit=lead)
    return task


def urges(ledger: Ledger, item: UUID) -> list[tuple[date, datetime]]:
    return [
        (e.deadline, e.occurred_at)
        for e in ledger.item_events(item)
        if isinstance(e, Task.OverdueUrged | Complaint.OverdueUrged)
    ]


def just_after(day: date) -> datetime:
    return end_of_day(day) + timedelta(seconds=1)


def test_an_overdue_task_is_urged_once_at_the_end_of_its_deadline_day_and_again_after_an_extension(
    desk: Office,
) -> None:
    task = task_due(desk, date(2027, 1, 6))
    desk.at(end_of_day(date(2027, 1, 6)) - timedelta(minutes=1))
    assert desk.step() == 0  # its last minute: not overdue yet
    desk.at(just_after(date(2027, 1, 6)))
    assert (desk.step(), desk.step()) == (1, 0)
    desk.ledger.request_extension(office(), task, new_deadline=date(2027, 1, 12), reason="待审批")
    desk.ledger.decide_extension(office(), task, approved=True)
    desk.at(just_after(date(2027, 1, 12)))
    assert (desk.step(), desk.step()) == (1, 0)
    assert urges(desk.ledger, task) == [
        (date(2027, 1, 6), end_of_day(date(2027, 1, 6))),
        (date(2027, 1, 12), end_of_day(date(2027, 1, 12))),
    ]
    assert desk.ledger.get(Task, task).urge_count == 2


def test_an_overdue_case_is_urged_once_at_the_end_of_its_deadline_day(desk: Office) -> None:
    case = desk.ledger.receive_complaint(
        office(),
        channel=Channel.HOTLINE_12345,
        summary="办证排队久",
        first_responder=unit(desk.ledger),
    ).item_id
    close_by = desk.ledger.get(Complaint, case).close_by  # five working days: Monday 11 January
    assert close_by == date(2027, 1, 11)
    desk.at(just_after(close_by))
    assert (desk.step(), desk.step()) == (1, 0)
    assert urges(desk.ledger, case) == [(close_by, end_of_day(close_by))]


def test_an_extension_request_not_decided_in_time_is_deemed_approved_at_its_limit_once(
    desk: Office,
) -> None:
    task = task_due(desk, date(2027, 1, 29))
    desk.ledger.request_extension(office(), task, new_deadline=date(2027, 2, 26), reason="待审批")
    limit = date(2027, 1, 11)  # five working days after Monday 4 January
    desk.at(end_of_day(limit) - timedelta(seconds=1))
    assert desk.step() == 0
    desk.at(just_after(limit))
    assert (desk.step(), desk.step()) == (1, 0)
    deemed = desk.ledger.item_events(task)[-1]
    assert isinstance(deemed, Task.ExtensionDeemedApproved)
    assert (deemed.actor, deemed.occurred_at) == (SYSTEM, end_of_day(limit))
    assert desk.ledger.get(Task, task).deadline == date(2027, 2, 26)
    with pytest.raises(InvalidTransition):
        desk.ledger.decide_extension(office(), task, approved=False)


def test_a_decision_after_the_limit_is_refused_even_before_the_clock_has_recorded_it(
    desk: Office,
) -> None:
    task = task_due(desk, date(2027, 1, 29))
    desk.ledger.request_extension(office(), task, new_deadline=date(2027, 2, 26), reason="待审批")
    desk.at(just_after(date(2027, 1, 11)))
    with pytest.raises(InvalidTransition, match="deemed approved"):
        desk.ledger.decide_extension(office(), task, approved=False)


def test_two_clocks_on_one_database_record_each_act_once(database_url: str) -> None:
    clock = AdjustableClock(lambda: MONDAY)
    first, second = office_on(database_url, clock), office_on(database_url, clock)
    task = task_due(first, date(2027, 1, 6))
    first.at(just_after(date(2027, 1, 6)))
    first.runner.catch_up()
    second.runner.catch_up()
    # both found it due before either recorded it: the second's attempt writes nothing
    act = first.timed.step
    assert len(act()) + len(second.timed.step()) == 1
    assert len(urges(second.ledger, task)) == 1
    for made in (first, second):
        made.runner.engine.dispose()
        made.ledger.close()


def test_a_clock_stopped_for_months_records_what_it_missed_at_the_deadlines(
    desk: Office,
) -> None:
    task = task_due(desk, date(2027, 1, 6))
    desk.ledger.request_extension(office(), task, new_deadline=date(2027, 2, 26), reason="待审批")
    desk.at(datetime(2027, 6, 1, 9, tzinfo=CHINA_TIME))  # far beyond the back-dating limit
    assert desk.step() == 2  # urged on 6 January, then deemed approved on 11 January
    assert desk.step() == 1  # the new deadline, 26 February, has passed too
    assert urges(desk.ledger, task) == [
        (date(2027, 1, 6), end_of_day(date(2027, 1, 6))),
        (date(2027, 2, 26), end_of_day(date(2027, 2, 26))),
    ]


def test_the_audit_trail_shows_the_system_as_the_actor_of_a_timed_act(desk: Office) -> None:
    task = task_due(desk, date(2027, 1, 6))
    desk.at(just_after(date(2027, 1, 6)))
    desk.step()
    desk.runner.catch_up()
    audit = t.audit_events
    with desk.runner.engine.connect() as conn:
        last = conn.execute(
            select(audit.c.event_type, audit.c.actor_id, audit.c.actor_role)
            .where(audit.c.item_id == str(task))
            .order_by(audit.c.position.desc())
        ).first()
    assert tuple(last or ()) == ("OverdueUrged", "system", "office")
