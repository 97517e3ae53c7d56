"""Unit scorecards (单位考核): per unit and period, across tasks, complaints, interviews
and referrals, with the period's assessments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, or_, select

from domain.period import Period
from projections import tables as t
from projections.current_rows import standing
from projections.running_totals import summed_between
from projections.views.sign_for_waits import awaiting_past_deadline
from projections.views.task_board import OPEN


@dataclass(frozen=True)
class Scorecard:
    unit: str
    name: str
    period: str
    figures: dict[str, int] = field(default_factory=dict)
    overdue_tasks: int = 0
    assessments: dict[str, Decimal] = field(default_factory=dict)
    overdue_sign_fors: int = 0
    """Cases dispatched to the unit awaiting its sign-for at the period's end, past the
    deadline (its late sign-fors and returns in the period are ``figures``)."""

    def __getitem__(self, metric: str) -> int:
        return self.figures.get(metric, 0)


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a year (2021) or a quarter (2021-Q2)."""
    parsed = Period.parse(period)
    return parsed.start, parsed.end


def unit_scorecards(conn: Connection, period: str, as_of: date | None = None) -> list[Scorecard]:
    """Every unit's figures for the period: what happened in it, and what was overdue at its
    end (or at ``as_of``, for a period still under way then: a deadline to come is not
    overdue yet)."""
    start, end = period_bounds(period)
    if as_of is not None:
        end = min(end, as_of)
    return scorecards_between(conn, period, start, end)


def scorecards_between(conn: Connection, period: str, start: date, end: date) -> list[Scorecard]:
    """Every unit's figures from ``start`` to ``end`` (a month for the 督办通报, named
    ``period``): what happened in those days, and what was overdue at the end."""
    figures: dict[str, dict[str, int]] = defaultdict(dict)
    sums = summed_between(conn, t.unit_deltas, ("unit", "metric"), start, end)
    for (unit, metric), total in sums.items():
        figures[unit][metric] = int(total)
    overdue = _overdue_at(conn, end)
    awaited = awaiting_past_deadline(conn, end, "unit")
    assessments = _assessments(conn, period)
    names = dict(conn.execute(select(t.units.c.id, t.units.c.name)).all())
    return [
        Scorecard(
            unit,
            names[unit],
            period,
            figures.get(unit, {}),
            overdue.get(unit, 0),
            assessments.get(unit, {}),
            awaited.get(unit, 0),
        )
        for unit in sorted(names, key=lambda u: str(names[u]))
    ]


def _overdue_at(conn: Connection, day: date) -> dict[str, int]:
    """Per lead unit, tasks open at the end of ``day`` past their deadline as it stood then."""
    timeline, links = standing(conn, t.task_timeline, day), t.task_units
    rows = conn.execute(
        select(links.c.unit_id, func.count())
        .join_from(timeline, links, links.c.task_id == timeline.c.task_id)
        .where(links.c.role == "lead", timeline.c.state.in_(OPEN), timeline.c.deadline < day)
        .group_by(links.c.unit_id)
    )
    return {unit: int(n) for unit, n in rows}


def _assessments(conn: Connection, period: str) -> dict[str, dict[str, Decimal]]:
    a = t.assessments
    wanted = (
        or_(a.c.period == period, and_(a.c.period.like(f"{period}-Q%")))
        if "-" not in period
        else a.c.period == period
    )
    scores: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for unit, kind, score, row_period in conn.execute(
        select(a.c.unit, a.c.kind, a.c.score, a.c.period).where(wanted).order_by(a.c.period)
    ):
        scores[unit][kind if row_period == period else f"{kind}:{row_period}"] = Decimal(str(score))
    return scores
