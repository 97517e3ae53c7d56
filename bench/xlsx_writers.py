"""Benchmark: writing a 台账 sheet of N rows with openpyxl (write-only mode) or XlsxWriter
(constant-memory mode), as ``ledger export --format xlsx`` writes one.

    python bench/xlsx_writers.py openpyxl --rows 10000 --output /dev/shm/a.xlsx
    python bench/xlsx_writers.py xlsxwriter --rows 10000 --output /dev/shm/b.xlsx

Each row: a number, two texts (one of CJK), three dates (real Excel dates, one empty in
three), a whole number and a list joined with 、; a frozen header row, column widths and an
autofilter. Time it as a whole process (``/usr/bin/time -v``): the figures to compare are
the wall time and the peak memory of the two, run in turn.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HEADERS = [
    "台账编号",
    "事项名称",
    "牵头单位",
    "登记日期",
    "完成时限",
    "销号日期",
    "进度",
    "协同单位",
]
WIDTHS = [14, 40, 16, 12, 12, 12, 8, 30]
DAY = "yyyy-mm-dd"


def rows(count: int) -> list[list[Any]]:
    start = date(2021, 1, 4)
    return [
        [
            f"RW2021-{n:05d}",
            f"优化营商环境重点任务第{n}项：推进“一网通办”与“最多跑一次”改革",
            f"区直部门{n % 40}",
            start + timedelta(days=n % 365),
            start + timedelta(days=n % 365 + 90),
            None if n % 3 else start + timedelta(days=n % 365 + 60),
            n % 101,
            "、".join(f"街道{k}" for k in range(n % 4)),
        ]
        for n in range(1, count + 1)
    ]


def with_openpyxl(data: list[list[Any]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(data) + 1}"
    sheet.append(HEADERS)
    for row in data:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, date):
                cell.number_format = DAY
            cells.append(cell)
        sheet.append(cells)
    book.save(out)


def with_xlsxwriter(data: list[list[Any]], out: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    day = book.add_format({"num_format": DAY})
    for i, width in enumerate(WIDTHS):
        sheet.set_column(i, i, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(data), len(HEADERS) - 1)
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("library", choices=("openpyxl", "xlsxwriter"))
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    write = with_openpyxl if args.library == "openpyxl" else with_xlsxwriter
    write(rows(args.rows), args.output)


if __name__ == "__main__":
    main()
