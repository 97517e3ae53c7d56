"""``ledger import plan FILE --by NAME``: a year's work plan read from the 督办事项 sheet.

The seeded 2021 plan exported and imported into a ledger holding only its units gives the
same tasks (ids, numbers, titles, units and groups, deadlines, milestones); importing it again
writes nothing; a later deadline records only the acts that move a deadline; a broken file gets
one line per problem with its row and column and writes nothing (unless --skip-invalid);
--dry-run writes nothing; a plan drafted from the template is recorded; any cells are read
without a crash, a problem naming its row and column. In-process (``LedgerCli.in_process``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.bootstrap import open_ledger
from api.cli.plan import builtin_plan
from api.cli.seed import imported_task_id_for, seed_plan, task_id_for
from api.exports.ledger_columns import SHEETS
from api.exports.sheet_writers import write_xlsx
from api.imports.plan_rows import HEADERS, parse_row
from domain.task import Task
from domain.unit import UnitKind
from tests.clock import today
from tests.conftest import settings_for
from tests.e2e.conftest import LedgerCli, copy_database

SHEET = SHEETS["tasks"]
PLAN = builtin_plan("changxing-2021")
UNIT_NAMES = [name for name, _ in PLAN.units]
Y = today().year + 1
"""The year of a plan drafted now (next year's)."""


def events(database: Path) -> int:
    ledger = open_ledger(settings_for(f"sqlite:///{database}"))
    try:
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()


def tasks(database: Path, ids: list[UUID]) -> dict[UUID, tuple[Any, ...]]:
    """The tasks ``ids`` as the plan has them."""
    ledger = open_ledger(settings_for(f"sqlite:///{database}"))
    try:
        found = [ledger.get(Task, i) for i in ids]
    finally:
        ledger.close()
    return {
        t.id: (
            t.plan_year,
            t.number,
            t.section,
            t.title,
            t.description,
            t.lead_units,
            t.cooperating_units,
            t.cooperating_groups,
            t.cooperation_note,
            t.deadline,
            t.milestones,
        )
        for t in found
    }


def sheet_rows(path: Path) -> list[dict[str, Any]]:
    headers, *rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True)) for row in rows]


def write_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` (by header) as a 督办事项 workbook."""
    keys = {c.header: c.key for c in SHEET.columns}
    with path.open("wb") as out:
        write_xlsx(SHEET, [{keys[h]: v for h, v in r.items()} for r in rows], out)
    return path


def units_only(home: Path) -> LedgerCli:
    """A ledger in ``home`` holding the 2021 plan's units and nothing else."""
    cli = LedgerCli(home)
    ledger = open_ledger(settings_for(f"sqlite:///{cli.database}"))
    seed_plan(ledger, replace(PLAN, tasks=(), targets=()))
    ledger.close()
    return cli


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The seeded ledger, its tasks exported, and a ledger of the plan's units alone that
    imported them once (templates, copied by tests)."""
    folder = tmp_path_factory.mktemp("plan")
    source = LedgerCli(folder / "source")
    source.home.mkdir()
    ledger = open_ledger(settings_for(f"sqlite:///{source.database}"))
    seed_plan(ledger, PLAN)
    ledger.close()
    sheet = folder / "tasks.xlsx"
    source.in_process("export", "tasks", "--format", "xlsx", "--output", str(sheet)).ok()
    (folder / "target").mkdir()
    target = units_only(folder / "target")
    said = target.in_process("import", "plan", str(sheet), "--by", "张三").ok()
    assert said.out.splitlines()[-2:] == [
        "新增 26 条，更新 0 条，未变 0 条，错误 0 条",
        "已写入 52 个事件",
    ]
    return source.database, sheet, target.database


def copy_of(database: Path, tmp_path: Path) -> LedgerCli:
    copy_database(database, tmp_path)
    return LedgerCli(tmp_path)


def test_the_seeded_plan_exported_and_imported_gives_the_same_tasks(
    exported: tuple[Path, Path, Path],
) -> None:
    source, _, imported = exported
    ids = [task_id_for(PLAN, t.number) for t in PLAN.tasks]
    seeded = tasks(source, ids)
    assert len(seeded) == 26
    assert tasks(imported, ids) == seeded
    groups = {g for t in seeded.values() for g in t[7]}
    assert groups == {UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT, UnitKind.STATIONED}
    assert sum(len(t[10]) for t in seeded.values()) >= 8  # so that the test bites


def test_each_row_is_registered_and_assigned_on_its_days_by_the_importer(
    exported: tuple[Path, Path, Path],
) -> None:
    _, sheet, imported = exported
    ledger = open_ledger(settings_for(f"sqlite:///{imported}"))
    try:
        for row in sheet_rows(sheet)[:3]:
            acts = ledger.item_events(UUID(row["系统编号"]))
            assert [type(e).__name__ for e in acts] == ["Registered", "Assigned"]
            assert {(e.actor.id, e.actor.role.value, e.imported) for e in acts} == {
                ("import:张三", "office", True)
            }
            assert {e.business_date for e in acts} == {date(2021, 4, 29)}
    finally:
        ledger.close()


@pytest.mark.parametrize("into", ["imported", "seeded"])
def test_importing_the_same_plan_again_writes_nothing(
    exported: tuple[Path, Path, Path], tmp_path: Path, into: str
) -> None:
    source, sheet, imported = exported
    cli = copy_of(imported if into == "imported" else source, tmp_path)
    before = events(cli.database)
    said = cli.in_process("import", "plan", str(sheet), "--by", "张三")
    assert said.code == 0
    assert said.out.splitlines() == [
        "新增 0 条，更新 0 条，未变 26 条，错误 0 条",
        "已写入 0 个事件",
    ]
    assert events(cli.database) == before


def test_a_later_deadline_records_only_the_acts_that_move_a_deadline(
    exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, sheet, imported = exported
    rows = sheet_rows(sheet)
    rows[4]["完成时限"] = datetime(2022, 3, 31)
    cli = copy_of(imported, tmp_path)
    before = events(cli.database)
    said = cli.in_process(
        "import", "plan", str(write_rows(tmp_path / "c.xlsx", rows)), "--by", "李四"
    )
    assert said.out.splitlines() == [
        "新增 0 条，更新 1 条，未变 25 条，错误 0 条",
        "已写入 2 个事件",
    ]
    assert events(cli.database) == before + 2
    ledger = open_ledger(settings_for(f"sqlite:///{cli.database}"))
    try:
        task_id = UUID(rows[4]["系统编号"])
        acts = ledger.item_events(task_id)[-2:]
        assert [type(e).__name__ for e in acts] == ["ExtensionRequested", "ExtensionApproved"]
        assert {(e.actor.id, e.imported) for e in acts} == {("import:李四", True)}
        assert ledger.get(Task, task_id).deadline == date(2022, 3, 31)
    finally:
        ledger.close()


def test_a_change_no_act_records_is_an_error_on_its_cell(
    exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, sheet, imported = exported
    rows = sheet_rows(sheet)
    rows[0]["事项名称"] = "改了名字"
    rows[1]["协同单位"] = "各街道"
    rows[2]["完成时限"] = datetime(2021, 10, 1)
    cli = copy_of(imported, tmp_path)
    before = events(cli.database)
    said = cli.in_process(
        "import", "plan", str(write_rows(tmp_path / "c.xlsx", rows)), "--by", "李四"
    )
    assert said.code == 1
    assert said.out.splitlines()[:3] == [
        "第2行 F列（事项名称）：与系统中的不同，且没有可记录这一改变的办理行为",
        "第3行 I列（协同单位）：与系统中的不同，且没有可记录这一改变的办理行为",
        "第4行 L列（完成时限）：早于系统中的完成时限 2021-12-31，没有可记录提前的办理行为",
    ]
    assert events(cli.database) == before


def broken_rows() -> list[dict[str, Any]]:
    """Seven rows of next year's plan, six with one problem each."""

    def row(number: int, **changes: Any) -> dict[str, Any]:
        return {
            "台账编号": f"RW{Y}-{number:02d}",
            "事项名称": f"第{number}项",
            "牵头单位": "区住建局",
            "协同单位": "各街道、区财政金融局",
            "完成时限": date(Y, 12, 31),
            "工作节点": f"方案（{Y}-06-30）",
        } | changes

    return [
        row(1, 牵头单位="区不存在局"),
        row(2, 完成时限=f"{Y}-02-30"),
        row(3, 事项名称=""),
        row(4),
        row(4, 事项名称="另一项"),
        row(5, 完成时限=date(Y - 1, 12, 31), 工作节点=""),
        row(6, 工作节点=f"方案（{Y + 1}-01-31）"),
    ]


BROKEN_LINES = [
    "第2行 H列（牵头单位）：未知的单位“区不存在局”（系统中的单位：" + "、".join(UNIT_NAMES) + "）",
    f"第3行 L列（完成时限）：不是有效日期：{Y}-02-30",
    "第4行 F列（事项名称）：不能为空",
    "第6行 A列（台账编号）：台账编号重复（与第5行相同）",
    f"第7行 L列（完成时限）：{Y - 1}-12-31 早于计划年度（{Y}年）",
    f"第8行 K列（工作节点）：节点“方案”（{Y + 1}-01-31）晚于完成时限 {Y}-12-31",
]


def test_a_broken_plan_gets_one_line_per_problem_and_writes_nothing(tmp_path: Path) -> None:
    cli = units_only(tmp_path)
    before = events(cli.database)
    said = cli.in_process(
        "import", "plan", str(write_rows(tmp_path / "b.xlsx", broken_rows())), "--by", "张三"
    )
    assert said.code == 1
    assert said.out.splitlines() == [
        *BROKEN_LINES,
        "新增 1 条，更新 0 条，未变 0 条，错误 6 条",
        "有错误：未写入任何内容（改正后重新导入，或用 --skip-invalid 只导入无误的行）",
    ]
    assert events(cli.database) == before


def test_skip_invalid_writes_the_valid_rows_and_a_dry_run_nothing(tmp_path: Path) -> None:
    cli = units_only(tmp_path)
    broken = str(write_rows(tmp_path / "b.xlsx", broken_rows()))
    before = events(cli.database)
    dry = cli.in_process("import", "plan", broken, "--by", "张三", "--dry-run", "--skip-invalid")
    assert dry.code == 1 and dry.out.splitlines()[-1] == "试运行：未写入任何内容"
    assert events(cli.database) == before
    said = cli.in_process("import", "plan", broken, "--by", "张三", "--skip-invalid")
    assert said.code == 1
    assert said.out.splitlines()[:-2] == BROKEN_LINES
    assert said.out.splitlines()[-1] == "已写入 2 个事件"
    assert events(cli.database) == before + 2


def test_a_plan_drafted_in_the_template_is_registered_and_assigned(tmp_path: Path) -> None:
    cli = units_only(tmp_path)
    template = tmp_path / "plan.xlsx"
    cli.in_process("template", "plan", "--output", str(template)).ok()
    book = openpyxl.load_workbook(template)
    page = book.worksheets[0]
    headers = [c.value for c in page[1]]
    draft = {
        "计划年度": Y,
        "序号": 3,
        "板块": "一、深化改革",
        "事项名称": "推行告知承诺制",
        "工作内容": "全面推行证明事项告知承诺制",
        "牵头单位": "区管委会办公室",
        "协同单位": "区住建局、各街道、区直各部门各单位",
        "完成时限": f"{Y}年11月30日",
        "工作节点": f"制定方案（{Y}-03-31）、全面推行（{Y}/9/30）",
    }
    page.append([draft.get(h) for h in headers])
    book.save(template)
    dry = cli.in_process("import", "plan", str(template), "--by", "张三", "--dry-run")
    assert dry.out.splitlines() == [
        "新增 1 条，更新 0 条，未变 0 条，错误 0 条",
        "试运行：未写入任何内容",
    ]
    cli.in_process("import", "plan", str(template), "--by", "张三").ok()
    (task,) = tasks(cli.database, [imported_task_id_for(Y, 3)]).values()
    assert task[:5] == (Y, 3, "一、深化改革", "推行告知承诺制", "全面推行证明事项告知承诺制")
    assert task[7] == (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT)
    assert task[9] == date(Y, 11, 30)
    assert [(m.key, m.title, m.due) for m in task[10]] == [
        ("m1", "制定方案", date(Y, 3, 31)),
        ("m2", "全面推行", date(Y, 9, 30)),
    ]
    out = tmp_path / "out.xlsx"
    cli.in_process("export", "tasks", "--format", "xlsx", "--output", str(out)).ok()
    (row,) = sheet_rows(out)
    assert row["台账编号"] == f"RW{Y}-03"
    assert row["协同单位"] == "区住建局、各街道、区直各部门各单位"
    again = cli.in_process("import", "plan", str(out), "--by", "张三")
    assert again.out.splitlines()[0] == "新增 0 条，更新 0 条，未变 1 条，错误 0 条"


def test_a_file_without_the_plans_columns_or_without_by_is_one_line_and_exit_2(
    tmp_path: Path,
) -> None:
    cli = units_only(tmp_path)
    other = tmp_path / "legacy.xlsx"
    with other.open("wb") as out:
        write_xlsx(SHEETS["legacy-issues"], [], out)
    said = cli.in_process("import", "plan", str(other), "--by", "张三")
    assert said.code == 2 and said.out == "" and len(said.err.splitlines()) == 1
    assert "督办事项" in said.err
    assert cli.in_process("import", "plan", str(other)).code == 2


PIECES = ["RW2021-07", "各街道", "区住建局", "（", "）", "、", "，编号 ", "，已完成", "2021-06-30"]
CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.lists(st.sampled_from([*PIECES, "2021年6月30日", "a", " ", "0000"]), max_size=12).map(
        "".join
    ),
    st.integers(-5, 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
COLUMNS = {c.key: i for i, c in enumerate(SHEET.columns)}


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list(COLUMNS)), CELL), st.integers(2, 10**6))
def test_any_cells_are_read_without_a_crash_each_problem_naming_its_row_and_column(
    values: dict[str, Any], line: int
) -> None:
    units = {name: UUID(int=i + 1) for i, name in enumerate(UNIT_NAMES)}
    row = parse_row(line, values, COLUMNS, units)
    for problem in row.problems:
        assert problem.line.startswith(f"第{line}行 ")
        assert problem.header in HEADERS.values()
        assert problem.message
    if not row.problems:
        assert row.title and row.plan_year and row.number >= 1
        assert (row.deadline is None) == (not row.lead_units)
