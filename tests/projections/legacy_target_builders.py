"""Builders for the legacy-target tests: problems registered, resolved and reopened on the
days given, and the three targets of item 22 set with the shares a test records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.legacy_issue import LegacyCategory
from domain.unit import UnitKind
from tests.projections.view_builders import OFFICE, beijing, d

DUE = {2021: d(12, 31), 2022: d(12, 31, 2022), 2025: d(12, 31, 2025)}
GOALS = {2021: "大幅度减少总量、不增新量", 2022: "取得阶段性重大进展", 2025: "全面解决"}


@dataclass(frozen=True)
class Problem:
    """One legacy problem's story: from the baseline survey (摸底) or new since, its target
    year, the day it was registered, and the days it was resolved (销号) and reopened, if."""

    baseline: bool
    target_year: int
    registered: date
    resolved: date | None = None
    reopened: date | None = None

    def stood_resolved(self, day: date) -> bool:
        """Whether it stood resolved at the end of ``day``."""
        if self.resolved is None or self.resolved > day:
            return False
        return self.reopened is None or self.reopened > day


def on(day: date) -> CommandContext:
    """The office's act, entered as an import, at 10:00 (Beijing) on ``day``."""
    return CommandContext(OFFICE, occurred_at=beijing(day), imported=True)


def register(ledger: Ledger, problem: Problem, unit: UUID) -> UUID:
    """Register ``problem``, adopt its plan the same day, resolve and reopen it as told."""
    issue = ledger.register_legacy_issue(
        on(problem.registered),
        title="某地块闲置",
        category=LegacyCategory.LAND,
        cause="历史原因",
        responsible_unit=unit,
        target_year=problem.target_year,
        baseline=problem.baseline,
    ).item_id
    ledger.adopt_plan(on(problem.registered), issue, plan="补办手续")
    if problem.resolved is not None:
        ledger.verify_resolution(on(problem.resolved), issue, note="已办结")
    if problem.reopened is not None:
        ledger.reopen_legacy_issue(on(problem.reopened), issue, reason="复发")
    return issue


def set_targets(ledger: Ledger, shares: dict[int, int | None]) -> None:
    """Set the targets of the years in ``shares``, each with its required share (or none)."""
    for year, share in shares.items():
        ledger.set_legacy_target(
            on(d(1, 5)),
            year=year,
            goal=GOALS[year],
            due=DUE[year],
            required_resolved_percent=share,
        )


def tell(ledger: Ledger, problems: list[Problem], shares: dict[int, int | None]) -> None:
    """The targets set and every problem's story told, in one unit."""
    set_targets(ledger, shares)
    unit = ledger.register_unit(on(d(1, 4)), name="区自然资源局", kind=UnitKind.DEPARTMENT).item_id
    for problem in problems:
        register(ledger, problem, unit)
