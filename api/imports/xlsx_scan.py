"""A workbook looked over before python-calamine reads it: refused when reading it would
exhaust the machine, and the cells of the sheet that hold a formula.

calamine allocates every cell of the sheet's used area (up to its last cell: one cell at
XFD1048576 in a 5 KB file asks for 512 GiB and the process dies; 100,000 rows by 100
columns took 400 MB, measured) and inflates every part it reads. So, before it is called:
the zip's entries together may hold at most ``MOST_UNCOMPRESSED`` bytes, none inflating more
than ``MOST_RATIO`` times (a zip bomb), and the sheet's cells, streamed with ``iterparse``
(its ``<dimension>`` is not what calamine goes by), may reach at most row ``MOST_ROWS`` and
column ``MOST_COLUMNS``. calamine gives a formula's cached value and not the formula; the
same scan finds the cells with an ``<f>`` element, which the importers refuse.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError, fromstring, iterparse

MOST_UNCOMPRESSED = 200 * 2**20
MOST_RATIO = 200
MOST_ROWS = 60_000
MOST_COLUMNS = 64
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SHEET = f"{MAIN}sheet"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REFERENCE = re.compile(r"([A-Z]+)(\d+)")


class Refused(Exception):
    """The workbook is not read: the message says why, in one line."""


def scan(book: zipfile.ZipFile, title: str) -> tuple[str, set[tuple[int, int]]]:
    """The name of the sheet an import reads (titled ``title``, else the first) and the
    cells of it holding a formula: (row as Excel numbers it, 0-based column)."""
    infos = book.infolist()
    if sum(i.file_size for i in infos) > MOST_UNCOMPRESSED:
        raise Refused(f"the workbook inflates to more than {MOST_UNCOMPRESSED // 2**20} MB")
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MOST_RATIO * max(info.compress_size, 1):
            raise Refused(f"{info.filename} inflates {MOST_RATIO} times or more (a zip bomb?)")
    name, part = _sheet_part(book, title)
    with book.open(part) as xml:
        return name, _formulas(xml)


def _sheet_part(book: zipfile.ZipFile, title: str) -> tuple[str, str]:
    try:
        workbook = fromstring(book.read("xl/workbook.xml"))
        rels = fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ParseError) as error:
        raise Refused(f"not a readable .xlsx workbook ({error})") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS}Relationship")}
    sheets = [(s.get("name", ""), targets.get(s.get(REL_ID))) for s in workbook.iter(SHEET)]
    if not sheets:
        raise Refused("the workbook has no sheet")
    name, target = next((s for s in sheets if s[0] == title), sheets[0])
    if not target:
        raise Refused(f"sheet {name!r} has no part in the workbook")
    part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    part = posixpath.normpath(part)
    if part not in book.namelist():
        raise Refused(f"sheet {name!r} has no part in the workbook")
    return name, part


def _formulas(xml: IO[bytes]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for row, column, cell in _cells(xml):
        if row > MOST_ROWS or column >= MOST_COLUMNS:
            raise Refused(
                f"the sheet reaches row {row}, column {column + 1}: at most {MOST_ROWS:,} rows"
                f" and {MOST_COLUMNS} columns are read (delete what lies beyond the table)"
            )
        if cell.find(f"{MAIN}f") is not None:
            found.add((row, column))
    return found


def _cells(xml: IO[bytes]) -> Iterator[tuple[int, int, Element]]:
    """Each cell: its row (1-based), its column (0-based), its element; a cell or row
    without a reference follows the one before it."""
    row, column = 0, -1
    try:
        for event, element in iterparse(xml, events=("start", "end")):
            if event == "start" and element.tag == f"{MAIN}row":
                row, column = int(element.get("r") or row + 1), -1
            elif event == "end" and element.tag == f"{MAIN}c":
                reference = REFERENCE.fullmatch(element.get("r") or "")
                if reference:
                    row, column = int(reference[2]), _column(reference[1])
                else:
                    column += 1
                yield row, column, element
                element.clear()
            elif event == "end" and element.tag == f"{MAIN}row":
                element.clear()
    except (ParseError, ValueError) as error:
        raise Refused(f"the sheet's XML cannot be read ({error})") from None


def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
