"""The rows of a 台账 sheet: each item as it stood at the end of a business day.

The items listed are those of the read models (confined to one unit's, for a unit's
staff, exactly as the GraphQL lists are: ``projections.views.listing``); each is folded
from its own events up to the version it had that day (``api.exports.item_acts``), so that
its state, light, deadline and the dates of its acts are those of that day, and an item
created later is not listed. The audit index (the acts) is projected after the lists: an
item is exported as of the latest version it holds, and not at all before it holds one;
if it has stopped, ``ReadModelStopped`` (the export would be stale for good). Titles and
units' names are as they are now. Tasks are in plan order (year, number), everything else
in the order it was created.

Personal data (complainants' names and phones) goes through ``protect``, the caller's
decision: masked, or opened for a stated purpose and recorded (``api.graphql.disclosure``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from api.exports import plan_milestones
from api.exports.item_acts import ItemActs, acts_of, audit_stopped, derived_number, task_number
from api.exports.legacy_history import legacy_history
from api.exports.scorecard_rows import scorecard_rows
from api.item_details import items_at
from api.labels import label
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.interview import Interview
from domain.ledger import Ledger
from domain.legacy_issue import LegacyIssue
from domain.meta import LedgerItem
from domain.referral import Referral
from domain.task import Task
from domain.unit import GROUP_LABELS
from projections import tables as t
from projections.views import listing
from projections.views.task_board import light_of

Row = dict[str, Any]
Protect = Callable[[str, dict[str, Any]], dict[str, Any]]
"""(item id, personal fields as recorded) -> the fields as this export shows them."""

ITEM_LISTS: dict[str, tuple[str, type[LedgerItem]]] = {
    "tasks": ("tasks", Task),
    "complaints": ("complaints", Complaint),
    "legacy-issues": ("legacy_issues", LegacyIssue),
    "interviews": ("interviews", Interview),
    "referrals": ("referrals", Referral),
}


@dataclass(frozen=True)
class Selection:
    """Which rows an export holds: the list, the day it is read as of (``as_of``, or
    ``today`` when none is asked), the unit it is confined to (None: every item), and for
    the scorecards the period (a year, or a quarter as 2021-Q2)."""

    what: str
    today: date
    as_of: date | None = None
    unit: str | None = None
    period: str | None = None

    @property
    def day(self) -> date:
        return self.as_of or self.today


def ledger_rows(
    ledger: Ledger, conn: Connection, selection: Selection, protect: Protect
) -> list[Row]:
    """The rows of ``selection`` (a ``ValidationError`` naming what cannot be exported)."""
    if selection.as_of is not None and selection.as_of > selection.today:
        raise ValidationError("asOf", "must not be after today")
    if selection.what == "scorecards":
        return scorecard_rows(conn, selection.period, selection.as_of, selection.unit)
    kind, item_type = ITEM_LISTS[selection.what]
    audit_stopped(conn)
    rows = listing.all_rows(conn, kind, listing.Criteria(unit=selection.unit))
    acts = acts_of(conn, [r["id"] for r in rows])
    versions = {}
    for r in rows:
        known = acts.get(r["id"], ItemActs())
        # the audit index is projected after the lists: an item it has not reached yet is
        # exported as of its latest version there (not at all if it has none yet)
        latest = known.version_on(selection.as_of) if selection.as_of else known.latest
        version = min(latest, r["version"])
        if version > 0:
            versions[r["id"]] = version
    items = items_at(ledger, item_type, versions)
    if selection.what != "tasks":
        rows.sort(key=lambda r: acts.get(r["id"], ItemActs()).position)
    maker = _RowMaker(ledger, _unit_names(conn), selection, protect)
    build = getattr(maker, selection.what.replace("-", "_"))
    return [
        build(items[r["id"]], acts[r["id"]], versions[r["id"]]) for r in rows if r["id"] in items
    ]


def _unit_names(conn: Connection) -> dict[str, str]:
    return {str(i): str(n) for i, n in conn.execute(select(t.units.c.id, t.units.c.name))}


class _RowMaker:
    """One row per item, by list (each method named after its list)."""

    def __init__(
        self, ledger: Ledger, names: dict[str, str], selection: Selection, protect: Protect
    ) -> None:
        self.rules, self.names, self.protect = ledger.current_rules(), names, protect
        self.day = selection.day

    def unit(self, unit: UUID | None) -> str:
        return "" if unit is None else self.names.get(str(unit), str(unit))

    def units(self, units: Iterable[UUID]) -> list[str]:
        return [self.unit(u) for u in units]

    def tasks(self, task: Task, acts: ItemActs, v: int) -> Row:
        light = light_of(
            self.rules,
            state=task.state.value,
            assigned_on=task.assigned_on,
            deadline=task.deadline,
            progress=task.progress,
            today=self.day,
        )
        groups = [GROUP_LABELS[kind] for kind in task.cooperating_groups]
        return {
            "number": task_number(task.plan_year, task.number, acts.position),
            "id": str(task.id),
            "plan_year": task.plan_year,
            "plan_number": task.number,
            "section": task.section,
            "title": task.title,
            "description": task.description,
            "lead_units": self.units(task.lead_units),
            "cooperating_units": self.units(task.cooperating_units) + groups,
            "cooperation_note": task.cooperation_note,
            "milestones": plan_milestones.written(task.milestones, task.milestones_reached),
            "deadline": task.deadline,
            "state": label(task.state),
            "light": label(light),
            "progress": task.progress,
            "tier": label(task.tier),
            "urges": task.urge_count,
            "registered_on": acts.first(["Registered"], v),
            "assigned_on": task.assigned_on,
            "accepted_on": acts.first(["Accepted"], v),
            "completion_requested_on": acts.last(["CompletionRequested"], v),
            "closed_on": task.closed_on,
            "reopened_on": acts.last(["Reopened"], v),
        }

    def complaints(self, case: Complaint, acts: ItemActs, v: int) -> Row:
        item_id = str(case.id)
        personal = self.protect(
            item_id,
            {
                "complainant_name": case.complainant_name,
                "complainant_phone": case.complainant_phone,
            },
        )
        return {
            "number": case.number or derived_number("complaints", acts.position),
            "id": item_id,
            "channel": label(case.channel),
            "summary": case.summary,
            "complainant_name": personal["complainant_name"],
            "complainant_phone": personal["complainant_phone"],
            "first_responder": self.unit(case.first_responder),
            "accountable_unit": self.unit(case.accountable_unit),
            "handling_unit": self.unit(case.handling_unit),
            "received_on": case.received_on,
            "close_by": case.close_by,
            "state": label(case.state),
            "overdue": self.rules.is_overdue(case.close_by, self.day, case.closed_on),
            "returns": case.return_count,
            "reopenings": case.reopen_count,
            "satisfied": case.satisfied,
            "reward_yuan": case.reward,
            "dispatched_on": acts.first(["Dispatched", "Redispatched"], v),
            "signed_for_on": acts.last(["SignedFor"], v),
            "rectified_on": case.rectified_on,
            "called_back_on": acts.last(["CalledBack"], v),
            "closed_on": case.closed_on,
            "reopened_on": acts.last(["Reopened"], v),
        }

    def legacy_issues(self, issue: LegacyIssue, acts: ItemActs, v: int) -> Row:
        return {
            "number": issue.number or derived_number("legacy-issues", acts.position),
            "id": str(issue.id),
            "title": issue.title,
            "category": label(issue.category),
            "cause": issue.cause,
            "parties": list(issue.parties),
            "responsible_unit": self.unit(issue.responsible_unit),
            "tier": label(issue.tier),
            "target_year": issue.target_year,
            "baseline": issue.baseline,
            "state": label(issue.state),
            "milestones": _milestones(issue.milestones, issue.milestones_reached),
            "registered_on": issue.registered_on,
            "planned_on": acts.first(["PlanAdopted"], v),
            "suspended_on": acts.last(["Suspended"], v),
            "resolved_on": acts.last(["ResolutionVerified"], v),
            "reopened_on": acts.last(["Reopened"], v),
            "history": legacy_history(issue, acts, v),
        }

    def interviews(self, interview: Interview, acts: ItemActs, v: int) -> Row:
        people = [
            p.name if p.post is None else f"{p.name}（{p.post}）" for p in interview.interviewees
        ]
        return {
            "number": derived_number("interviews", acts.position),
            "id": str(interview.id),
            "unit": self.unit(interview.unit),
            "interviewees": people,
            "reason": interview.reason,
            "state": label(interview.state),
            "scheduled_for": interview.scheduled_for,
            "registered_on": acts.first(["Scheduled"], v),
            "held_on": interview.held_on,
            "rectify_by": interview.rectify_by,
            "rectified": interview.rectified,
            "rectified_on": interview.rectified_on,
            "cancelled_on": acts.last(["Cancelled"], v),
        }

    def referrals(self, referral: Referral, acts: ItemActs, v: int) -> Row:
        return {
            "number": derived_number("referrals", acts.position),
            "id": str(referral.id),
            "unit": self.unit(referral.unit),
            "persons": list(referral.persons),
            "reason": referral.reason,
            "evidence": [str(p) for p in referral.evidence],
            "state": label(referral.state),
            "outcome": referral.outcome or "",
            "accountable": referral.accountable,
            "made_on": acts.first(["Made"], v),
            "acknowledged_on": acts.first(["Acknowledged"], v),
            "concluded_on": acts.last(["OutcomeRecorded"], v),
        }


def _milestones(milestones: Iterable[Any], reached: frozenset[str]) -> list[str]:
    return [
        f"{m.title}（{m.due.isoformat()}{'，已完成' if m.key in reached else ''}）"
        for m in milestones
    ]
