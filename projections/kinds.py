"""How each kind of item appears in the read models.

``columns``: the row's query columns. ``contributions``: what the item, as it
stands, adds to the dated totals (the overview and the legacy totals answer
"as of D" from the changes in these). ``activity``: what one event counts for
the units' scorecards (events in a period, so a later act never takes back an
earlier one). ``side_rows``: dated history and links kept beside the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table

from domain.interview import Interview
from domain.legacy_issue import LegacyState
from domain.meta import LedgerEvent
from domain.referral import Referral
from domain.task import Task
from projections import tables as t
from projections.bags import Bag, id_text
from projections.engine import Change
from projections.items import Contributions, Key

Rows = Iterable[tuple[Table, dict[str, Any]]]


def _ids(values: Iterable[Any]) -> list[str]:
    return [id_text(v) for v in values]


def optional_id(value: Any) -> str | None:
    return id_text(value) if value is not None else None


def unit_count(unit: Any, metric: str) -> Key:
    """The scorecard key of ``metric`` for ``unit``."""
    return (t.unit_deltas, (id_text(unit), metric))


class Kind:
    """Defaults: no totals, no activity, no side rows."""

    item_type: str
    table: Table

    def columns(self, b: Bag) -> dict[str, Any]:
        raise NotImplementedError

    def contributions(self, b: Bag) -> Contributions:
        return {}

    def activity(self, change: Change, b: Bag) -> Iterable[Key]:
        return ()

    def side_rows(self, change: Change, b: Bag) -> Rows:
        return ()


class UnitKind(Kind):
    item_type, table = "Unit", t.units

    def columns(self, b: Bag) -> dict[str, Any]:
        return {"name": b.name, "kind": b.kind.value, "merged_into": optional_id(b.merged_into)}


class TaskKind(Kind):
    item_type, table = "Task", t.tasks

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "plan_year": b.plan_year,
            "number": b.number,
            "section": b.section,
            "title": b.title,
            "lead_units": _ids(b.lead_units),
            "cooperating_units": _ids(b.cooperating_units),
            "progress": b.progress,
            "assigned_on": b.assigned_on,
            "deadline": b.deadline,
            "closed_on": b.closed_on,
            "tier": b.tier.value,
            "urge_count": b.urge_count,
        }

    def activity(self, change: Change, b: Bag) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Task.Assigned):
            yield from (unit_count(u, "tasks_cooperating") for u in b.cooperating_units)
        metrics = TASK_ACTIVITY.get(type(event), ())
        if (
            isinstance(event, Task.Verified)
            and b.deadline is not None
            and b.closed_on <= b.deadline
        ):
            metrics = (*metrics, "tasks_closed_on_time")
        for unit in b.lead_units:
            yield from (unit_count(unit, metric) for metric in metrics)

    def side_rows(self, change: Change, b: Bag) -> Rows:
        task = id_text(b.id)
        rows: list[tuple[Table, dict[str, Any]]] = [
            (
                t.task_timeline,
                {
                    "task_id": task,
                    "day": change.day,
                    "state": b.state.value,
                    "deadline": b.deadline,
                },
            )
        ]
        if isinstance(change.event, Task.Assigned):
            rows += [
                (t.task_units, {"task_id": task, "unit_id": u, "role": "lead"})
                for u in _ids(b.lead_units)
            ]
            rows += [
                (t.task_units, {"task_id": task, "unit_id": u, "role": "cooperating"})
                for u in _ids(b.cooperating_units)
            ]
        return rows


TASK_ACTIVITY: dict[type[LedgerEvent], tuple[str, ...]] = {
    Task.Assigned: ("tasks_led",),
    Task.Urged: ("urges",),
    Task.Escalated: ("escalated",),
    Task.Verified: ("tasks_closed",),
    Task.Reopened: ("tasks_reopened",),
}
"""What a task's event counts for its lead units, by the event's class."""


class LegacyIssueKind(Kind):
    item_type, table = "LegacyIssue", t.legacy_issues

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "title": b.title,
            "category": b.category.value,
            "responsible_unit": id_text(b.responsible_unit),
            "tier": b.tier.value,
            "target_year": b.target_year,
            "baseline": b.baseline,
            "registered_on": b.registered_on,
        }

    def contributions(self, b: Bag) -> Contributions:
        dims = (
            b.category.value,
            id_text(b.responsible_unit),
            b.tier.value,
            b.baseline,
            b.target_year,
        )
        return {
            (t.legacy_deltas, (*dims, "total")): 1,
            (t.legacy_deltas, (*dims, "resolved")): int(b.state is LegacyState.RESOLVED),
            (t.legacy_deltas, (*dims, "suspended")): int(b.state is LegacyState.SUSPENDED),
        }


class LegacyTargetKind(Kind):
    item_type, table = "LegacyTarget", t.legacy_targets

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "year": b.year,
            "goal": b.goal,
            "due": b.due,
            "required_resolved_percent": b.required_resolved_percent,
        }


class InterviewKind(Kind):
    item_type, table = "Interview", t.interviews

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "unit": id_text(b.unit),
            "scheduled_for": b.scheduled_for,
            "rectify_by": b.rectify_by,
            "rectified": b.rectified,
        }

    def activity(self, change: Change, b: Bag) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Interview.Held):
            yield unit_count(b.unit, "interviews")
        elif isinstance(event, Interview.FollowUpRecorded) and b.rectified:
            yield unit_count(b.unit, "interviews_rectified")


class ReferralKind(Kind):
    item_type, table = "Referral", t.referrals

    def columns(self, b: Bag) -> dict[str, Any]:
        return {"unit": id_text(b.unit), "outcome": b.outcome, "accountable": b.accountable}

    def activity(self, change: Change, b: Bag) -> Iterable[Key]:
        event = change.event
        if isinstance(event, Referral.Made):
            yield unit_count(b.unit, "referrals")
        elif isinstance(event, Referral.OutcomeRecorded) and b.accountable:
            yield unit_count(b.unit, "referrals_accountable")


class AssessmentKind(Kind):
    item_type, table = "Assessment", t.assessments

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "unit": id_text(b.unit),
            "period": b.period,
            "kind": b.kind.value,
            "score": b.score,
            "verdict": b.verdict.value,
            "recorded_on": b.recorded_on,
        }

    def side_rows(self, change: Change, b: Bag) -> Rows:
        return [
            (
                t.assessment_timeline,
                {
                    "assessment_id": id_text(b.id),
                    "day": change.day,
                    "unit": id_text(b.unit),
                    "period": b.period,
                    "kind": b.kind.value,
                    "score": b.score,
                    "verdict": b.verdict.value,
                },
            )
        ]
