"""One cell of an imported sheet read as what its column holds, or a problem said in
Chinese naming its row and column (``第3行 E列（责任单位）：……``).

The cells come as the reader gives them (``api.imports.workbook``): text, numbers,
dates, booleans, or None for an empty cell. Every parser here takes any value and
either returns the column's value or raises ``CellProblem``; none raises anything else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from api.exports.sheet_writers import CUT_MARKER

LIST_SEPARATOR = "、"
EXCEL_EPOCH = date(1899, 12, 30)
DAY_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?"
)


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong with one cell (or one row, named by its first column)."""

    row: int
    column: int
    header: str
    message: str

    @property
    def line(self) -> str:
        return f"第{self.row}行 {column_letter(self.column)}列（{self.header}）：{self.message}"


class CellProblem(Exception):
    """A cell's value is not what its column holds: the message, in Chinese."""


class Formula:
    """A cell holding a formula: its cached value is not read (``FORMULA``)."""

    def __repr__(self) -> str:
        return "FORMULA"


FORMULA = Formula()


def given(values: Mapping[str, Any], key: str) -> Any:
    """The cell of column ``key`` (None: empty or no such column); a formula refused."""
    value = values.get(key)
    if value is FORMULA:
        raise CellProblem("单元格含公式，请粘贴为数值")
    if isinstance(value, str) and value.endswith(CUT_MARKER):
        raise CellProblem(
            "导出时超出Excel单元格上限已被截断，不能据此导入（请从台账另行导出完整内容）"
        )
    return value


def column_letter(index: int) -> str:
    """The letter of the column at 0-based ``index`` as Excel shows it (0: A, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text(value: Any) -> str:
    """The cell as text, stripped ("" for an empty cell); an integral number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def required(value: Any) -> str:
    found = text(value)
    if not found:
        raise CellProblem("不能为空")
    return found


def day(value: Any) -> date | None:
    """A date: an Excel date, a serial number, or text as 2021-06-30, 2021/6/30,
    2021年6月30日; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and float(value).is_integer() and 1 <= value <= 2958465:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellProblem(f"不是有效日期：{text(value)}")
    found = DAY_TEXT.fullmatch(text(value))
    if found is None:
        raise CellProblem(f"不是有效日期（应为 2021-06-30）：{_shown(value)}")
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        raise CellProblem(f"不是有效日期：{_shown(value)}") from None


def year(value: Any) -> int:
    found = required(value)
    if not re.fullmatch(r"\d{4}", found):
        raise CellProblem(f"不是年份：{_shown(value)}")
    return int(found)


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    found = required(value)
    if found in ("是", "Y", "y", "1"):
        return True
    if found in ("否", "N", "n", "0"):
        return False
    raise CellProblem(f"应为“是”或“否”：{_shown(value)}")


def entries(value: Any) -> list[str]:
    """A list joined with 、 (empty entries dropped)."""
    return [p.strip() for p in text(value).split(LIST_SEPARATOR) if p.strip()]


def choice(value: Any, labels: dict[str, Any], what: str) -> Any:
    found = required(value)
    if found not in labels:
        raise CellProblem(f"未知的{what}“{_shown(found)}”（可选：{'、'.join(labels)}）")
    return labels[found]


def _shown(value: Any, most: int = 40) -> str:
    shown = text(value)
    return shown if len(shown) <= most else shown[:most] + "…"
