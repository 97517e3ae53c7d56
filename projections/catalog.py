"""The ledger's projections, and how to build a runner over them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from uuid import UUID

from sqlalchemy import Engine

from domain.ledger import Ledger
from domain.log_tables import events_table
from domain.meta import LedgerEvent
from projections import kinds
from projections import measure_tables as mt
from projections import score_tables as st
from projections import tables as t
from projections.audit import AuditProjection
from projections.complaint_kind import ComplaintKind
from projections.current_rows import current_tables
from projections.engine import Runner
from projections.enterprise_kind import EnterpriseKind
from projections.enterprise_tables import enterprises
from projections.items import ItemHistory, ItemProjection
from projections.measure_kind import MeasureItemKind
from projections.projection import AnyProjection
from projections.row_checks import RowCheck, decodable_rows
from projections.running_totals import companions
from projections.score_kinds import EvaluationKind, QuarterScoresKind
from projections.seal import SealProjection
from projections.signed_rows import signed_rows
from projections.stored_rows import stored_rows

UNIT_DELTAS = {t.unit_deltas: ("source", "unit", "metric")}


class TaskProjection(ItemProjection):
    """Units and the task board, with the units' task figures (v4: the tasks' milestones
    and the day each was reached; v5: what the timed acts have done, and have yet to do; v6:
    the tasks' cooperating groups, kinds of unit; v7: the units' figures' running sums, and
    each task's current row, ``projections.current_rows``)."""

    name, version = "tasks", 7
    tables = (
        t.units,
        t.tasks,
        t.task_units,
        t.task_groups,
        t.task_timeline,
        t.task_milestones,
        *current_tables(t.task_timeline),
    )
    source = "tasks"

    def __init__(self, history: ItemHistory) -> None:
        super().__init__((kinds.UnitKind(), kinds.TaskKind()), UNIT_DELTAS, history)


class ComplaintProjection(ItemProjection):
    """Complaints of the five channels, their deadlines, their sign-fors awaited and the
    5+1+1 totals (v4: late sign-fors and returns, and the sign-for timeline; v5: the
    三支队伍监督 cases' team, and their totals by team; v6: each case's requests for
    materials, and the units' requests and breaches of 一次告知; v7: the deadline the timed
    acts last urged each case for; v8: the enterprise a case names, its intake line and
    its receipt, due and done; v9: the totals' running sums, now and by month,
    ``projections.running_totals``, and each sign-for's and deadline's current row)."""

    name, version = "complaints", 9
    tables = (
        t.complaints,
        t.complaint_deadlines,
        t.sign_for_timeline,
        *current_tables(t.sign_for_timeline, t.complaint_deadlines),
        t.complaint_deltas,
        t.team_deltas,
        *companions(t.complaint_deltas, t.team_deltas),
    )
    source = "complaints"

    def __init__(self, history: ItemHistory) -> None:
        super().__init__(
            (ComplaintKind(),),
            {
                t.complaint_deltas: ("channel", "metric"),
                t.team_deltas: ("team", "metric"),
                **UNIT_DELTAS,
            },
            history,
        )


class LegacyProjection(ItemProjection):
    """The legacy-problem ledger, its targets and its dated totals (v3: with their running
    sums, now and by month)."""

    name, version = "legacy", 3
    tables = (t.legacy_issues, t.legacy_targets, t.legacy_deltas, *companions(t.legacy_deltas))

    def __init__(self, history: ItemHistory) -> None:
        super().__init__(
            (kinds.LegacyIssueKind(), kinds.LegacyTargetKind()),
            {t.legacy_deltas: ("category", "unit", "tier", "baseline", "target_year", "metric")},
            history,
        )


class OversightProjection(ItemProjection):
    """Interviews, referrals and assessments, with the units' figures for them (v5: the
    enterprises served one-to-one and their service contracts; v6: the enterprises'
    evaluations of agencies, the quarters' published scores and their formulas; v7: the
    units' figures' running sums, and the timelines' current rows)."""

    name, version = "oversight", 7
    tables = (
        t.interviews,
        t.referrals,
        t.oversight_timeline,
        t.assessments,
        t.assessment_timeline,
        *current_tables(t.oversight_timeline, t.assessment_timeline),
        enterprises,
        st.enterprise_evaluations,
        st.quarter_scores,
        st.score_formulas,
    )
    source = "oversight"

    def __init__(self, history: ItemHistory) -> None:
        super().__init__(
            (
                kinds.InterviewKind(),
                kinds.ReferralKind(),
                kinds.AssessmentKind(),
                EnterpriseKind(),
                EvaluationKind(),
                QuarterScoresKind(),
            ),
            UNIT_DELTAS,
            history,
        )


class MeasureProjection(ItemProjection):
    """Measures (成果运用转化) and their links to the findings they come from."""

    name, version = "measures", 1
    tables = (mt.measures, mt.measure_findings)

    def __init__(self, history: ItemHistory) -> None:
        super().__init__((MeasureItemKind(),), {}, history)


PROJECTION_NAMES = tuple(
    p.name
    for p in (
        TaskProjection,
        ComplaintProjection,
        LegacyProjection,
        OversightProjection,
        MeasureProjection,
        AuditProjection,
        SealProjection,
    )
)


def all_projections(ledger: Ledger, engine: Engine) -> list[AnyProjection]:
    def history(item_id: UUID, version: int) -> Sequence[LedgerEvent]:
        events = ledger.events.get(item_id, lte=version - 1)
        return [e for e in events if isinstance(e, LedgerEvent)]

    return [
        TaskProjection(history),
        ComplaintProjection(history),
        LegacyProjection(history),
        OversightProjection(history),
        MeasureProjection(history),
        AuditProjection(events_table(ledger.recorder), engine),
        SealProjection(partial(stored_rows, ledger.recorder)),
    ]


def row_checks(ledger: Ledger) -> list[RowCheck]:
    """The checks every runner makes of the stored rows before projecting them: a row
    one refuses stops every projection at its position (``projections.row_checks``)."""
    return [decodable_rows(ledger.mapper), signed_rows(ledger.recorder)]


def runner_for(ledger: Ledger, engine: Engine, names: Sequence[str] = ()) -> Runner:
    """A runner over the named projections (all of them when none are named)."""
    projections = [p for p in all_projections(ledger, engine) if not names or p.name in names]
    return Runner(ledger, engine, projections, row_checks=row_checks(ledger))
