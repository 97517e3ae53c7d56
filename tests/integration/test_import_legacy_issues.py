"""``ledger import legacy-issues FILE --by NAME``: the 历史遗留问题总台账 read back from Excel.

A round trip (the seeded plan and a generated ledger exported, imported into a new ledger)
gives the same legacy totals as of every target date; importing the same file again writes
nothing; a changed row records only its change; a broken file gets one line per problem,
with its row and column, and writes nothing (unless --skip-invalid); --dry-run writes
nothing; bad command-line input is one line and exit 2. In-process (``api.cli.main``)."""

from __future__ import annotations

import base64
import contextlib
import io
import os
import shutil
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest

from api.bootstrap import open_ledger
from api.cli.generate import UNITS, _ensure_units
from api.cli.main import main
from api.cli.plan import builtin_plan
from api.cli.read_models import up_to_date
from api.cli.seed import seed_plan
from api.exports.ledger_columns import SHEETS
from api.exports.sheet_writers import write_xlsx
from api.imports.templates import ALLOWED_SHEET
from api.imports.work_order_rows import SHEET as WORK_ORDERS
from domain.legacy_issue import LegacyIssue, legacy_issue_id_for
from projections.views.legacy_totals import legacy_issue_totals
from tests.clock import SETTING, child_environ, today
from tests.conftest import TEST_KEY, settings_for

SHEET = SHEETS["legacy-issues"]
DAYS = [date(2021, 6, 30), date(2021, 12, 31), date(2022, 12, 31), date(2023, 6, 30)]
DAYS += [date(2025, 12, 31)]


@dataclass(frozen=True)
class Said:
    code: int
    out: list[str]
    err: str


def ledger_cmd(url: str, *args: str) -> Said:
    """``ledger ARGS`` on the ledger at ``url``, in this process."""
    environ = child_environ() | {
        "LEDGER_DATABASE_URL": url,
        "LEDGER_PERSONAL_DATA_KEY": base64.b64encode(TEST_KEY).decode(),
    }
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("LEDGER_")]:
            patch.delenv(name)
        for name, value in environ.items():
            if name.startswith("LEDGER_") or name == SETTING:
                patch.setenv(name, value)
        patch.setattr(warnings, "showwarning", warnings.showwarning)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    return Said(code, out.getvalue().splitlines(), err.getvalue())


def new_ledger(path: Path) -> str:
    """A ledger holding the 2021 plan and the generator's units."""
    url = f"sqlite:///{path}"
    ledger = open_ledger(settings_for(url))
    seed_plan(ledger, builtin_plan("changxing-2021"))
    _ensure_units(ledger, 0)
    ledger.close()
    return url


def totals(url: str) -> list[Any]:
    with up_to_date(settings_for(url), ("tasks", "legacy")) as runner, runner.engine.connect() as c:
        return [legacy_issue_totals(c, day) for day in [*DAYS, today()]]


def events(url: str) -> int:
    ledger = open_ledger(settings_for(url))
    try:
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()


def sheet_rows(path: Path) -> list[dict[str, Any]]:
    headers, *rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True)) for row in rows]


def write_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` (by header) as a legacy-issues workbook."""
    keys = {c.header: c.key for c in SHEET.columns}
    with path.open("wb") as out:
        write_xlsx(SHEET, [{keys[h]: v for h, v in r.items()} for r in rows], out)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """The source ledger (the plan and 1,500 generated events), its legacy issues
    exported, and a ledger that imported them once (a template, copied by tests)."""
    folder = tmp_path_factory.mktemp("import")
    url = new_ledger(folder / "source.sqlite")
    assert ledger_cmd(url, "generate", "--events", "1500", "--seed", "7", "--quiet").code == 0
    sheet = folder / "legacy.xlsx"
    assert ledger_cmd(url, "export", "legacy-issues", "--format", "xlsx", "--output", str(sheet))
    imported = folder / "imported.sqlite"
    target = new_ledger(imported)
    said = ledger_cmd(target, "import", "legacy-issues", str(sheet), "--by", "张三")
    assert said.code == 0, said
    return url, sheet, imported


def copy_of(imported: Path, tmp_path: Path) -> str:
    target = tmp_path / "ledger.sqlite"
    shutil.copyfile(imported, target)
    return f"sqlite:///{target}"


def test_a_round_trip_gives_the_same_legacy_totals_as_of_every_target_date(
    exported: tuple[str, Path, Path],
) -> None:
    url, sheet, imported = exported
    acts = "、".join(str(r["办理过程"] or "") for r in sheet_rows(sheet))
    for repeated in ("升级", "中止", "恢复", "销号", "重新打开"):  # so that the test bites
        assert repeated in acts, repeated
    assert totals(f"sqlite:///{imported}") == totals(url)


def test_the_round_trip_keeps_each_problems_id_and_marks_its_acts_imported_by_the_importer(
    exported: tuple[str, Path, Path],
) -> None:
    _, sheet, imported = exported
    ledger = open_ledger(settings_for(f"sqlite:///{imported}"))
    try:
        for row in sheet_rows(sheet)[:5]:
            issue_events = ledger.item_events(UUID(row["系统编号"]))
            assert {(e.actor.id, e.actor.role.value, e.imported) for e in issue_events} == {
                ("import:张三", "office", True)
            }
            assert issue_events[0].business_date == row["登记日期"].date()
            assert isinstance(ledger.get(LegacyIssue, issue_events[0].originator_id), LegacyIssue)
    finally:
        ledger.close()


def test_importing_the_same_file_again_writes_nothing(
    exported: tuple[str, Path, Path], tmp_path: Path
) -> None:
    _, sheet, imported = exported
    target = copy_of(imported, tmp_path)
    before = events(target)
    said = ledger_cmd(target, "import", "legacy-issues", str(sheet), "--by", "张三")
    count = len(sheet_rows(sheet))
    assert said.code == 0
    assert said.out == [f"新增 0 条，更新 0 条，未变 {count} 条，错误 0 条", "已写入 0 个事件"]
    assert events(target) == before


def test_a_changed_row_records_only_its_change(
    exported: tuple[str, Path, Path], tmp_path: Path
) -> None:
    _, sheet, imported = exported
    rows = sheet_rows(sheet)
    open_row = next(r for r in rows if r["状态"] == "化解中")
    open_row["状态"], open_row["销号日期"] = "已销号", date(2026, 1, 5)
    open_row["办理过程"] = f"{open_row['办理过程']}、2026-01-05 销号"
    changed = write_rows(tmp_path / "changed.xlsx", rows)
    target = copy_of(imported, tmp_path)
    before = events(target)
    said = ledger_cmd(target, "import", "legacy-issues", str(changed), "--by", "李四")
    assert said.out[0] == f"新增 0 条，更新 1 条，未变 {len(rows) - 1} 条，错误 0 条"
    assert events(target) == before + 1
    ledger = open_ledger(settings_for(target))
    try:
        last = ledger.item_events(UUID(open_row["系统编号"]))[-1]
    finally:
        ledger.close()
    assert type(last).__name__ == "ResolutionVerified"
    assert (last.actor.id, last.imported, last.business_date) == (
        "import:李四",
        True,
        date(2026, 1, 5),
    )


def broken_rows() -> list[dict[str, Any]]:
    """Four rows, each with one problem: an unknown unit, a bad date, a blank title, and a
    台账编号 used twice."""

    def row(number: str, **changes: Any) -> dict[str, Any]:
        return {
            "台账编号": number,
            "问题名称": "某小区办证难",
            "类别": "不动产确权办证",
            "成因": "历史原因",
            "责任单位": "区住建局",
            "化解目标年度": 2025,
            "摸底存量": True,
            "登记日期": date(2021, 3, 1),
        } | changes

    return [
        row("CX-2021-001", 责任单位="区不存在局"),
        row("CX-2021-002", 登记日期="2021-02-30"),
        row("CX-2021-003", 问题名称=""),
        row("CX-2021-004"),
        row("CX-2021-004", 问题名称="另一问题"),
        row("CX-2021-005"),
    ]


BROKEN_LINES = [
    "第2行 G列（责任单位）：未知的单位“区不存在局”（系统中的单位："
    + "、".join(name for name, _ in UNITS)
    + "）",
    "第3行 M列（登记日期）：不是有效日期：2021-02-30",
    "第4行 C列（问题名称）：不能为空",
    "第6行 A列（台账编号）：台账编号重复（与第5行相同）",
]


def test_a_broken_file_gets_one_line_per_problem_with_its_row_and_column_and_writes_nothing(
    tmp_path: Path,
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    broken = write_rows(tmp_path / "broken.xlsx", broken_rows())
    before = events(target)
    said = ledger_cmd(target, "import", "legacy-issues", str(broken), "--by", "张三")
    assert said.code == 1
    assert said.out == [
        *BROKEN_LINES,
        "新增 2 条，更新 0 条，未变 0 条，错误 4 条",
        "有错误：未写入任何内容（改正后重新导入，或用 --skip-invalid 只导入无误的行）",
    ]
    assert events(target) == before


def test_skip_invalid_writes_the_valid_rows_and_reports_the_others(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    broken = write_rows(tmp_path / "broken.xlsx", broken_rows())
    before = events(target)
    said = ledger_cmd(
        target, "import", "legacy-issues", str(broken), "--by", "张三", "--skip-invalid"
    )
    assert said.code == 1
    assert said.out[:4] == BROKEN_LINES
    assert said.out[-1] == "已写入 2 个事件"
    assert events(target) == before + 2
    again = ledger_cmd(target, "import", "legacy-issues", str(broken), "--by", "张三", "--dry-run")
    assert again.out[-2:] == [
        "新增 0 条，更新 0 条，未变 2 条，错误 4 条",
        "试运行：未写入任何内容",
    ]


def test_a_dry_run_reports_and_writes_nothing(
    exported: tuple[str, Path, Path], tmp_path: Path
) -> None:
    _, sheet, _ = exported
    target = new_ledger(tmp_path / "ledger.sqlite")
    before = events(target)
    said = ledger_cmd(target, "import", "legacy-issues", str(sheet), "--by", "张三", "--dry-run")
    count = len(sheet_rows(sheet))
    assert said.code == 0
    assert said.out == [
        f"新增 {count} 条，更新 0 条，未变 0 条，错误 0 条",
        "试运行：未写入任何内容",
    ]
    assert events(target) == before


def test_a_survey_number_is_kept_and_names_the_problem_in_a_later_import(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    rows = [r for r in broken_rows() if r["台账编号"] == "CX-2021-005"]
    first = write_rows(tmp_path / "first.xlsx", rows)
    assert ledger_cmd(target, "import", "legacy-issues", str(first), "--by", "张三").code == 0
    rows[0] |= {"方案制定日期": date(2021, 4, 1), "状态": "化解中"}
    later = write_rows(tmp_path / "later.xlsx", rows)
    said = ledger_cmd(target, "import", "legacy-issues", str(later), "--by", "张三")
    assert said.out == ["新增 0 条，更新 1 条，未变 0 条，错误 0 条", "已写入 1 个事件"]
    out = tmp_path / "out.xlsx"
    ledger_cmd(target, "export", "legacy-issues", "--format", "xlsx", "--output", str(out))
    assert [r["台账编号"] for r in sheet_rows(out)] == ["CX-2021-005"]
    rows[0]["问题名称"] = "改了名字"
    renamed = write_rows(tmp_path / "renamed.xlsx", rows)
    said = ledger_cmd(target, "import", "legacy-issues", str(renamed), "--by", "张三")
    assert said.out[0] == "第2行 C列（问题名称）：与系统中的不同，且没有可记录这一改变的办理行为"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p / "missing.xlsx", "no such file"),
        (lambda p: (p / "a.xlsx").write_text("台账编号,问题名称") and p / "a.xlsx", "not an .xlsx"),
        (
            lambda p: write_rows(p / "b.xlsx", []).rename(p / "c.zip") and p / "c.zip",
            "sheet",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_one_line_and_exit_2(
    tmp_path: Path, make: Any, says: str
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    path = make(tmp_path)
    if says == "sheet":  # a workbook of another list: the tasks'
        path = tmp_path / "tasks.xlsx"
        with path.open("wb") as out:
            write_xlsx(SHEETS["tasks"], [], out)
    before = events(target)
    said = ledger_cmd(target, "import", "legacy-issues", str(path), "--by", "张三")
    assert said.code == 2 and said.out == []
    assert len(said.err.splitlines()) == 1 and says in said.err
    assert events(target) == before


def test_an_import_without_by_is_refused(tmp_path: Path) -> None:
    said = ledger_cmd(f"sqlite:///{tmp_path / 'l.sqlite'}", "import", "legacy-issues", "x.xlsx")
    assert said.code == 2 and "--by" in said.err


@pytest.mark.parametrize("what", ["legacy-issues", "plan", "work-orders"])
def test_a_template_has_the_headers_and_a_sheet_of_allowed_values(
    tmp_path: Path, what: str
) -> None:
    url = new_ledger(tmp_path / "ledger.sqlite")
    path = tmp_path / f"{what}.xlsx"
    assert ledger_cmd(url, "template", what, "--output", str(path)).code == 0
    book = openpyxl.load_workbook(path)
    headers = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    expected = {"legacy-issues": "legacy-issues", "plan": "tasks"}
    assert headers == (WORK_ORDERS if what == "work-orders" else SHEETS[expected[what]]).headers
    allowed = {c[0].value: [v.value for v in c[1:] if v.value] for c in book[ALLOWED_SHEET].columns}
    if what == "legacy-issues":
        assert "区住建局" in allowed["责任单位"]
        assert allowed["类别"][:2] == ["土地", "规划建设"]
        assert allowed["督办层级"] == ["项目专班", "领导小组办公室", "领导小组"]
    if what == "work-orders":
        assert allowed["渠道"][-2:] == ["24小时行政投诉举报电话", "全天候服务企业热线"]
        assert "12345热线" in allowed["渠道"] and "区住建局" in allowed["承办单位"]


def one_row(number: str) -> list[dict[str, Any]]:
    return [next(r for r in broken_rows() if r["台账编号"] == "CX-2021-005") | {"台账编号": number}]


def test_a_number_of_the_ledgers_own_form_it_does_not_hold_asks_for_its_id_and_registers_nothing(
    tmp_path: Path,
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    other = write_rows(tmp_path / "other.xlsx", one_row("YL-000999"))
    before = events(target)
    for _ in range(2):
        said = ledger_cmd(target, "import", "legacy-issues", str(other), "--by", "张三")
        assert said.code == 1
        assert said.out[0].startswith("第2行 A列（台账编号）：") and "系统编号" in said.out[0]
        assert events(target) == before


def test_a_number_of_the_ledgers_own_form_names_only_a_problem_without_a_number_created_there(
    tmp_path: Path,
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    numbered = write_rows(tmp_path / "numbered.xlsx", one_row("CX-2021-005"))
    assert ledger_cmd(target, "import", "legacy-issues", str(numbered), "--by", "张三").code == 0
    position = events(target)  # the problem's registration: the last event of the log
    same = write_rows(tmp_path / "same.xlsx", one_row(f"YL-{position:06d}"))
    said = ledger_cmd(target, "import", "legacy-issues", str(same), "--by", "张三")
    assert said.out[0] == "第2行 A列（台账编号）：与系统中的台账编号（CX-2021-005）不同"
    assert events(target) == position
    unnumbered = [one_row("")[0] | {"系统编号": "0b7c2a62-6a51-4c2e-9a53-3f7e0a0c8d12"}]
    first = write_rows(tmp_path / "unnumbered.xlsx", unnumbered)
    assert ledger_cmd(target, "import", "legacy-issues", str(first), "--by", "张三").code == 0
    own = write_rows(tmp_path / "own.xlsx", one_row(f"YL-{position + 1:06d}"))
    said = ledger_cmd(target, "import", "legacy-issues", str(own), "--by", "张三")
    assert said.out == ["新增 0 条，更新 0 条，未变 1 条，错误 0 条", "已写入 0 个事件"]


def test_a_survey_number_decides_the_problems_id_whatever_its_system_id_says(
    tmp_path: Path,
) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    elsewhere = "0b7c2a62-6a51-4c2e-9a53-3f7e0a0c8d11"  # another ledger's id
    first = write_rows(tmp_path / "first.xlsx", [one_row("CX-1")[0] | {"系统编号": elsewhere}])
    assert ledger_cmd(target, "import", "legacy-issues", str(first), "--by", "张三").code == 0
    ledger = open_ledger(settings_for(target))
    try:
        assert ledger.get(LegacyIssue, legacy_issue_id_for("CX-1")).number == "CX-1"
    finally:
        ledger.close()
    before = events(target)
    for rows in (one_row("CX-1"), [one_row("CX-1")[0] | {"系统编号": elsewhere}]):
        later = write_rows(tmp_path / "later.xlsx", rows)
        said = ledger_cmd(target, "import", "legacy-issues", str(later), "--by", "张三")
        assert said.out == ["新增 0 条，更新 0 条，未变 1 条，错误 0 条", "已写入 0 个事件"]
    assert events(target) == before
    another = write_rows(tmp_path / "another.xlsx", one_row("CX-2"))
    assert ledger_cmd(target, "import", "legacy-issues", str(another), "--by", "张三").code == 0
    taken = [one_row("CX-1")[0] | {"系统编号": str(legacy_issue_id_for("CX-2"))}]
    said = ledger_cmd(
        target, "import", "legacy-issues", str(write_rows(tmp_path / "t.xlsx", taken)), "--by", "张"
    )
    assert said.code == 1 and said.out[0].startswith("第2行 B列（系统编号）：")
