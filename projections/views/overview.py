"""The 5+1+1 overview (营商环境“5+1+1”监督体系), as of any business date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from domain.assessment import AssessmentKind
from domain.channels import Channel
from domain.intakes import Intake
from domain.period import latest_begun
from domain.teams import Team
from projections import tables as t
from projections.running_totals import monthly_sums, summed, summed_between
from projections.views.case_figures import CaseFigures
from projections.views.intake_figures import IntakeFigures, intake_figures, next_receipt_due
from projections.views.measure_figures import MeasureFigures, measure_figures
from projections.views.overdue_cases import overdue_complaints
from projections.views.published_scores import Publication, latest_publication
from projections.views.sign_for_waits import awaiting_past_deadline
from projections.views.team_figures import TeamFigures, team_figures
from projections.views.timelines import latest_days


@dataclass(frozen=True)
class ChannelFigures(CaseFigures):
    """One channel's figures as of the day."""

    channel: Channel
    counts: dict[str, int]
    overdue: int
    sign_fors_awaited_overdue: int = 0


@dataclass(frozen=True)
class AssessmentEntry:
    unit: str
    period: str
    score: Decimal
    verdict: str
    rank: int


@dataclass(frozen=True)
class MonthChannel:
    """One channel's month: cases received and closed in it, and
    cases open past their deadline at its end (at the date asked about, for its month)."""

    channel: Channel
    received: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class Month:
    month: str
    """2021-03."""
    channels: list[MonthChannel]


@dataclass(frozen=True)
class Overview:
    """The five channels, results applied (+1) and the unit league table (+1)."""

    as_of: date
    channels: list[ChannelFigures]
    results_applied: list[AssessmentEntry]
    league: list[AssessmentEntry]
    measures: MeasureFigures
    """成果运用转化: founded findings turned into measures, and the measures' progress."""
    teams: list[TeamFigures] = field(default_factory=list)
    """三支队伍: the 三支队伍监督 cases' figures by team."""
    published: Publication | None = None
    """督导考核奖惩: the latest quarter's unit scores as published by the day."""
    intakes: list[IntakeFigures] = field(default_factory=list)
    """受理专线: each intake line's cases and their receipts."""
    changes_at: datetime | None = None
    """The next moment these figures change with nothing written (a receipt falling late),
    within the day; None: not before the day ends."""


def supervision_overview(
    conn: Connection,
    as_of: date,
    teams: Sequence[Team] = (),
    intakes: Sequence[Intake] = (),
    now: datetime | None = None,
) -> Overview:
    """The overview as of ``as_of``; ``teams``: the policy's teams, each with its figures
    (and any other team a recorded case names); ``intakes`` likewise, the policy's intake
    lines, their receipts looked at as of ``now`` for a day not over."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    sums = summed(conn, t.complaint_deltas, ("channel", "metric"), as_of)
    for (channel, metric), total in sums.items():
        counts[channel][metric] = int(total)
    overdue = overdue_complaints(conn, as_of)
    awaited = awaiting_past_deadline(conn, as_of, "channel")
    channels = [
        ChannelFigures(c, counts.get(c.value, {}), overdue.get(c.value, 0), awaited.get(c.value, 0))
        for c in Channel
    ]
    return Overview(
        as_of,
        channels,
        _latest(conn, AssessmentKind.RESULTS_APPLIED, as_of),
        _latest(conn, AssessmentKind.UNIT_ASSESSMENT, as_of),
        measure_figures(conn, as_of),
        team_figures(conn, as_of, teams),
        published=latest_publication(conn, as_of),
        intakes=intake_figures(conn, as_of, intakes, now),
        changes_at=next_receipt_due(conn, as_of, now),
    )


def monthly_figures(conn: Connection, as_of: date) -> list[Month]:
    """Per month of ``as_of``'s year up to ``as_of`` and per channel: received, closed
    (the month's deltas) and overdue (at the month's end, or at ``as_of``). A query per
    month: read only when asked for, not with every overview."""
    flows: dict[tuple[int, str, str], int] = defaultdict(int)
    sums = monthly_sums(
        conn,
        t.complaint_deltas,
        ("channel", "metric"),
        as_of,
        since=date(as_of.year, 1, 1),
        where=lambda d: (d.c.metric.in_(("received", "closed")),),
    )
    for (month, channel, metric), total in sums.items():
        flows[(month.month, channel, metric)] += int(total)
    months = []
    for m in range(1, as_of.month + 1):
        end = min(as_of, _month_end(as_of.year, m))
        overdue = overdue_complaints(conn, end)
        channels = [
            MonthChannel(
                c,
                flows[(m, c.value, "received")],
                flows[(m, c.value, "closed")],
                overdue.get(c.value, 0),
            )
            for c in Channel
        ]
        months.append(Month(f"{as_of.year}-{m:02d}", channels))
    return months


def channel_counts_between(
    conn: Connection, start: date, end: date
) -> dict[Channel, dict[str, int]]:
    """Per channel, each metric's deltas from ``start`` to ``end`` (the month of a 督办通报):
    cases received, closed, closed on time, called back and found satisfied in those days."""
    counts: dict[Channel, dict[str, int]] = {c: {} for c in Channel}
    sums = summed_between(conn, t.complaint_deltas, ("channel", "metric"), start, end)
    for (channel, metric), total in sums.items():
        counts[Channel(channel)][metric] = int(total)
    return counts


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _latest(conn: Connection, kind: AssessmentKind, as_of: date) -> list[AssessmentEntry]:
    """The assessments of ``kind`` for the latest period recorded by ``as_of`` (compared as
    periods, ``domain.period``; one not begun by ``as_of`` never stands), ranked, each with
    its score as it stood on ``as_of`` (a later revision does not count yet)."""
    a = t.assessment_timeline
    latest = latest_days(a.c.assessment_id, a.c.day, as_of, a.c.kind == kind.value)
    standing = (
        select(a.c.unit, a.c.period, a.c.score, a.c.verdict)
        .join_from(
            latest, a, and_(a.c.assessment_id == latest.c.assessment_id, a.c.day == latest.c.day)
        )
        .subquery()
    )
    recorded = list(conn.scalars(select(standing.c.period).distinct()))
    latest_period = latest_begun(recorded, as_of)
    if latest_period is None:
        return []
    period = str(latest_period)
    rows = conn.execute(
        select(standing.c.unit, standing.c.score, standing.c.verdict)
        .where(standing.c.period == period)
        .order_by(standing.c.score.desc(), standing.c.unit)
    ).all()
    return [
        AssessmentEntry(unit, str(period), Decimal(str(score)), verdict, rank)
        for rank, (unit, score, verdict) in enumerate(rows, start=1)
    ]
