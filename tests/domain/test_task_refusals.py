"""Task: every refused step raises its named error and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from domain.errors import InvalidTransition, ValidationError
from domain.escalation import Milestone, Tier
from domain.meta import EventMeta
from domain.task import Task
from domain.task_events import TaskState
from tests.domain.builders import (
    HELPER,
    ITEM_ID,
    LEAD,
    OTHER,
    Clock,
    assert_refused,
    assigned_task,
    closed_task,
    registered_task,
    task_awaiting_verification,
    task_in_progress,
)

S = TaskState
BUILD: dict[TaskState, Callable[[Clock], Task]] = {
    S.REGISTERED: registered_task,
    S.ASSIGNED: assigned_task,
    S.IN_PROGRESS: task_in_progress,
    S.COMPLETION_REQUESTED: task_awaiting_verification,
    S.CLOSED: closed_task,
}
COMMANDS: dict[str, tuple[set[TaskState], Callable[[Task, EventMeta], None]]] = {
    "assign": (
        {S.REGISTERED},
        lambda t, m: t.assign(
            lead_units=[LEAD],
            cooperating_units=[],
            cooperation_note="",
            deadline=date(2022, 6, 30),
            milestones=[],
            meta=m,
        ),
    ),
    "accept": ({S.ASSIGNED}, lambda t, m: t.accept(LEAD, m)),
    "report_progress": (
        {S.IN_PROGRESS},
        lambda t, m: t.report_progress(
            percent=50, narrative="过半", evidence=[], milestones_reached=[], meta=m
        ),
    ),
    "urge": ({S.ASSIGNED, S.IN_PROGRESS}, lambda t, m: t.urge("加快", m)),
    "escalate": ({S.ASSIGNED, S.IN_PROGRESS}, lambda t, m: t.escalate("协调不下", m)),
    "request_extension": (
        {S.ASSIGNED, S.IN_PROGRESS},
        lambda t, m: t.request_extension(date(2022, 6, 30), "延期", m),
    ),
    "request_completion": ({S.IN_PROGRESS}, lambda t, m: t.request_completion("完成", m)),
    "verify_completion": ({S.COMPLETION_REQUESTED}, lambda t, m: t.verify_completion("", m)),
    "reject_completion": ({S.COMPLETION_REQUESTED}, lambda t, m: t.reject_completion("不足", m)),
    "reopen": ({S.CLOSED}, lambda t, m: t.reopen("反弹", m)),
    "decide_extension": (set(), lambda t, m: t.decide_extension(True, "", m)),
}
REFUSED = [
    pytest.param(name, state, id=f"{name}-when-{state.value}")
    for name, (allowed, _) in COMMANDS.items()
    for state in S
    if state not in allowed
]


@pytest.mark.parametrize(("command", "state"), REFUSED)
def test_a_task_refuses_a_step_its_state_does_not_allow(
    clock: Clock, command: str, state: TaskState
) -> None:
    task = BUILD[state](clock)
    act = COMMANDS[command][1]
    error = assert_refused(task, InvalidTransition, lambda: act(task, clock.next()))
    assert (error.item_type, error.state) == ("Task", state.value)


def test_a_task_with_a_blank_title_or_a_zero_number_is_refused(clock: Clock) -> None:
    for title, number, field in (("  ", 1, "title"), ("标题", 0, "number")):
        with pytest.raises(ValidationError) as caught:
            Task.register(
                ITEM_ID,
                plan_year=2021,
                number=number,
                section="",
                title=title,
                description="",
                meta=clock.next(),
            )
        assert caught.value.field == field


@pytest.mark.parametrize(
    ("lead", "cooperating", "deadline", "milestones", "field"),
    [
        ([], [HELPER], date(2021, 12, 31), [], "lead_units"),
        ([LEAD], [LEAD, HELPER], date(2021, 12, 31), [], "cooperating_units"),
        ([LEAD], [], date(2021, 9, 17), [], "deadline"),
        ([LEAD], [], date(2021, 12, 31), [Milestone("m", "迟", date(2022, 1, 1))], "milestones"),
        (
            [LEAD],
            [],
            date(2021, 12, 31),
            [Milestone("m", "a", date(2021, 10, 1))] * 2,
            "milestones",
        ),
        ([LEAD], [], date(2021, 12, 31), [Milestone(" ", "a", date(2021, 10, 1))], "milestones"),
    ],
    ids=["no-lead", "lead-cooperates", "deadline-not-after", "late-milestone", "dup-key", "blank"],
)
def test_an_assignment_breaking_a_rule_is_refused_naming_the_field(
    clock: Clock, lead: list, cooperating: list, deadline: date, milestones: list, field: str
) -> None:
    task = registered_task(clock)
    assert_refused(
        task,
        ValidationError,
        lambda: task.assign(
            lead_units=lead,
            cooperating_units=cooperating,
            cooperation_note="",
            deadline=deadline,
            milestones=milestones,
            meta=clock.next(),
        ),
        field,
    )


def test_only_a_lead_unit_may_accept_a_task(clock: Clock) -> None:
    task = assigned_task(clock)
    assert_refused(task, ValidationError, lambda: task.accept(HELPER, clock.next()), "unit")


@pytest.mark.parametrize(
    ("percent", "narrative", "reached", "field"),
    [
        (101, "超额", [], "percent"),
        (-1, "倒退", [], "percent"),
        (50, "  ", [], "narrative"),
        (50, "过半", ["m9"], "milestones_reached"),
    ],
)
def test_a_progress_report_breaking_a_rule_is_refused(
    clock: Clock, percent: int, narrative: str, reached: list[str], field: str
) -> None:
    task = task_in_progress(clock)
    assert_refused(
        task,
        ValidationError,
        lambda: task.report_progress(
            percent=percent,
            narrative=narrative,
            evidence=[],
            milestones_reached=reached,
            meta=clock.next(),
        ),
        field,
    )


def test_a_milestone_cannot_be_reported_reached_twice(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.report_progress(
        percent=30, narrative="试点", evidence=[], milestones_reached=["m1"], meta=clock.next()
    )
    assert_refused(
        task,
        ValidationError,
        lambda: task.report_progress(
            percent=40,
            narrative="again",
            evidence=[],
            milestones_reached=["m1"],
            meta=clock.next(),
        ),
        "milestones_reached",
    )


def test_escalating_beyond_the_leading_group_is_refused(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.escalate("1", clock.next())
    task.escalate("2", clock.next())
    error = assert_refused(task, InvalidTransition, lambda: task.escalate("3", clock.next()))
    assert task.tier is Tier.LEADING_GROUP
    assert "leading group" in str(error)


def test_a_second_extension_request_is_refused_while_one_is_pending(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.request_extension(date(2022, 1, 31), "第一次", clock.next())
    assert_refused(
        task,
        InvalidTransition,
        lambda: task.request_extension(date(2022, 2, 28), "第二次", clock.next()),
    )
    assert task.pending_extension == date(2022, 1, 31)


@pytest.mark.parametrize("new_deadline", [date(2021, 12, 31), date(2021, 12, 1)])
def test_an_extension_not_later_than_the_deadline_is_refused(
    clock: Clock, new_deadline: date
) -> None:
    task = task_in_progress(clock)
    assert_refused(
        task,
        ValidationError,
        lambda: task.request_extension(new_deadline, "延期", clock.next()),
        "new_deadline",
    )


def test_blank_reasons_are_refused_naming_the_field(clock: Clock) -> None:
    task = task_in_progress(clock)
    assert_refused(task, ValidationError, lambda: task.urge(" ", clock.next()), "reason")
    assert_refused(task, ValidationError, lambda: task.escalate("", clock.next()), "reason")
    assert_refused(
        task,
        ValidationError,
        lambda: task.request_extension(date(2022, 1, 31), " ", clock.next()),
        "reason",
    )
    assert_refused(
        task, ValidationError, lambda: task.request_completion("", clock.next()), "summary"
    )
    task.request_completion("完成", clock.next())
    assert_refused(
        task, ValidationError, lambda: task.reject_completion("", clock.next()), "reason"
    )
    task.verify_completion("", clock.next())
    assert_refused(task, ValidationError, lambda: task.reopen("  ", clock.next()), "reason")
    assert (task.state, task.urge_count, task.tier) == (S.CLOSED, 0, Tier.TASK_FORCE)


def test_an_unknown_unit_cannot_accept_even_when_cooperating_units_exist(clock: Clock) -> None:
    task = assigned_task(clock)
    assert_refused(task, ValidationError, lambda: task.accept(OTHER, clock.next()), "unit")
    assert task.accepted_by is None
