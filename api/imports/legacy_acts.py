"""The acts a legacy-problem row asks for, in order, and those the ledger already holds.

With a 办理过程 the row's acts are its entries; without one they are worked out from its
dates and state (``derived``), which cannot tell every act's day: a suspension since resumed,
or a 销号 before the last reopening, needs the 办理过程 (a problem says so). Escalations
and milestones reached are then not dated acts but the row's tier and 已完成 marks.
"""

from __future__ import annotations

from datetime import date

from api.imports.cells import CellProblem
from api.imports.legacy_rows import Act, LegacyRow
from domain.legacy_issue import LegacyIssue, LegacyState
from domain.meta import LedgerEvent

DATED = ("PlanAdopted", "Suspended", "ResolutionVerified", "Reopened")
"""The acts a row without 办理过程 tells the day of."""
FIRST_OR_LAST = {
    "planned_on": ("PlanAdopted", 0),
    "suspended_on": ("Suspended", -1),
    "resolved_on": ("ResolutionVerified", -1),
    "reopened_on": ("Reopened", -1),
}
"""Which act each date column gives the day of: the first plan, the last of the others."""


class RowProblem(CellProblem):
    """A problem with the row's acts, naming the column (key) it is seen in."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def row_acts(row: LegacyRow) -> list[Act]:
    """The acts of the row after registration, in order (``RowProblem`` if they cannot be)."""
    acts = row.history if row.history is not None else derived(row)
    for before, act in zip([None, *acts], acts, strict=False):
        floor = row.registered_on if before is None else before.day
        if act.day < floor:
            where = "history" if row.history is not None else "registered_on"
            raise RowProblem(where, f"日期顺序有误：{act.day} 早于 {floor}")
    if row.history is not None:
        for key, (kind, which) in FIRST_OR_LAST.items():
            given = row.dates.get(key)
            days = [a.day for a in acts if a.kind == kind]
            if given is not None and (not days or days[which] != given):
                raise RowProblem(
                    key, f"与办理过程不符（办理过程中为 {days[which] if days else '无'}）"
                )
    return acts


def derived(row: LegacyRow) -> list[Act]:
    d = row.dates
    planned, suspended, resolved, reopened = (
        d.get("planned_on"),
        d.get("suspended_on"),
        d.get("resolved_on"),
        d.get("reopened_on"),
    )
    state = row.state or _state_of(planned, suspended, resolved, reopened)
    acts: list[Act] = []
    if planned is None and (state in (LegacyState.PLANNED, LegacyState.RESOLVED) or resolved):
        raise RowProblem("planned_on", "不能为空（已有方案或已销号）")
    if planned is not None:
        acts.append(Act(planned, "PlanAdopted"))
        acts += [
            Act(planned, "MilestoneReached", i) for i, m in enumerate(row.milestones, 1) if m[2]
        ]
    if suspended is not None and state is not LegacyState.SUSPENDED:
        raise RowProblem(
            "suspended_on", "中止后恢复的日期未知：请在办理过程中写明（如“2022-03-01 恢复”）"
        )
    if state is LegacyState.SUSPENDED:
        if suspended is None:
            raise RowProblem("suspended_on", "不能为空（状态为已中止）")
        acts.append(Act(suspended, "Suspended"))
    if reopened is not None:
        if resolved is None or resolved > reopened:
            raise RowProblem("reopened_on", "重新打开前的销号日期未知：请在办理过程中写明")
        acts += [Act(resolved, "ResolutionVerified"), Act(reopened, "Reopened")]
    elif state is LegacyState.RESOLVED:
        if resolved is None:
            raise RowProblem("resolved_on", "不能为空（状态为已销号）")
        acts.append(Act(resolved, "ResolutionVerified"))
    return sorted(acts, key=lambda a: a.day)


def _state_of(
    planned: date | None, suspended: date | None, resolved: date | None, reopened: date | None
) -> LegacyState:
    if resolved is not None and (reopened is None or reopened < resolved):
        return LegacyState.RESOLVED
    if suspended is not None:
        return LegacyState.SUSPENDED
    return LegacyState.PLANNED if planned or reopened else LegacyState.REGISTERED


def held_acts(issue: LegacyIssue, events: list[LedgerEvent]) -> list[Act]:
    """The acts the ledger holds of ``issue`` after its registration."""
    ordinals = {m.key: i for i, m in enumerate(issue.milestones, 1)}
    acts = []
    for event in events[1:]:
        kind = type(event).__name__
        key = getattr(event, "key", None) if kind == "MilestoneReached" else None
        acts.append(Act(event.business_date, kind, ordinals.get(key) if key else None))
    return acts


def comparable(acts: list[Act], with_history: bool) -> list[Act]:
    """The acts a row can be compared on: all with a 办理过程, else the dated ones."""
    return acts if with_history else [a for a in acts if a.kind in DATED]
