"""The 5+1+1 overview (营商环境“5+1+1”监督体系), as of any business date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, and_, func, or_, select

from domain.assessment import AssessmentKind
from domain.channels import Channel
from projections import rates
from projections import tables as t
from projections.views.sign_for_waits import awaiting_past_deadline
from projections.views.timelines import latest_days


@dataclass(frozen=True)
class ChannelFigures:
    """One channel's figures as of the day."""

    channel: Channel
    counts: dict[str, int]
    overdue: int
    sign_fors_awaited_overdue: int = 0
    """Dispatches awaiting their sign-for on the day, past its deadline."""

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)

    @property
    def open(self) -> int:
        return rates.open_cases(self.counts)

    @property
    def returned(self) -> int:
        return self.counts.get("returned", 0)

    @property
    def sign_for_overdue(self) -> int:
        """跟踪问效: sign-fors recorded after their deadline by the day, and dispatches
        still awaiting their sign-for past it on the day."""
        return self.counts.get("late_sign_fors", 0) + self.sign_fors_awaited_overdue

    @property
    def return_overdue(self) -> int:
        """跟踪问效: returns (退单) recorded after their deadline by the day."""
        return self.counts.get("late_returns", 0)

    @property
    def rectified(self) -> int:
        return self.counts.get("rectified", 0)

    @property
    def rectification_rate(self) -> float | None:
        return rates.rectification_rate(self.counts)

    @property
    def on_time_rate(self) -> float | None:
        return rates.on_time_rate(self.counts)

    @property
    def satisfaction_rate(self) -> float | None:
        return rates.satisfaction_rate(self.counts)

    @property
    def rewards(self) -> int:
        return self.counts.get("rewarded", 0)

    @property
    def reward_yuan(self) -> int:
        return self.counts.get("reward_yuan", 0)

    @property
    def mean_reply_working_days(self) -> float | None:
        return rates.mean_reply_working_days(self.counts)


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


def supervision_overview(conn: Connection, as_of: date) -> Overview:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = conn.execute(
        select(
            t.complaint_deltas.c.channel,
            t.complaint_deltas.c.metric,
            func.sum(t.complaint_deltas.c.delta),
        )
        .where(t.complaint_deltas.c.day <= as_of)
        .group_by(t.complaint_deltas.c.channel, t.complaint_deltas.c.metric)
    )
    for channel, metric, total in rows:
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
    )


def monthly_figures(conn: Connection, as_of: date) -> list[Month]:
    """Per month of ``as_of``'s year up to ``as_of`` and per channel: received, closed
    (the month's deltas) and overdue (at the month's end, or at ``as_of``). A query per
    month: read only when asked for, not with every overview."""
    d = t.complaint_deltas
    flows: dict[tuple[int, str, str], int] = defaultdict(int)
    rows = conn.execute(
        select(d.c.day, d.c.channel, d.c.metric, d.c.delta).where(
            d.c.day >= date(as_of.year, 1, 1),
            d.c.day <= as_of,
            d.c.metric.in_(("received", "closed")),
        )
    )
    for day, channel, metric, delta in rows:
        flows[(day.month, channel, metric)] += int(delta)
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


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def overdue_complaints(conn: Connection, as_of: date) -> dict[str, int]:
    """Per channel, cases open on ``as_of`` whose deadline as it stood then had passed."""
    c, d = t.complaints, t.complaint_deadlines
    deadline = (
        select(d.c.close_by)
        .where(d.c.complaint_id == c.c.id, d.c.effective_on <= as_of)
        .order_by(d.c.effective_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(c.c.channel, func.count())
        .where(
            c.c.received_on <= as_of,
            or_(c.c.closed_on.is_(None), c.c.closed_on > as_of),
            deadline < as_of,
        )
        .group_by(c.c.channel)
    )
    return {channel: int(n) for channel, n in rows}


def _latest(conn: Connection, kind: AssessmentKind, as_of: date) -> list[AssessmentEntry]:
    """The assessments of ``kind`` for the latest period recorded by ``as_of``, ranked,
    each with its score as it stood on ``as_of`` (a later revision does not count yet)."""
    a = t.assessment_timeline
    latest = latest_days(a.c.assessment_id, a.c.day, as_of, a.c.kind == kind.value)
    standing = (
        select(a.c.unit, a.c.period, a.c.score, a.c.verdict)
        .join_from(
            latest, a, and_(a.c.assessment_id == latest.c.assessment_id, a.c.day == latest.c.day)
        )
        .subquery()
    )
    period = conn.scalar(select(func.max(standing.c.period)))
    if period is None:
        return []
    rows = conn.execute(
        select(standing.c.unit, standing.c.score, standing.c.verdict)
        .where(standing.c.period == period)
        .order_by(standing.c.score.desc(), standing.c.unit)
    ).all()
    return [
        AssessmentEntry(unit, str(period), Decimal(str(score)), verdict, rank)
        for rank, (unit, score, verdict) in enumerate(rows, start=1)
    ]
