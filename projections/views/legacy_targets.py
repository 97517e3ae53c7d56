"""Progress against the legacy targets (2021, 2022, 2025), and whether each was met.

A target counts the problems due by its year (target year not later) registered up to its
due date, or up to the day asked about when that comes first, and how many of them stood
resolved (销号) then; a resolution after the due date does not count for it. It is judged
as of its due date (that whole day counted) and any later day, from the counts as they
stood on the due date: ``domain.legacy_target.shortfalls`` says what it falls short of.
Before the due date ``met`` is None (not yet judged), whatever the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Row, select

from domain.legacy_target import TargetShortfall, shortfalls
from projections import rates
from projections import tables as t
from projections.running_totals import summed


@dataclass(frozen=True)
class TargetProgress:
    """Progress against one target year: issues due by then, how many are resolved, how many
    problems new since the baseline were registered, and whether it is judged yet."""

    year: int
    goal: str
    due: date
    required_resolved_percent: int | None
    due_issues: int
    resolved: int
    new_issues: int = 0
    judged: bool = False

    @property
    def resolved_percent(self) -> float | None:
        return rates.resolution_rate(self.resolved, self.due_issues)

    @property
    def shortfalls(self) -> tuple[TargetShortfall, ...]:
        """What the target fell short of; nothing before its due date."""
        if not self.judged:
            return ()
        return shortfalls(
            self.year,
            self.required_resolved_percent,
            due_issues=self.due_issues,
            resolved=self.resolved,
            new_issues=self.new_issues,
        )

    @property
    def met(self) -> bool | None:
        """True or False as of the due date or later; None before it, and None for a goal
        without a recorded share that nothing has yet failed (the office judges it)."""
        if not self.judged:
            return None
        if self.shortfalls:
            return False
        return None if self.required_resolved_percent is None else True


def target_progress(conn: Connection, as_of: date) -> list[TargetProgress]:
    """Every target set, in year order, as of ``as_of``."""
    targets = t.legacy_targets
    return [
        _progress(conn, as_of, target)
        for target in conn.execute(
            select(
                targets.c.year, targets.c.goal, targets.c.due, targets.c.required_resolved_percent
            ).order_by(targets.c.year)
        )
    ]


def _progress(
    conn: Connection, as_of: date, target: Row[int, str, date, int | None]
) -> TargetProgress:
    year, goal, due, required = target
    due_issues = resolved = new_issues = 0
    sums = summed(
        conn,
        t.legacy_deltas,
        ("baseline", "target_year", "metric"),
        min(as_of, due),
        where=lambda d: (d.c.metric.in_(("total", "resolved")),),
    )
    for (baseline, target_year, metric), total in sums.items():
        count = int(total)
        if metric == "total" and not baseline:
            new_issues += count  # 不增新量 counts every new problem, whatever its target year
        if target_year <= year:
            due_issues += count if metric == "total" else 0
            resolved += count if metric == "resolved" else 0
    return TargetProgress(
        year, goal, due, required, due_issues, resolved, new_issues, judged=as_of >= due
    )
