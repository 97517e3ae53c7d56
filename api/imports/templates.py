"""``ledger template legacy-issues|plan|work-orders``: an empty workbook to fill in and
import, its first sheet the list's headers (as the export writes them), its second,
可选值, the values a column takes (the ledger's units, the categories, tiers, states,
channels, target years, 是/否; in 协同单位 also a plan's collective wording, 各街道 ...),
each such column of the first sheet offering them as a drop-down list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

import xlsxwriter  # type: ignore[import-untyped]

from api.exports.ledger_columns import SHEETS, Sheet
from api.imports.cells import column_letter
from api.imports.work_order_rows import SHEET as WORK_ORDERS
from api.imports.work_order_rows import work_order_values
from api.labels import label
from domain.escalation import Tier
from domain.legacy_issue import TARGET_YEARS, LegacyCategory, LegacyState
from domain.task_events import TaskState
from domain.unit import GROUP_LABELS

ALLOWED_SHEET = "可选值"
TEMPLATES = {"legacy-issues": "legacy-issues", "plan": "tasks"}
"""Each template by its name, and the list whose sheet it is (work-orders: the 12345
work-order sheet, ``api.imports.work_order_rows``)."""
YES_NO = ["是", "否"]


def allowed_values(
    what: str, units: Sequence[str], intakes: Sequence[str] = ()
) -> dict[str, list[str]]:
    """The columns of the 可选值 sheet of template ``what``, by the header they serve."""
    unit_names = sorted(units)
    if what == "legacy-issues":
        return {
            "责任单位": unit_names,
            "类别": [label(c) for c in LegacyCategory],
            "督办层级": [label(t) for t in Tier],
            "化解目标年度": [str(y) for y in TARGET_YEARS],
            "摸底存量": YES_NO,
            "状态": [label(s) for s in LegacyState],
        }
    if what == "plan":
        return {
            "牵头单位": unit_names,
            "协同单位": unit_names + list(GROUP_LABELS.values()),
            "督办层级": [label(t) for t in Tier],
            "状态": [label(s) for s in TaskState],
        }
    return work_order_values(unit_names, intakes)


def write_template(
    what: str, units: Sequence[str], out: IO[bytes], intakes: Sequence[str] = ()
) -> Sheet:
    """Write template ``what`` into ``out``; return its sheet (``intakes``: the names of
    the policy's intake lines, offered as 渠道 of a work order)."""
    sheet = WORK_ORDERS if what == "work-orders" else SHEETS[TEMPLATES[what]]
    allowed = allowed_values(what, units, intakes)
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    page = book.add_worksheet(sheet.title)
    values = book.add_worksheet(ALLOWED_SHEET)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i, column in enumerate(sheet.columns):
        page.set_column(i, i, column.width, day if column.key.endswith("_on") else None)
    page.write_row(0, 0, sheet.headers, bold)
    page.freeze_panes(1, 0)
    for j, (header, options) in enumerate(allowed.items()):
        values.set_column(j, j, 20)
        values.write_string(0, j, header, bold)
        for r, option in enumerate(options, start=1):
            values.write_string(r, j, option)
        if header in sheet.headers and options and header not in ("协同单位",):
            i = sheet.headers.index(header)
            letter = column_letter(j)
            page.data_validation(
                1,
                i,
                100_000,
                i,
                {
                    "validate": "list",
                    "source": f"={ALLOWED_SHEET}!${letter}$2:${letter}${len(options) + 1}",
                    "error_type": "warning",
                },
            )
    book.close()
    return sheet
