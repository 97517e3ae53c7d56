"""LegacyTarget: a year's goal for clearing the legacy-problem ledger.

Item 22 of the 2021 plan sets three: by the end of 2021 大幅度减少总量、不增新量,
by the end of 2022 取得阶段性重大进展, by the end of 2025 全面解决.
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
