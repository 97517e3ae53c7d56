"""Legacy-issue totals (历史遗留问题总台账), as of any business date; the targets' progress is
in ``projections.views.legacy_targets``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from projections import rates
from projections import tables as t
from projections.running_totals import monthly_sums, summed
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
    keys = ("category", "unit", "tier", "baseline", "target_year", "metric")
    rows = [(*key, total) for key, total in summed(conn, t.legacy_deltas, keys, as_of).items()]
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
    per_month = monthly_sums(
        conn,
        t.legacy_deltas,
        ("metric",),
        as_of,
        where=lambda d: (d.c.metric.in_(("total", "resolved")),),
    )
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (month, metric), total in per_month.items():
        months[month.strftime("%Y-%m")][metric] += int(total)
    series, total_to_date, resolved_to_date = [], 0, 0
    for month, m in sorted(months.items()):
        total_to_date += m["total"]
        resolved_to_date += m["resolved"]
        series.append(Month(month, m["total"], m["resolved"], total_to_date, resolved_to_date))
    return series
