"""A row of the 历史遗留问题总台账 sheet read into what it says of one problem, every cell
checked: each cell that cannot be read is one ``Problem`` (row, column, what is wrong).

The acts the row tells of (``Act``: a day, an event type, a milestone's ordinal) come from
its 办理过程 when it has one (the export writes it: every act, repeated ones included),
else from its dates and state: 方案制定日期, then 中止日期 when it is 已中止, 销号日期 when
it is 已销号 or was reopened (重新打开日期) since.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from api.exports.ledger_columns import SHEETS
from api.exports.legacy_history import parse_entry
from api.imports import cells
from api.imports.cells import CellProblem, Problem
from api.labels import label
from domain.escalation import Tier
from domain.legacy_issue import LegacyCategory, LegacyState

SHEET = SHEETS["legacy-issues"]
HEADERS = {c.key: c.header for c in SHEET.columns}
REQUIRED = (
    "number",
    "title",
    "category",
    "cause",
    "responsible_unit",
    "target_year",
    "baseline",
    "registered_on",
)
"""The columns an import needs (the others may be left out of the sheet)."""
CATEGORIES = {label(c): c for c in LegacyCategory}
TIERS = {label(t): t for t in Tier}
STATES = {label(s): s for s in LegacyState}
MILESTONE = re.compile(r"(.+?)（(\d{4}-\d{2}-\d{2})(，已完成)?）(?:、|$)")


@dataclass(frozen=True)
class Act:
    """One act after registration: its day, its event type, a milestone's ordinal."""

    day: date
    kind: str
    ordinal: int | None = None


@dataclass
class LegacyRow:
    """What one row says of one problem (``line``: its row number in the sheet)."""

    line: int
    columns: Mapping[str, int]
    number: str = ""
    item_id: UUID | None = None
    title: str = ""
    category: LegacyCategory = LegacyCategory.OTHER
    cause: str = ""
    parties: list[str] = field(default_factory=list)
    unit: UUID | None = None
    tier: Tier | None = None
    target_year: int = 0
    baseline: bool = False
    state: LegacyState | None = None
    milestones: list[tuple[str, date, bool]] = field(default_factory=list)
    registered_on: date = date.min
    dates: dict[str, date | None] = field(default_factory=dict)
    history: list[Act] | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        column = self.columns.get(key, self.columns.get("number", 0))
        header = HEADERS[key] if key in self.columns else HEADERS["number"]
        self.problems.append(Problem(self.line, column, header, message))


def parse_row(
    line: int, values: Mapping[str, Any], columns: Mapping[str, int], units: Mapping[str, UUID]
) -> LegacyRow:
    """The row, with a problem for every cell that cannot be read."""
    row = LegacyRow(line, columns)

    def read(key: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cells.given(values, key))
        except CellProblem as problem:
            row.problem(key, str(problem))
            return None

    row.number = read("number", cells.text) or ""
    row.item_id = read("id", _item_id)
    if not row.number and row.item_id is None:
        row.problem("number", "不能为空")
    row.title = read("title", cells.required) or ""
    row.category = read("category", lambda v: cells.choice(v, CATEGORIES, "类别")) or row.category
    row.cause = read("cause", cells.required) or ""
    row.parties = read("parties", cells.entries) or []
    row.unit = read("responsible_unit", lambda v: _unit(v, units))
    row.tier = read("tier", lambda v: cells.choice(v, TIERS, "督办层级") if cells.text(v) else None)
    row.target_year = read("target_year", cells.year) or 0
    row.baseline = bool(read("baseline", cells.flag))
    row.state = read("state", lambda v: cells.choice(v, STATES, "状态") if cells.text(v) else None)
    row.milestones = read("milestones", _milestones) or []
    row.registered_on = read("registered_on", _required_day) or date.min
    for key in ("planned_on", "suspended_on", "resolved_on", "reopened_on"):
        row.dates[key] = read(key, cells.day)
    row.history = read("history", _history)
    return row


def _item_id(value: Any) -> UUID | None:
    found = cells.text(value)
    if not found:
        return None
    try:
        return UUID(found)
    except ValueError:
        raise CellProblem(f"不是系统编号：{found[:40]}") from None


def _unit(value: Any, units: Mapping[str, UUID]) -> UUID:
    name = cells.required(value)
    if name not in units:
        known = "、".join(units) if len(units) <= 20 else f"共 {len(units)} 个单位"
        raise CellProblem(f"未知的单位“{name[:40]}”（系统中的单位：{known}）")
    return units[name]


def _required_day(value: Any) -> date:
    found = cells.day(value)
    if found is None:
        raise CellProblem("不能为空")
    return found


def _milestones(value: Any) -> list[tuple[str, date, bool]]:
    found = cells.text(value)
    milestones, at = [], 0
    for match in MILESTONE.finditer(found):
        if match.start() != at:
            break
        try:
            due = date.fromisoformat(match.group(2))
        except ValueError:
            raise CellProblem(f"节点日期无效：{match.group(2)}") from None
        milestones.append((match.group(1).strip(), due, match.group(3) is not None))
        at = match.end()
    if at != len(found):
        raise CellProblem(
            "应为“节点名称（2021-06-30）”或“节点名称（2021-06-30，已完成）”，以、分隔"
        )
    return milestones


def _history(value: Any) -> list[Act] | None:
    found = cells.entries(value)
    if not found:
        return None
    acts = []
    for entry in found:
        parsed = parse_entry(entry)
        if parsed is None:
            raise CellProblem(f"无法识别“{entry[:40]}”（应为“2021-06-30 销号”等）")
        acts.append(Act(*parsed))
    return acts
