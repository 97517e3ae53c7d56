"""Reading one 台账 sheet of an .xlsx file: its header row and its rows, by column.

Read with python-calamine (Rust's calamine), chosen over openpyxl's read-only mode by
measurement (``bench/xlsx_readers.py``, the README's "The 台账 in Excel"). A file that is not
there, not an .xlsx workbook, too big to read (``api.imports.xlsx_scan``: a zip bomb, a cell
far beyond the table), or lacks the sheet's required columns is refused as a whole
(``FileRefused``: one line, nothing read); what is wrong within a row is the importer's to say
(a cell holding a formula is read as ``FORMULA``, which every column refuses).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.exports.ledger_columns import Sheet
from api.imports.cells import FORMULA
from api.imports.xlsx_scan import Refused, scan

MOST_ROWS_IMPORTED = 50_000
"""Rows of one import: SQLite holds its write lock for the whole import (about 3.5 s per
10,000 rows, measured), and the server's writes wait at most 30 s for it."""


class FileRefused(Exception):
    """The file as a whole cannot be imported: the message says why, in one line."""


@dataclass(frozen=True)
class SheetRows:
    """The rows of a sheet: each by its row number as Excel shows it, its cells by the
    column's key; ``columns`` the 0-based index of each key found."""

    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]]

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return iter(self.rows)


def read_sheet(path: Path, sheet: Sheet, required: Sequence[str]) -> SheetRows:
    """The rows of ``sheet`` in the workbook at ``path`` (the sheet of its title, else the
    workbook's first); every column of ``required`` (keys) must have its header."""
    if not path.is_file():
        raise FileRefused(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise FileRefused(f"{path}: not an .xlsx workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            name, formulas = scan(archive, sheet.title)
    except Refused as refused:
        raise FileRefused(f"{path}: {refused}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise FileRefused(f"{path}: not a readable .xlsx workbook ({error})") from None
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        found = book.get_sheet_by_name(name)
        cells: list[list[Any]] = found.to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError, OSError) as error:
        raise FileRefused(f"{path}: not a readable .xlsx workbook ({error})") from None
    if not cells:
        raise FileRefused(f"{path}: sheet {name!r} is empty (no header row)")
    by_header = {c.header: c.key for c in sheet.columns}
    columns: dict[str, int] = {}
    for index, header in enumerate(cells[0]):
        key = by_header.get(str(header).strip()) if header is not None else None
        if key is not None and key not in columns:
            columns[key] = index
    missing = [c.header for c in sheet.columns if c.key in required and c.key not in columns]
    if missing:
        raise FileRefused(
            f"{path}: sheet {name!r} is not a {sheet.title} sheet: no column " + "、".join(missing)
        )
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        values = {
            key: FORMULA if (number, index) in formulas else _cell(row, index)
            for key, index in columns.items()
        }
        if any(v is not None for v in values.values()):
            rows.append((number, values))
    if len(rows) > MOST_ROWS_IMPORTED:
        raise FileRefused(
            f"{path}: {len(rows):,} rows: at most {MOST_ROWS_IMPORTED:,} are imported at once"
            " (split the file)"
        )
    return SheetRows(columns, rows)


def _cell(row: Sequence[Any], index: int) -> Any:
    value = row[index] if index < len(row) else None
    if value == "":
        return None
    return value
