"""A row of the 督办事项 sheet read as one item of a year's work plan (``api.cli.plan.PlanTask``),
every cell checked: each cell that cannot be read is one ``Problem`` (row, column, what).

The plan's columns: 台账编号 (``RW2021-07``) or 计划年度 and 序号, 板块, 事项名称, 工作内容,
牵头单位 and 协同单位 (units' names joined with 、; in 协同单位 a plan's collective wording,
各街道, 区直各部门各单位 ..., names every unit of a kind, a cooperating group), 协同说明, 完成时限,
工作节点 (``api.exports.plan_milestones``), and the days of 登记 and 交办. The other columns of
the sheet (状态, 灯色, 进度 ...) are the ledger's own and are not read. A row without 牵头单位
and 完成时限 is an item registered and not yet assigned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from api.cli.plan import PlanTask
from api.exports.ledger_columns import SHEETS
from api.exports.plan_milestones import WRITTEN
from api.imports import cells
from api.imports.cells import CellProblem, Problem
from domain.escalation import Milestone
from domain.unit import GROUP_LABELS, UnitKind

SHEET = SHEETS["tasks"]
HEADERS = {c.key: c.header for c in SHEET.columns}
REQUIRED = ("number", "title", "lead_units", "deadline")
"""The columns an import needs (the others may be left out of the sheet)."""
GROUPS: dict[str, UnitKind] = {name: kind for kind, name in GROUP_LABELS.items()} | {
    "区直单位": UnitKind.DEPARTMENT,
    "区直各部门": UnitKind.DEPARTMENT,
    "驻区行政服务大厅相关单位": UnitKind.STATIONED,
}
"""The plan's collective wording in 协同单位, and the kind of unit each names as a whole
(as the 2021 plan's seed reads it); the export writes ``GROUP_LABELS``."""
NUMBER = re.compile(r"RW(\d{4})-(\d{1,4})")
YEARS = range(2000, 2101)


@dataclass
class PlanRow:
    """What one row says of one item of a plan (``line``: its row number in the sheet)."""

    line: int
    columns: Mapping[str, int]
    plan_year: int = 0
    number: int = 0
    item_id: UUID | None = None
    section: str = ""
    title: str = ""
    description: str = ""
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    groups: list[UnitKind] = field(default_factory=list)
    note: str = ""
    deadline: date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    keyed: list[bool] = field(default_factory=list)
    """Whether each milestone's key was written (else m1, m2 ... by its place)."""
    registered_on: date | None = None
    assigned_on: date | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        known = key in self.columns
        column = self.columns[key] if known else self.columns.get("number", 0)
        self.problems.append(
            Problem(self.line, column, HEADERS[key if known else "number"], message)
        )

    @property
    def assigned(self) -> bool:
        return bool(self.lead_units)

    @property
    def label(self) -> str:
        return f"RW{self.plan_year}-{self.number:02d}"

    def plan_task(self) -> PlanTask:
        """The row as an item of a plan (a row not assigned: no units, no deadline)."""
        return PlanTask(
            number=self.number,
            section=self.section,
            title=self.title,
            description=self.description,
            lead_units=tuple(self.lead_units),
            cooperating_units=tuple(self.cooperating_units),
            cooperation_note=self.note,
            deadline=self.deadline or date.max,
            milestones=tuple(self.milestones),
            cooperating_groups=tuple(self.groups),
        )


def parse_row(
    line: int, values: Mapping[str, Any], columns: Mapping[str, int], units: Mapping[str, UUID]
) -> PlanRow:
    """The row, with a problem for every cell that cannot be read."""
    row = PlanRow(line, columns)

    def read(key: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cells.given(values, key))
        except CellProblem as problem:
            row.problem(key, str(problem))
            return None

    _identity(row, read)
    row.item_id = read("id", _item_id)
    row.section = read("section", cells.text) or ""
    row.title = read("title", cells.required) or ""
    row.description = read("description", cells.text) or ""
    row.lead_units = read("lead_units", lambda v: _units(v, units, {})) or []
    cooperating = read("cooperating_units", lambda v: _units(v, units, GROUPS)) or []
    row.cooperating_units = [n for n in cooperating if n not in GROUPS]
    row.groups = list(dict.fromkeys(GROUPS[n] for n in cooperating if n in GROUPS))
    both = [n for n in row.cooperating_units if n in row.lead_units]
    if both:
        row.problem("cooperating_units", f"“{both[0]}”已是牵头单位，不能同时协同")
    row.note = read("cooperation_note", cells.text) or ""
    row.deadline = read("deadline", cells.day)
    row.registered_on = read("registered_on", cells.day)
    row.assigned_on = read("assigned_on", cells.day)
    milestones = read("milestones", _milestones) or []
    row.milestones = [m for m, _ in milestones]
    row.keyed = [k for _, k in milestones]
    _consistent(row)
    return row


def _identity(row: PlanRow, read: Callable[[str, Callable[[Any], Any]], Any]) -> None:
    """The plan year and number: from 台账编号, from 计划年度 and 序号, agreeing."""
    numbered = read("number", _number)
    year = read("plan_year", lambda v: _plan_year(v) if cells.text(v) else None)
    number = read("plan_number", lambda v: _plan_number(v) if cells.text(v) else None)
    if numbered is None and (year is None or number is None):
        if not any(p.header == HEADERS["number"] for p in row.problems):
            row.problem("number", "不能为空（或填写计划年度和序号）")
        return
    row.plan_year, row.number = numbered or (year, number)
    if year is not None and year != row.plan_year:
        row.problem("plan_year", f"与台账编号（{row.label}）不符")
    elif number is not None and number != row.number:
        row.problem("plan_number", f"与台账编号（{row.label}）不符")


def _consistent(row: PlanRow) -> None:
    """What the cells say together: an assignment has both units and a deadline, the
    deadline is not before the plan year, no milestone is after the deadline."""
    if row.problems:
        return
    if row.assigned and row.deadline is None:
        row.problem("deadline", "不能为空（已填写牵头单位）")
    elif row.deadline is not None and not row.assigned:
        row.problem("lead_units", "不能为空（已填写完成时限）")
    elif not row.assigned and (row.milestones or row.cooperating_units or row.groups):
        key = "milestones" if row.milestones else "cooperating_units"
        row.problem(key, "未填写牵头单位和完成时限的事项（尚未交办）不能有此项")
    elif row.deadline is not None and row.deadline.year < row.plan_year:
        row.problem("deadline", f"{row.deadline} 早于计划年度（{row.plan_year}年）")
    elif row.deadline is not None and any(m.due > row.deadline for m in row.milestones):
        late = next(m for m in row.milestones if m.due > row.deadline)
        row.problem(
            "milestones", f"节点“{late.title[:40]}”（{late.due}）晚于完成时限 {row.deadline}"
        )
    elif row.registered_on and row.assigned_on and row.assigned_on < row.registered_on:
        row.problem("assigned_on", f"{row.assigned_on} 早于登记日期 {row.registered_on}")


def _number(value: Any) -> tuple[int, int] | None:
    found = cells.text(value)
    if not found:
        return None
    match = NUMBER.fullmatch(found)
    if match is None:
        raise CellProblem(f"不是计划事项的台账编号（应为 RW2021-07）：{found[:40]}")
    year, number = int(match.group(1)), int(match.group(2))
    if year not in YEARS or number < 1:
        raise CellProblem(f"不是计划事项的台账编号（应为 RW2021-07）：{found[:40]}")
    return year, number


def _plan_year(value: Any) -> int:
    year = cells.year(value)
    if year not in YEARS:
        raise CellProblem(f"不是计划年度：{year}")
    return year


def _plan_number(value: Any) -> int:
    found = cells.text(value)
    if not re.fullmatch(r"\d{1,4}", found) or int(found) < 1:
        raise CellProblem(f"不是序号（应为 1 起的整数）：{found[:40]}")
    return int(found)


def _item_id(value: Any) -> UUID | None:
    found = cells.text(value)
    if not found:
        return None
    try:
        return UUID(found)
    except ValueError:
        raise CellProblem(f"不是系统编号：{found[:40]}") from None


def _units(value: Any, units: Mapping[str, UUID], groups: Mapping[str, UnitKind]) -> list[str]:
    """The units' names (and groups' wording) of a cell joined with 、, each named once."""
    names = cells.entries(value)
    unknown = [n for n in names if n not in units and n not in groups]
    if unknown:
        shown = "、".join(f"“{n[:40]}”" for n in unknown[:5])
        known = "、".join(units) if len(units) <= 20 else f"共 {len(units)} 个单位"
        raise CellProblem(f"未知的单位{shown}（系统中的单位：{known}）")
    twice = [n for i, n in enumerate(names) if n in names[:i]]
    if twice:
        raise CellProblem(f"“{twice[0][:40]}”重复")
    return names


def _milestones(value: Any) -> list[tuple[Milestone, bool]]:
    found = cells.text(value)
    milestones: list[tuple[Milestone, bool]] = []
    at = 0
    while at < len(found):
        match = WRITTEN.match(found, at)
        if match is None:
            break
        due = cells.day(match.group("due"))
        if due is None:
            raise CellProblem("节点日期不能为空")
        key = match.group("key")
        milestone = Milestone(key or f"m{len(milestones) + 1}", match.group("title"), due)
        milestones.append((milestone, key is not None))
        at = match.end()
    if at != len(found):
        raise CellProblem("应为“节点名称（2021-06-30）”（可加“，编号 key”），以、分隔")
    keys = [m.key for m, _ in milestones]
    twice = [k for i, k in enumerate(keys) if k in keys[:i]]
    if twice:
        raise CellProblem(f"节点编号“{twice[0][:40]}”重复")
    return milestones
