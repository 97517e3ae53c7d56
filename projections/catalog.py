"""The ledger's projections, and how to build a runner over them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine

from domain.ledger import Ledger
from domain.timeliness import TimeRules
from projections import kinds
from projections import tables as t
from projections.bulk import insert_rows
from projections.complaint_kind import ComplaintKind
from projections.engine import Change, Projection, Runner
from projections.items import ItemProjection

UNIT_DELTAS = {t.unit_deltas: ("source", "unit", "metric")}


class TaskProjection(ItemProjection):
    """Units and the task board, with the units' task figures."""

    name, version = "tasks", 1
    tables = (t.units, t.tasks, t.task_units)
    source = "tasks"

    def __init__(self) -> None:
        super().__init__((kinds.UnitKind(), kinds.TaskKind()), UNIT_DELTAS)


class ComplaintProjection(ItemProjection):
    """Complaints of the five channels, their deadlines and the 5+1+1 totals."""

    name, version = "complaints", 1
    tables = (t.complaints, t.complaint_deadlines, t.complaint_deltas)
    source = "complaints"

    def __init__(self, rules: TimeRules) -> None:
        super().__init__(
            (ComplaintKind(rules),),
            {t.complaint_deltas: ("channel", "metric"), **UNIT_DELTAS},
        )


class LegacyProjection(ItemProjection):
    """The legacy-problem ledger, its targets and its dated totals."""

    name, version = "legacy", 1
    tables = (t.legacy_issues, t.legacy_targets, t.legacy_deltas)

    def __init__(self) -> None:
        super().__init__(
            (kinds.LegacyIssueKind(), kinds.LegacyTargetKind()),
            {t.legacy_deltas: ("category", "unit", "tier", "baseline", "target_year", "metric")},
        )


class OversightProjection(ItemProjection):
    """Interviews, referrals and assessments, with the units' figures for them."""

    name, version = "oversight", 1
    tables = (t.interviews, t.referrals, t.assessments)
    source = "oversight"

    def __init__(self) -> None:
        super().__init__(
            (kinds.InterviewKind(), kinds.ReferralKind(), kinds.AssessmentKind()), UNIT_DELTAS
        )


class AuditProjection(Projection):
    """The audit index: every event, searchable by who, what and both time axes."""

    name, version = "audit", 1
    tables = (t.audit_events,)

    def handles(self, change: Change) -> bool:
        return True

    def apply(self, conn: Connection, changes: Sequence[Change]) -> None:
        if changes:
            insert_rows(conn, t.audit_events, [_audit_row(c) for c in changes])


def _audit_row(change: Change) -> dict[str, object]:
    event = change.event
    return {
        "position": change.position,
        "item_id": str(event.originator_id),
        "item_type": change.item_type,
        "version": event.originator_version,
        "event_type": type(event).__name__,
        "actor_id": event.actor.id,
        "actor_role": event.actor.role.value,
        "actor_unit": str(event.actor.unit) if event.actor.unit else None,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "request_id": event.request_id,
        "imported": event.imported,
        "lag_seconds": int((event.recorded_at - event.occurred_at).total_seconds()),
        "data": change.stored.decode("utf-8"),
    }


PROJECTION_NAMES = tuple(
    p.name
    for p in (
        TaskProjection,
        ComplaintProjection,
        LegacyProjection,
        OversightProjection,
        AuditProjection,
    )
)


def all_projections(rules: TimeRules) -> list[Projection]:
    return [
        TaskProjection(),
        ComplaintProjection(rules),
        LegacyProjection(),
        OversightProjection(),
        AuditProjection(),
    ]


def runner_for(ledger: Ledger, engine: Engine, names: Sequence[str] = ()) -> Runner:
    """A runner over the named projections (all of them when none are named)."""
    projections = [p for p in all_projections(ledger.rules) if not names or p.name in names]
    return Runner(ledger, engine, projections)
