"""LegacyTarget: a year's goal for clearing the legacy-problem ledger.

Item 22 of the 2021 plan sets three: by the end of 2021 大幅度减少总量、不增新量,
by the end of 2022 取得阶段性重大进展, by the end of 2025 全面解决. How a target is
judged at its due date from the ledger's counts is ``shortfalls`` below.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, uuid5

from domain.errors import ValidationError, require_text
from domain.ids import LegacyTargetId
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem


class TargetState(Enum):
    SET = "set"


NO_NEW_PROBLEMS_YEAR = 2021
"""The target year whose goal includes 不增新量 (item 22 of the 2021 plan): no problem new
since the baseline survey (摸底) registered by its due date."""


class TargetShortfall(Enum):
    """Why a legacy target was not met as of its due date."""

    SHARE_NOT_REACHED = "share_not_reached"
    """Fewer problems due by the target year resolved by the due date than its recorded share."""
    NEW_PROBLEMS_REGISTERED = "new_problems_registered"
    """不增新量 broken: a problem new since the baseline was registered by the due date."""


def shortfalls(
    year: int,
    required_resolved_percent: int | None,
    *,
    due_issues: int,
    resolved: int,
    new_issues: int,
) -> tuple[TargetShortfall, ...]:
    """What a target falls short of, from the counts as of its due date.

    The share is exact: ``resolved / due_issues`` against the recorded percent, not the
    rounded figure shown (one problem of 2,000 still open is 99.95 %, shown as 100.0, and
    does not meet 100: 全面解决 means all). Nothing due means nothing left unresolved: the
    share is reached.
    """
    found = []
    if required_resolved_percent is not None and (
        100 * resolved < required_resolved_percent * due_issues
    ):
        found.append(TargetShortfall.SHARE_NOT_REACHED)
    if year == NO_NEW_PROBLEMS_YEAR and new_issues > 0:
        found.append(TargetShortfall.NEW_PROBLEMS_REGISTERED)
    return tuple(found)


def legacy_target_id_for(year: int) -> LegacyTargetId:
    return LegacyTargetId(uuid5(NAMESPACE_URL, f"ledger:legacy-target:{year}"))


class LegacyTarget(LedgerItem):
    """The goal for one target year; a share of issues resolved where it is numeric."""

    item_type = "LegacyTarget"

    class Set(LedgerCreated):
        year: int
        goal: str
        due: date
        required_resolved_percent: int | None

        def apply(self, target: LegacyTarget) -> None:
            target.year, target.goal, target.due = self.year, self.goal, self.due
            target.required_resolved_percent = self.required_resolved_percent
            target.state = TargetState.SET

    class Revised(LedgerEvent):
        goal: str
        due: date
        required_resolved_percent: int | None
        reason: str

        def apply(self, target: LegacyTarget) -> None:
            target.goal, target.due = self.goal, self.due
            target.required_resolved_percent = self.required_resolved_percent

    if TYPE_CHECKING:
        year: int
        goal: str
        due: date
        required_resolved_percent: int | None
        state: TargetState

    @classmethod
    def set(
        cls,
        *,
        year: int,
        goal: str,
        due: date,
        required_resolved_percent: int | None,
        meta: EventMeta,
    ) -> LegacyTarget:
        _check(year, due, required_resolved_percent)
        return cls._start(
            cls.Set,
            meta,
            legacy_target_id_for(year),
            year=year,
            goal=require_text("goal", goal),
            due=due,
            required_resolved_percent=required_resolved_percent,
        )

    def revise(
        self,
        *,
        goal: str,
        due: date,
        required_resolved_percent: int | None,
        reason: str,
        meta: EventMeta,
    ) -> None:
        _check(self.year, due, required_resolved_percent)
        self._emit(
            self.Revised,
            meta,
            goal=require_text("goal", goal),
            due=due,
            required_resolved_percent=required_resolved_percent,
            reason=require_text("reason", reason),
        )


def _check(year: int, due: date, percent: int | None) -> None:
    if due.year != year:
        raise ValidationError("due", f"must fall in the target year {year}")
    if percent is not None and not 0 < percent <= 100:
        raise ValidationError("required_resolved_percent", "must be between 1 and 100")
