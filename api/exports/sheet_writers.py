"""Writing a 台账 sheet: as .xlsx (XlsxWriter) or as CSV with a BOM.

**.xlsx** is written by XlsxWriter in its constant-memory mode (each row goes to a
temporary file as it is written, so memory does not grow with the rows). Chosen over
openpyxl's write-only mode by measurement (``bench/xlsx_writers.py``, 10,000 rows of eight
columns with dates, as whole processes, median of five: XlsxWriter 0.47 s and 28 MiB peak,
openpyxl 1.07 s and 34 MiB; at 100,000 rows 4.6 s against 9.9 s): about 2.3 times faster,
for the same file. openpyxl stays for reading files back (the tests).

Each sheet: the headers in the first row, frozen, with an autofilter over every column;
each column its width; dates as Excel dates (``yyyy-mm-dd``, a moment ``yyyy-mm-dd hh:mm``
Beijing time), never text; texts always as text (a summary starting with ``=`` is not a
formula); lists joined with 、; flags 是 / 否. A text over Excel's 32,767 characters a cell
is cut to fit, ending ``…（超出Excel单元格上限，已截断）``, and named in a sheet 说明.
The CSV (UTF-8 with a BOM, so that Excel reads the Chinese), never cut, has the same
headers and cells, dates as ``2021-06-30``; a text cell starting with ``=``, ``+``, ``-``,
``@`` gets a leading ``'`` so that a spreadsheet does not run it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]

from api.exports.ledger_columns import Kind, Sheet
from domain.calendar import CHINA_TIME

LIST_SEPARATOR = "、"
DAY_FORMAT, MOMENT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
UNSAFE_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
"""The most characters an Excel cell holds (XlsxWriter writes nothing for a longer string)."""
CUT_MARKER = "…（超出Excel单元格上限，已截断）"
"""How a cell cut at that limit ends (the cell is then exactly the limit long): an import
must refuse a cell at the limit ending so, as it is not the whole text."""
NOTICE_SHEET = "说明"
CUT_NOTICE = (
    f"以下{{}}个单元格超出Excel单元格上限（{EXCEL_CELL_LIMIT}字），已截断，"
    f"以“{CUT_MARKER}”结尾；完整内容见CSV导出："
)


def write_xlsx(
    sheet: Sheet, rows: Iterable[dict[str, Any]], out: IO[bytes], cut: list[str] | None = None
) -> int:
    """Write ``rows`` as one sheet of a workbook into ``out``; return how many. A text over
    Excel's cell limit is cut to it, ending in ``CUT_MARKER``; each such cell is named in a
    sheet ``说明`` after the rows and appended to ``cut`` (for the caller to say so too)."""
    cut = [] if cut is None else cut
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    page = book.add_worksheet(sheet.title)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    formats = {
        Kind.DATE: book.add_format({"num_format": DAY_FORMAT}),
        Kind.MOMENT: book.add_format({"num_format": MOMENT_FORMAT}),
    }
    for i, column in enumerate(sheet.columns):
        page.set_column(i, i, column.width)
    page.freeze_panes(1, 0)
    page.write_row(0, 0, sheet.headers, header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for i, column in enumerate(sheet.columns):
            if _write_cell(page, (count, i), column.kind, row.get(column.key), formats):
                cut.append(f"第{count + 1}行「{column.header}」")
    page.autofilter(0, 0, max(count, 1), len(sheet.columns) - 1)
    if cut:
        notice = book.add_worksheet(NOTICE_SHEET)
        notice.set_column(0, 0, 100)
        notice.write_string(0, 0, CUT_NOTICE.format(len(cut)))
        for n, where in enumerate(cut, start=1):
            notice.write_string(n, 0, where)
    book.close()
    return count


def _write_cell(
    page: Any, at: tuple[int, int], kind: Kind, value: Any, formats: dict[Kind, Any]
) -> bool:
    """Write one cell; True if its text was cut at Excel's limit."""
    if value is None or value in ("", []):
        return False
    r, c = at
    if kind is Kind.DATE and isinstance(value, date):
        page.write_datetime(r, c, datetime(value.year, value.month, value.day), formats[kind])
    elif kind is Kind.MOMENT and isinstance(value, datetime):
        page.write_datetime(r, c, _beijing(value), formats[kind])
    elif kind is Kind.NUMBER and isinstance(value, int | float | Decimal):
        page.write_number(r, c, value)
    else:
        text = _text(kind, value)
        if len(text) > EXCEL_CELL_LIMIT:
            page.write_string(r, c, text[: EXCEL_CELL_LIMIT - len(CUT_MARKER)] + CUT_MARKER)
            return True
        page.write_string(r, c, text)
    return False


def write_bom_csv(sheet: Sheet, rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write ``rows`` as CSV, a BOM first, the Chinese headers, then a line a row."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(c.kind, row.get(c.key)) for c in sheet.columns])
        count += 1
    return count


def _csv_cell(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind is Kind.MOMENT and isinstance(value, datetime):
        return _beijing(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = _text(kind, value)
    if kind is not Kind.NUMBER and text.startswith(UNSAFE_STARTS):
        return "'" + text
    return text


def _text(kind: Kind, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _beijing(moment: datetime) -> datetime:
    """A moment as Beijing wall time without a zone (a spreadsheet has none)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TIME)
    return moment.replace(tzinfo=None)
