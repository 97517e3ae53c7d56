"""How each kind of item appears in the read models: its row and its contributions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table

from domain.channels import Channel
from domain.complaint_events import ComplaintState
from domain.escalation import Tier
from domain.interview import InterviewState
from domain.legacy_issue import LegacyState
from domain.task_events import TaskState
from domain.timeliness import TimeRules
from projections import tables as t
from projections.bags import Bag
from projections.engine import Change
from projections.items import Key

NO_ROWS: tuple[tuple[Table, dict[str, Any]], ...] = ()


def _ids(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values]


def _unit(bag_value: Any) -> str | None:
    return str(bag_value) if bag_value is not None else None


class UnitKind:
    item_type, table = "Unit", t.units

    def columns(self, b: Bag) -> dict[str, Any]:
        return {"name": b.name, "kind": b.kind.value, "merged_into": _unit(b.merged_into)}

    def contributions(self, b: Bag) -> Counter[Key]:
        return Counter()

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS


class TaskKind:
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

    def contributions(self, b: Bag) -> Counter[Key]:
        c: Counter[Key] = Counter()
        if b.state is TaskState.REGISTERED:
            return c
        for unit in _ids(b.lead_units):
            c[(t.unit_deltas, ("tasks", unit, "tasks_led"))] += 1
            c[(t.unit_deltas, ("tasks", unit, "urges"))] += b.urge_count
            c[(t.unit_deltas, ("tasks", unit, "escalated"))] += b.tier is not Tier.TASK_FORCE
            if b.state is TaskState.CLOSED:
                c[(t.unit_deltas, ("tasks", unit, "tasks_closed"))] += 1
                on_time = b.deadline is not None and b.closed_on <= b.deadline
                c[(t.unit_deltas, ("tasks", unit, "tasks_closed_on_time"))] += on_time
        for unit in _ids(b.cooperating_units):
            c[(t.unit_deltas, ("tasks", unit, "tasks_cooperating"))] += 1
        return c

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        if type(change.event).__name__ != "Assigned":
            return NO_ROWS
        task = str(b.id)
        return [
            *(
                (t.task_units, {"task_id": task, "unit_id": u, "role": "lead"})
                for u in _ids(b.lead_units)
            ),
            *(
                (t.task_units, {"task_id": task, "unit_id": u, "role": "cooperating"})
                for u in _ids(b.cooperating_units)
            ),
        ]


class ComplaintKind:
    item_type, table = "Complaint", t.complaints

    def __init__(self, rules: TimeRules) -> None:
        self.rules = rules

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "channel": b.channel.value,
            "received_on": b.received_on,
            "close_by": b.close_by,
            "closed_on": b.closed_on,
            "rectified_on": b.rectified_on,
            "first_replied_on": b.first_replied_on,
            "returns": b.return_count,
            "reopenings": b.reopen_count,
            "founded": b.founded,
            "satisfied": b.satisfied,
            "reward_yuan": b.reward,
            "first_responder": str(b.first_responder),
            "accountable_unit": str(b.accountable_unit),
            "handling_unit": _unit(b.handling_unit),
            "subject_unit": _unit(b.subject_unit),
        }

    def contributions(self, b: Bag) -> Counter[Key]:
        channel, unit = b.channel.value, str(b.accountable_unit)
        c: Counter[Key] = Counter()
        for metric, value in self._facts(b):
            c[(t.complaint_deltas, (channel, metric))] = value
            if metric in UNIT_FACTS:
                c[(t.unit_deltas, ("complaints", unit, metric))] = value
        exposure = EXPOSURES.get(b.channel)
        if exposure and b.subject_unit is not None and b.founded:
            c[(t.unit_deltas, ("complaints", str(b.subject_unit), exposure))] = 1
        return c

    def _facts(self, b: Bag) -> Iterable[tuple[str, int]]:
        """The complaint's countable facts that are not zero."""
        yield "received", 1
        if b.return_count:
            yield "returned", b.return_count
        if b.reopen_count:
            yield "reopened", b.reopen_count
        if b.founded is True:
            yield "to_rectify", 1
        elif b.founded is False and b.state in UNFOUNDED_FINAL:
            yield "unfounded", 1
        if b.rectified_on is not None:
            yield "rectified", 1
            if b.rectified_on <= b.close_by:
                yield "rectified_on_time", 1
        if b.state is ComplaintState.CLOSED:
            yield "closed", 1
            if b.closed_on <= b.close_by:
                yield "closed_on_time", 1
        if b.satisfied is not None:
            yield "called_back", 1
            if b.satisfied:
                yield "satisfied", 1
        if b.reward is not None:
            yield "rewarded", 1
            yield "reward_yuan", b.reward
        if b.first_replied_on is not None:
            yield "replied", 1
            yield (
                "reply_working_days",
                self.rules.calendar.working_days_between(b.received_on, b.first_replied_on),
            )

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        if type(change.event).__name__ not in ("Received", "DeadlineExtended"):
            return NO_ROWS
        return [
            (
                t.complaint_deadlines,
                {
                    "complaint_id": str(b.id),
                    "effective_on": change.event.business_date,
                    "close_by": b.close_by,
                },
            )
        ]


UNFOUNDED_FINAL = (ComplaintState.APPEAL_UPHELD, ComplaintState.CLOSED)
UNIT_FACTS = {"received", "returned", "closed", "closed_on_time", "called_back", "satisfied"}
EXPOSURES = {Channel.GOOD_BAD_REVIEW: "bad_reviews", Channel.MEDIA: "media_exposures"}


class LegacyIssueKind:
    item_type, table = "LegacyIssue", t.legacy_issues

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "title": b.title,
            "category": b.category.value,
            "responsible_unit": str(b.responsible_unit),
            "tier": b.tier.value,
            "target_year": b.target_year,
            "baseline": b.baseline,
            "registered_on": b.registered_on,
        }

    def contributions(self, b: Bag) -> Counter[Key]:
        dims = (b.category.value, str(b.responsible_unit), b.tier.value, b.baseline, b.target_year)
        c: Counter[Key] = Counter({(t.legacy_deltas, (*dims, "total")): 1})
        c[(t.legacy_deltas, (*dims, "resolved"))] = int(b.state is LegacyState.RESOLVED)
        c[(t.legacy_deltas, (*dims, "suspended"))] = int(b.state is LegacyState.SUSPENDED)
        return c

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS


class LegacyTargetKind:
    item_type, table = "LegacyTarget", t.legacy_targets

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "year": b.year,
            "goal": b.goal,
            "due": b.due,
            "required_resolved_percent": b.required_resolved_percent,
        }

    def contributions(self, b: Bag) -> Counter[Key]:
        return Counter()

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS


class InterviewKind:
    item_type, table = "Interview", t.interviews

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "unit": str(b.unit),
            "scheduled_for": b.scheduled_for,
            "rectify_by": b.rectify_by,
            "rectified": b.rectified,
        }

    def contributions(self, b: Bag) -> Counter[Key]:
        held = b.state in (InterviewState.HELD, InterviewState.FOLLOWED_UP)
        return Counter(
            {
                (t.unit_deltas, ("oversight", str(b.unit), "interviews")): int(held),
                (t.unit_deltas, ("oversight", str(b.unit), "interviews_rectified")): int(
                    bool(b.rectified)
                ),
            }
        )

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS


class ReferralKind:
    item_type, table = "Referral", t.referrals

    def columns(self, b: Bag) -> dict[str, Any]:
        return {"unit": str(b.unit), "outcome": b.outcome, "accountable": b.accountable}

    def contributions(self, b: Bag) -> Counter[Key]:
        return Counter(
            {
                (t.unit_deltas, ("oversight", str(b.unit), "referrals")): 1,
                (t.unit_deltas, ("oversight", str(b.unit), "referrals_accountable")): int(
                    bool(b.accountable)
                ),
            }
        )

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS


class AssessmentKind:
    item_type, table = "Assessment", t.assessments

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "unit": str(b.unit),
            "period": b.period,
            "kind": b.kind.value,
            "score": b.score,
            "verdict": b.verdict.value,
            "recorded_on": b.recorded_on,
        }

    def contributions(self, b: Bag) -> Counter[Key]:
        return Counter()

    def side_rows(self, change: Change, b: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        return NO_ROWS
