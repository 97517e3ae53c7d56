"""Task: the main path to 销号 and every side path (催办, escalation, extension, rejection)."""

from __future__ import annotations

from datetime import date

from domain.escalation import Tier
from domain.task import Task
from domain.task_events import TaskState
from tests.domain.builders import (
    HELPER,
    ITEM_ID,
    LEAD,
    TASK_MILESTONES,
    Clock,
    assigned_task,
    closed_task,
    event_names,
    registered_task,
    task_awaiting_verification,
    task_in_progress,
)


def test_a_registered_task_starts_unassigned_at_the_task_force(clock: Clock) -> None:
    task = registered_task(clock)
    assert task.state is TaskState.REGISTERED
    assert (task.plan_year, task.number, task.title) == (2021, 7, "推进“一件事”集成改革")
    assert task.tier is Tier.TASK_FORCE
    assert (task.progress, task.urge_count) == (0, 0)
    assert task.deadline is None
    assert task.version == 1


def test_a_task_goes_from_assignment_through_progress_to_verified_closure(clock: Clock) -> None:
    task = assigned_task(clock)
    assert task.state is TaskState.ASSIGNED
    assert task.lead_units == (LEAD,)
    assert task.cooperating_units == (HELPER,)
    assert task.assigned_on == date(2021, 9, 17)
    assert task.deadline == date(2021, 12, 31)
    assert task.milestones == TASK_MILESTONES

    task.accept(LEAD, clock.next())
    assert task.state is TaskState.IN_PROGRESS
    assert task.accepted_by == LEAD

    task.report_progress(
        percent=40,
        narrative="试点完成",
        evidence=["doc-1"],
        milestones_reached=["m1"],
        meta=clock.next(),
    )
    task.report_progress(
        percent=100, narrative="全面推开", evidence=[], milestones_reached=["m2"], meta=clock.next()
    )
    assert task.progress == 100
    assert task.milestones_reached == frozenset({"m1", "m2"})

    task.request_completion("全部完成", clock.next())
    assert task.state is TaskState.COMPLETION_REQUESTED
    task.verify_completion("核验通过，予以销号", clock.next())
    assert task.state is TaskState.CLOSED
    assert task.version == 7
    assert event_names(task) == [
        "Registered",
        "Assigned",
        "Accepted",
        "ProgressReported",
        "ProgressReported",
        "CompletionRequested",
        "Verified",
    ]


def test_an_assigned_or_accepted_task_can_be_urged_and_each_urge_is_counted(clock: Clock) -> None:
    task = assigned_task(clock)
    task.urge("尚未签收", clock.next())
    task.accept(LEAD, clock.next())
    task.urge("进度滞后", clock.next())
    assert task.urge_count == 2
    assert task.state is TaskState.IN_PROGRESS
    assert event_names(task)[-1] == "Urged"


def test_a_task_is_escalated_from_task_force_to_office_to_leading_group(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.escalate("专班协调不下", clock.next())
    assert task.tier is Tier.OFFICE
    task.escalate("办公室协调不下", clock.next())
    assert task.tier is Tier.LEADING_GROUP
    assert task.state is TaskState.IN_PROGRESS
    assert event_names(task)[-2:] == ["Escalated", "Escalated"]


def test_an_approved_extension_moves_the_deadline(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.request_extension(date(2022, 3, 31), "疫情影响", clock.next())
    assert task.pending_extension == date(2022, 3, 31)
    assert task.deadline == date(2021, 12, 31)
    task.decide_extension(True, "同意", clock.next())
    assert task.deadline == date(2022, 3, 31)
    assert task.pending_extension is None
    assert event_names(task)[-2:] == ["ExtensionRequested", "ExtensionApproved"]


def test_a_rejected_extension_keeps_the_deadline(clock: Clock) -> None:
    task = assigned_task(clock)
    task.request_extension(date(2022, 3, 31), "疫情影响", clock.next())
    task.decide_extension(False, "理由不充分", clock.next())
    assert task.deadline == date(2021, 12, 31)
    assert task.pending_extension is None
    assert event_names(task)[-1] == "ExtensionRejected"


def test_after_a_decided_extension_another_may_be_requested(clock: Clock) -> None:
    task = task_in_progress(clock)
    task.request_extension(date(2022, 1, 31), "第一次", clock.next())
    task.decide_extension(True, "", clock.next())
    task.request_extension(date(2022, 2, 28), "第二次", clock.next())
    assert task.pending_extension == date(2022, 2, 28)
    assert task.deadline == date(2022, 1, 31)


def test_a_rejected_completion_puts_the_task_back_in_progress(clock: Clock) -> None:
    task = task_awaiting_verification(clock)
    task.reject_completion("佐证材料不足", clock.next())
    assert task.state is TaskState.IN_PROGRESS
    assert event_names(task)[-1] == "CompletionRejected"
    task.request_completion("补充材料后完成", clock.next())
    assert task.state is TaskState.COMPLETION_REQUESTED


def test_a_closed_task_can_be_reopened_and_closed_again(clock: Clock) -> None:
    task = closed_task(clock)
    task.reopen("群众反映问题反弹", clock.next())
    assert task.state is TaskState.IN_PROGRESS
    task.request_completion("再次完成", clock.next())
    task.verify_completion("", clock.next())
    assert task.state is TaskState.CLOSED
    assert event_names(task)[-4:] == ["Verified", "Reopened", "CompletionRequested", "Verified"]


def test_a_task_outside_the_plan_has_no_number_and_trimmed_text(clock: Clock) -> None:
    task = Task.register(
        ITEM_ID,
        plan_year=2022,
        number=None,
        section=" ",
        title=" 临时交办 ",
        description=" d ",
        meta=clock.next(),
    )
    assert (task.number, task.section, task.title, task.description) == (None, "", "临时交办", "d")
