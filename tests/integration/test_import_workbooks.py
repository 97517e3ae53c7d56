"""What a workbook must be for ``ledger import`` to read it: no part inflating beyond the
limits (a zip bomb), no cell far beyond the table (python-calamine would allocate every cell
up to it), no more rows than one import writes; each refused in one line, exit 2, nothing
written. A cell holding a formula is an error on that cell, in any of the three imports."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from api.exports.ledger_columns import SHEETS
from api.exports.sheet_writers import CUT_MARKER
from api.imports import workbook, xlsx_scan
from api.imports.cells import CellProblem, given
from api.imports.work_order_rows import SHEET as WORK_ORDERS
from tests.integration.test_import_legacy_issues import (
    SHEET,
    broken_rows,
    events,
    ledger_cmd,
    new_ledger,
    write_rows,
)


def legacy_workbook(path: Path, far: tuple[int, int] | None = None, formula: bool = False) -> Path:
    """A legacy-issues sheet of one valid row, with a cell at ``far`` (0-based row and
    column), its 问题名称 a formula when ``formula``."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(SHEET.title)
    sheet.write_row(0, 0, SHEET.headers)
    row = next(r for r in broken_rows() if r["台账编号"] == "CX-2021-005")
    for column, header in enumerate(SHEET.headers):
        value = row.get(header)
        if isinstance(value, date):
            value = value.isoformat()
        if value is not None:
            sheet.write(1, column, value)
    if formula:
        sheet.write_formula(
            1, SHEET.headers.index("问题名称"), '="某小区"&"办证难"', None, "某小区办证难"
        )
    if far is not None:
        sheet.write(*far, "远处")
    book.close()
    return path


def refused(target: str, path: Path, says: str, what: str = "legacy-issues") -> None:
    before = events(target)
    said = ledger_cmd(target, "import", what, str(path), "--by", "张三")
    assert said.code == 2 and said.out == [], said
    assert len(said.err.splitlines()) == 1 and says in said.err, said.err
    assert events(target) == before


def test_a_cell_far_beyond_the_table_is_refused_before_the_sheet_is_read(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    far = legacy_workbook(tmp_path / "far.xlsx", far=(1048575, 16383))
    assert far.stat().st_size < 20_000
    refused(target, far, "reaches row 1048576, column 16384")
    wide = legacy_workbook(tmp_path / "wide.xlsx", far=(1, xlsx_scan.MOST_COLUMNS))
    refused(target, wide, f"column {xlsx_scan.MOST_COLUMNS + 1}")
    ok = legacy_workbook(tmp_path / "ok.xlsx", far=(xlsx_scan.MOST_ROWS - 1, 30))
    said = ledger_cmd(target, "import", "legacy-issues", str(ok), "--by", "张三", "--dry-run")
    assert said.out[0] == "新增 1 条，更新 0 条，未变 0 条，错误 0 条"


def test_a_zip_bomb_is_refused_before_the_sheet_is_read(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    bomb = legacy_workbook(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", bytes(4 * 2**20))
    refused(target, bomb, "zeros.bin inflates 200 times or more")


def test_a_workbook_inflating_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    path = legacy_workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(xlsx_scan, "MOST_UNCOMPRESSED", 2_000)
    refused(target, path, "inflates to more than")


def test_more_rows_than_one_import_writes_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    rows = [r for r in broken_rows() if r["台账编号"] != "CX-2021-004"]
    path = write_rows(tmp_path / "rows.xlsx", rows)
    monkeypatch.setattr(workbook, "MOST_ROWS_IMPORTED", len(rows) - 1)
    refused(target, path, f"{len(rows)} rows: at most {len(rows) - 1} are imported at once")


@pytest.mark.parametrize("what", ["legacy-issues", "plan", "work-orders"])
def test_a_cell_holding_a_formula_is_an_error_on_that_cell(tmp_path: Path, what: str) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    path = tmp_path / "f.xlsx"
    if what == "legacy-issues":
        legacy_workbook(path, formula=True)
        header = "问题名称"
    else:
        sheet = WORK_ORDERS if what == "work-orders" else SHEETS["tasks"]
        book = xlsxwriter.Workbook(str(path))
        written = book.add_worksheet(sheet.title)
        written.write_row(0, 0, sheet.headers)
        written.write_formula(1, 2, "=1+1", None, 2)
        book.close()
        header = sheet.headers[2]
    before = events(target)
    said = ledger_cmd(target, "import", what, str(path), "--by", "张三")
    assert f"第2行 C列（{header}）：单元格含公式，请粘贴为数值" in said.out
    assert said.code == 1 and events(target) == before


def test_a_cell_the_export_cut_at_excels_limit_is_refused_not_imported_cut() -> None:
    cut = "节点" * 20 + CUT_MARKER
    with pytest.raises(CellProblem, match="已被截断"):
        given({"milestones": cut}, "milestones")
    assert given({"milestones": "节点"}, "milestones") == "节点"
