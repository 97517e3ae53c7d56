"""A row of a 12345 work-order sheet (``ledger import work-orders``) read into what it says
of one case, every cell checked: each cell that cannot be read is one ``Problem``.

The sheet (``SHEET``, also ``ledger template work-orders``): the work order's number on the
city platform (工单编号), the case as received (受理时间, 渠道, 诉求内容, 诉求人, 联系电话,
首问单位, 涉及单位, 服务企业) and, as far as the platform has them, the acts on it, each
with its date and time: dispatch to 承办单位 (派单时间), 签收时间, 答复时间 (with 答复内容),
核实时间 (核实结果 属实/不属实, 核实情况), 整改时间 (整改情况), 回访时间 (回访满意), 办结时间.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from api.exports.ledger_columns import Column, Kind, Sheet
from api.imports import cells
from api.imports.cells import CellProblem, Problem
from domain.calendar import CHINA_TIME
from domain.channels import CHANNEL_LABELS, Channel
from domain.intakes import Intake

T, M, F = Kind.TEXT, Kind.MOMENT, Kind.FLAG
SHEET = Sheet(
    "12345工单",
    tuple(
        Column(*c)
        for c in (
            ("number", "工单编号", T, 20),
            ("id", "系统编号", T, 38),
            ("received_at", "受理时间", M, 17),
            ("channel", "渠道", T, 22),
            ("summary", "诉求内容", T, 40),
            ("complainant_name", "诉求人", T, 10),
            ("complainant_phone", "联系电话", T, 14),
            ("first_responder", "首问单位", T, 18),
            ("subject_unit", "涉及单位", T, 18),
            ("enterprise", "服务企业", T, 24),
            ("handling_unit", "承办单位", T, 18),
            ("dispatched_at", "派单时间", M, 17),
            ("signed_for_at", "签收时间", M, 17),
            ("replied_at", "答复时间", M, 17),
            ("reply", "答复内容", T, 30),
            ("verified_at", "核实时间", M, 17),
            ("founded", "核实结果", T, 10),
            ("finding", "核实情况", T, 30),
            ("rectified_at", "整改时间", M, 17),
            ("rectification", "整改情况", T, 30),
            ("called_back_at", "回访时间", M, 17),
            ("satisfied", "回访满意", F, 9),
            ("closed_at", "办结时间", M, 17),
        )
    ),
)
HEADERS = {c.key: c.header for c in SHEET.columns}
REQUIRED = ("number", "received_at", "summary", "first_responder")
"""The columns an import needs (the others may be left out of the sheet)."""
MOMENTS = tuple(c.key for c in SHEET.columns if c.kind is M and c.key != "received_at")
"""The columns of the acts after receipt, each a moment (``work_order_acts.ACTS``)."""
FOUNDED = {"属实": True, "不属实": False, "是": True, "否": False}
SATISFIED = {"满意": True, "基本满意": True, "不满意": False}
MOMENT_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[T\s]\s*"
    r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?\s*分?"
)


@dataclass
class WorkOrderRow:
    """What one row says of one case (``line``: its row number in the sheet)."""

    line: int
    columns: Mapping[str, int]
    number: str = ""
    item_id: UUID | None = None
    received_at: datetime = datetime.min
    channel: Channel = Channel.HOTLINE_12345
    intake: str | None = None
    summary: str = ""
    complainant_name: str = ""
    complainant_phone: str = ""
    first_responder: UUID | None = None
    subject_unit: UUID | None = None
    enterprise: UUID | None = None
    handling_unit: UUID | None = None
    moments: dict[str, datetime | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    founded: bool | None = None
    satisfied: bool | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        where = key if key in self.columns else "number"
        column = self.columns.get(where, 0)
        self.problems.append(Problem(self.line, column, HEADERS[where], message))


@dataclass(frozen=True)
class Names:
    """What the ledger's names stand for: units, registered enterprises (by name or 统一
    社会信用代码), and the policy's intake lines."""

    units: Mapping[str, UUID]
    enterprises: Mapping[str, UUID]
    intakes: tuple[Intake, ...]


def work_order_values(units: list[str], intakes: Sequence[str]) -> dict[str, list[str]]:
    """The values the template offers for a work order's columns, by header."""
    return {
        "渠道": [*CHANNEL_LABELS.values(), *intakes],
        "首问单位": units,
        "涉及单位": units,
        "承办单位": units,
        "核实结果": ["属实", "不属实"],
        "回访满意": ["是", "否"],
    }


def parse_row(
    line: int, values: Mapping[str, Any], columns: Mapping[str, int], names: Names
) -> WorkOrderRow:
    """The row, with a problem for every cell that cannot be read."""
    row = WorkOrderRow(line, columns)

    def read(key: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cells.given(values, key))
        except CellProblem as problem:
            row.problem(key, str(problem))
            return None

    row.number = read("number", cells.required) or ""
    row.item_id = read("id", _item_id)
    row.received_at = read("received_at", _required_moment) or datetime.min
    channel = read("channel", lambda v: _channel(v, names.intakes))
    if channel is not None:
        row.channel, row.intake = channel
    row.summary = read("summary", cells.required) or ""
    row.complainant_name = read("complainant_name", cells.text) or ""
    row.complainant_phone = read("complainant_phone", cells.text) or ""
    row.first_responder = read("first_responder", lambda v: unit_of(v, names.units))
    row.subject_unit = read("subject_unit", lambda v: _optional(v, names.units, "单位"))
    row.enterprise = read("enterprise", lambda v: _optional(v, names.enterprises, "服务企业"))
    row.handling_unit = read("handling_unit", lambda v: _optional(v, names.units, "单位"))
    for key in MOMENTS:
        row.moments[key] = read(key, moment)
    for key in ("reply", "finding", "rectification"):
        row.texts[key] = read(key, cells.text) or ""
    row.founded = read("founded", lambda v: _either(v, FOUNDED, "核实结果"))
    row.satisfied = read("satisfied", lambda v: _either(v, SATISFIED, "回访结果"))
    return row


def moment(value: Any) -> datetime | None:
    """A date and time of day in Beijing: an Excel date-time, a serial number with its
    fraction of a day, or text as 2021-06-30 14:05 (seconds optional); to the second.
    None for an empty cell; a date without its time is a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        found = value.replace(tzinfo=None)
    elif isinstance(value, date):
        raise CellProblem(f"缺少时刻（应为 2021-06-30 14:05）：{value.isoformat()}")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and 1 <= value < 2958466):
            raise CellProblem(f"不是有效的日期时间：{cells.text(value)}")
        found = datetime.combine(cells.EXCEL_EPOCH, time()) + timedelta(days=float(value))
    else:
        matched = MOMENT_TEXT.fullmatch(cells.text(value))
        if matched is None:
            raise CellProblem(f"不是有效的日期时间（应为 2021-06-30 14:05）：{_shown(value)}")
        y, mo, d, h, mi = (int(g) for g in matched.groups()[:5])
        try:
            found = datetime(y, mo, d, h, mi) + timedelta(seconds=float(matched.group(6) or 0))
        except ValueError:
            raise CellProblem(f"不是有效的日期时间：{_shown(value)}") from None
    seconds = round(found.microsecond / 1_000_000)
    found = found.replace(microsecond=0) + timedelta(seconds=seconds)
    return found.replace(tzinfo=CHINA_TIME)


def unit_of(value: Any, units: Mapping[str, UUID]) -> UUID:
    name = cells.required(value)
    if name not in units:
        known = "、".join(units) if len(units) <= 20 else f"共 {len(units)} 个单位"
        raise CellProblem(f"未知的单位“{name[:40]}”（系统中的单位：{known}）")
    return units[name]


def _required_moment(value: Any) -> datetime:
    found = moment(value)
    if found is None:
        raise CellProblem("不能为空")
    return found


def _item_id(value: Any) -> UUID | None:
    found = cells.text(value)
    if not found:
        return None
    try:
        return UUID(found)
    except ValueError:
        raise CellProblem(f"不是系统编号：{found[:40]}") from None


def _channel(value: Any, intakes: tuple[Intake, ...]) -> tuple[Channel, str | None]:
    """A channel by its label, or an intake line of the policy by its name (or key): the
    line's channel and its key; blank: the 12345 hotline."""
    given = cells.text(value)
    if not given:
        return Channel.HOTLINE_12345, None
    for channel, shown in CHANNEL_LABELS.items():
        if given == shown:
            return channel, None
    for intake in intakes:
        if given in (intake.name, intake.key):
            return intake.channel, intake.key
    options = [*CHANNEL_LABELS.values(), *(i.name for i in intakes)]
    raise CellProblem(f"未知的渠道或受理专线“{_shown(given)}”（可选：{'、'.join(options)}）")


def _optional(value: Any, known: Mapping[str, UUID], what: str) -> UUID | None:
    if not cells.text(value):
        return None
    if what == "单位":
        return unit_of(value, known)
    name = cells.text(value)
    if name not in known:
        raise CellProblem(f"未登记的{what}“{_shown(name)}”（按名称或统一社会信用代码）")
    return known[name]


def _either(value: Any, labels: Mapping[str, bool], what: str) -> bool | None:
    if isinstance(value, bool):
        return value
    found = cells.text(value)
    if not found:
        return None
    if found in labels or found in ("是", "否"):
        return labels.get(found, found == "是")
    raise CellProblem(f"未知的{what}“{_shown(found)}”（可选：{'、'.join(labels)}）")


def _shown(value: Any, most: int = 40) -> str:
    shown = cells.text(value)
    return shown if len(shown) <= most else shown[:most] + "…"
