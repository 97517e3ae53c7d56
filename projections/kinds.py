"""How units, tasks, legacy issues and targets, interviews, referrals and assessments
appear in the read models (``projections.item_kind``); complaints are
``projections.complaint_kind``'s."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Table

from domain.assessment import Assessment
from domain.interview import Interview
from domain.legacy_issue import LegacyIssue, LegacyState
from domain.legacy_target import LegacyTarget
from domain.meta import LedgerEvent
from domain.referral import Referral
from domain.task import Task
from domain.unit import Unit
from projections import tables as t
from projections.item_kind import Contributions, Key, Kind, Rows, ids, optional_id, unit_count
from projections.item_state import id_text
from projections.projection import Change


class UnitKind(Kind[Unit]):
    item_class, table = Unit, t.units

    def columns(self, unit: Unit) -> dict[str, Any]:
        return {
            "name": unit.name,
            "kind": unit.kind.value,
            "merged_into": optional_id(unit.merged_into),
        }


class TaskKind(Kind[Task]):
    item_class, table = Task, t.tasks

    def columns(self, task: Task) -> dict[str, Any]:
        return {
            "plan_year": task.plan_year,
            "number": task.number,
            "section": task.section,
            "title": task.title,
            "lead_units": ids(task.lead_units),
            "cooperating_units": ids(task.cooperating_units),
            "cooperating_groups": [kind.value for kind in task.cooperating_groups],
            "progress": task.progress,
            "assigned_on": task.assigned_on,
            "deadline": task.deadline,
            "closed_on": task.closed_on,
            "tier": task.tier.value,
            "urge_count": task.urge_count,
            "overdue_urged_for": task.overdue_urged_for,
            "extension_decide_by": task.extension_decide_by,
        }

    def activity(self, change: Change, task: Task) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Task.Assigned):
            yield from (unit_count(u, "tasks_cooperating") for u in task.cooperating_units)
        metrics = TASK_ACTIVITY.get(type(event), ())
        if (
            isinstance(event, Task.Verified)
            and task.deadline is not None
            and task.closed_on is not None
            and task.closed_on <= task.deadline
        ):
            metrics = (*metrics, "tasks_closed_on_time")
        for unit in task.lead_units:
            yield from (unit_count(unit, metric) for metric in metrics)

    def side_rows(self, change: Change, task: Task) -> Rows:
        task_id = id_text(task.id)
        rows: list[tuple[Table, dict[str, Any]]] = [
            (
                t.task_timeline,
                {
                    "task_id": task_id,
                    "day": change.day,
                    "state": task.state.value,
                    "deadline": task.deadline,
                    "assigned_on": task.assigned_on,
                    "progress": task.progress,
                    "tier": task.tier.value,
                },
            )
        ]
        if isinstance(change.event, Task.Assigned):
            rows += [
                (t.task_units, {"task_id": task_id, "unit_id": u, "role": "lead"})
                for u in ids(task.lead_units)
            ]
            rows += [
                (t.task_units, {"task_id": task_id, "unit_id": u, "role": "cooperating"})
                for u in ids(task.cooperating_units)
            ]
            rows += [
                (t.task_groups, {"task_id": task_id, "kind": kind.value})
                for kind in task.cooperating_groups
            ]
        return [*rows, *milestone_rows(change, task)]


def milestone_rows(change: Change, task: Task) -> Rows:
    """The task's milestones as assigned (none reached), then each one a progress report
    reached, with the report's business day."""
    event = change.event
    reached: dict[str, date | None]
    if isinstance(event, Task.Assigned):
        reached = {m.key: None for m in task.milestones}
    elif isinstance(event, Task.ProgressReported):
        reached = dict.fromkeys(event.milestones_reached, change.day)
    else:
        return ()
    task_id = id_text(task.id)
    return [
        (
            t.task_milestones,
            {
                "task_id": task_id,
                "key": m.key,
                "ordinal": ordinal,
                "title": m.title,
                "due": m.due,
                "reached_on": reached[m.key],
            },
        )
        for ordinal, m in enumerate(task.milestones)
        if m.key in reached
    ]


TASK_ACTIVITY: dict[type[LedgerEvent], tuple[str, ...]] = {
    Task.Assigned: ("tasks_led",),
    Task.Urged: ("urges",),
    Task.OverdueUrged: ("urges",),
    Task.Escalated: ("escalated",),
    Task.Verified: ("tasks_closed",),
    Task.Reopened: ("tasks_reopened",),
}
"""What a task's event counts for its lead units, by the event's class."""


class LegacyIssueKind(Kind[LegacyIssue]):
    item_class, table = LegacyIssue, t.legacy_issues

    def columns(self, issue: LegacyIssue) -> dict[str, Any]:
        return {
            "title": issue.title,
            "category": issue.category.value,
            "responsible_unit": id_text(issue.responsible_unit),
            "tier": issue.tier.value,
            "target_year": issue.target_year,
            "baseline": issue.baseline,
            "registered_on": issue.registered_on,
        }

    def contributions(self, issue: LegacyIssue) -> Contributions:
        dims = (
            issue.category.value,
            id_text(issue.responsible_unit),
            issue.tier.value,
            issue.baseline,
            issue.target_year,
        )
        return {
            (t.legacy_deltas, (*dims, "total")): 1,
            (t.legacy_deltas, (*dims, "resolved")): int(issue.state is LegacyState.RESOLVED),
            (t.legacy_deltas, (*dims, "suspended")): int(issue.state is LegacyState.SUSPENDED),
        }


class LegacyTargetKind(Kind[LegacyTarget]):
    item_class, table = LegacyTarget, t.legacy_targets

    def columns(self, target: LegacyTarget) -> dict[str, Any]:
        return {
            "year": target.year,
            "goal": target.goal,
            "due": target.due,
            "required_resolved_percent": target.required_resolved_percent,
        }


class InterviewKind(Kind[Interview]):
    item_class, table = Interview, t.interviews

    def columns(self, interview: Interview) -> dict[str, Any]:
        return {
            "unit": id_text(interview.unit),
            "interviewees": [
                {"name": p.name, "post": p.post, "unit": optional_id(p.unit)}
                for p in interview.interviewees
            ],
            "scheduled_for": interview.scheduled_for,
            "held_on": interview.held_on,
            "rectify_by": interview.rectify_by,
            "rectified": interview.rectified,
            "rectified_on": interview.rectified_on,
        }

    def activity(self, change: Change, interview: Interview) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Interview.Held):
            yield unit_count(interview.unit, "interviews")
        elif isinstance(event, Interview.FollowUpRecorded) and interview.rectified:
            yield unit_count(interview.unit, "interviews_rectified")

    def side_rows(self, change: Change, interview: Interview) -> Rows:
        return [oversight_day(change, interview)]


class ReferralKind(Kind[Referral]):
    item_class, table = Referral, t.referrals

    def columns(self, referral: Referral) -> dict[str, Any]:
        return {
            "unit": id_text(referral.unit),
            "outcome": referral.outcome,
            "accountable": referral.accountable,
        }

    def activity(self, change: Change, referral: Referral) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Referral.Made):
            yield unit_count(referral.unit, "referrals")
        elif isinstance(event, Referral.OutcomeRecorded) and referral.accountable:
            yield unit_count(referral.unit, "referrals_accountable")

    def side_rows(self, change: Change, referral: Referral) -> Rows:
        return [oversight_day(change, referral)]


def oversight_day(change: Change, item: Interview | Referral) -> tuple[Table, dict[str, Any]]:
    """The item's state at the end of the change's day (the day's last change wins)."""
    return (
        t.oversight_timeline,
        {
            "item_id": id_text(item.id),
            "day": change.day,
            "item_type": item.item_type,
            "state": item.state.value,
        },
    )


class AssessmentKind(Kind[Assessment]):
    item_class, table = Assessment, t.assessments

    def columns(self, assessment: Assessment) -> dict[str, Any]:
        return {
            "unit": id_text(assessment.unit),
            "period": assessment.period,
            "kind": assessment.kind.value,
            "score": assessment.score,
            "verdict": assessment.verdict.value,
            "recorded_on": assessment.recorded_on,
        }

    def side_rows(self, change: Change, assessment: Assessment) -> Rows:
        return [
            (
                t.assessment_timeline,
                {
                    "assessment_id": id_text(assessment.id),
                    "day": change.day,
                    "unit": id_text(assessment.unit),
                    "period": assessment.period,
                    "kind": assessment.kind.value,
                    "score": assessment.score,
                    "verdict": assessment.verdict.value,
                },
            )
        ]
