"""Legacy-issue totals (历史遗留问题总台账), as of any business date; the targets' progress is
in ``projections.views.legacy_targets``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from projections import rates
from projections import tables as t
from projections.views.legacy_targets import TargetProgress, target_progress


@dataclass(frozen=True)
class Breakdown:
    key: str
    total: int
    resolved: int

    @property
    def remaining(self) -> int:
        return self.total - self.resolved


@dataclass(frozen=True)
class Month:
    month: str
    registered: int
    resolved: int
    total_to_date: int
    resolved_to_date: int


@dataclass(frozen=True)
class LegacyTotals:
    as_of: date
    total: int
    baseline: int
    new_since_baseline: int
    resolved: int
    suspended: int
    by_category: list[Breakdown]
    by_unit: list[Breakdown]
    by_tier: list[Breakdown]
    monthly: list[Month]
    targets: list[TargetProgress]

    @property
    def remaining(self) -> int:
        return self.total - self.resolved

    @property
    def resolution_rate(self) -> float | None:
        return rates.resolution_rate(self.resolved, self.total)


def legacy_issue_totals(conn: Connection, as_of: date) -> LegacyTotals:
    d = t.legacy_deltas
    rows = conn.execute(
        select(
            d.c.category,
            d.c.unit,
            d.c.tier,
            d.c.baseline,
            d.c.target_year,
            d.c.metric,
            func.sum(d.c.delta),
        )
        .where(d.c.day <= as_of)
        .group_by(d.c.category, d.c.unit, d.c.tier, d.c.baseline, d.c.target_year, d.c.metric)
    ).all()
    sums: dict[str, int] = defaultdict(int)
    for *_, baseline, _year, metric, total in rows:
        sums[metric] += int(total)
        if metric == "total":
            sums["baseline" if baseline else "new"] += int(total)
    return LegacyTotals(
        as_of=as_of,
        total=sums["total"],
        baseline=sums["baseline"],
        new_since_baseline=sums["new"],
        resolved=sums["resolved"],
        suspended=sums["suspended"],
        by_category=_breakdown(rows, 0),
        by_unit=_breakdown(rows, 1),
        by_tier=_breakdown(rows, 2),
        monthly=_monthly(conn, as_of),
        targets=target_progress(conn, as_of),
    )


def _breakdown(rows: Sequence[Any], column: int) -> list[Breakdown]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        totals[str(row[column])][str(row[5])] += int(row[6])
    return [Breakdown(key, m["total"], m["resolved"]) for key, m in sorted(totals.items())]


def _monthly(conn: Connection, as_of: date) -> list[Month]:
    d = t.legacy_deltas
    per_day = conn.execute(
        select(d.c.day, d.c.metric, func.sum(d.c.delta))
        .where(d.c.day <= as_of, d.c.metric.in_(("total", "resolved")))
        .group_by(d.c.day, d.c.metric)
    ).all()
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, metric, total in per_day:
        months[day.strftime("%Y-%m")][metric] += int(total)
    series, total_to_date, resolved_to_date = [], 0, 0
    for month, m in sorted(months.items()):
        total_to_date += m["total"]
        resolved_to_date += m["resolved"]
        series.append(Month(month, m["total"], m["resolved"], total_to_date, resolved_to_date))
    return series
