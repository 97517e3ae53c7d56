"""``ledger import work-orders FILE --by NAME``: a batch of 12345 work orders from the city
platform, each row one case held under its 工单编号.

A batch becomes cases received at their 受理时间 with the policy's deadlines (and an intake
line's receipt deadline), their personal data sealed as ``receive_complaint`` seals it,
masked in the export, their acts replayed each at its own time as ``import:<NAME>``; the
same batch again writes nothing; an updated batch adds only the acts it adds; a change no act
records is an error on its cell; a broken file gets one line per problem and writes
nothing (unless --skip-invalid); --dry-run writes nothing. In-process (``api.cli.main``)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.bootstrap import open_ledger
from api.cli.generate import UNITS
from api.exports.sheet_writers import write_xlsx
from api.imports.work_order_rows import SHEET
from api.keys.personal_data_cipher import AesSealer
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from domain.complaint_numbers import complaint_id_for
from tests.conftest import TEST_KEY, settings_for
from tests.integration.test_import_legacy_issues import events, ledger_cmd, new_ledger, sheet_rows

KEYS = {c.header: c.key for c in SHEET.columns}
RECEIVED = datetime(2025, 3, 3, 10, 15)  # a Monday


def at(days: float, hours: float = 0) -> datetime:
    return RECEIVED + timedelta(days=days, hours=hours)


def write_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` (by header) as a work-order workbook."""
    with path.open("wb") as out:
        write_xlsx(SHEET, [{KEYS[h]: v for h, v in r.items()} for r in rows], out)
    return path


def batch() -> list[dict[str, Any]]:
    """Three work orders: one just received (the hotline by default), one of the 24-hour
    line dispatched, signed for and answered, one closed after its call-back."""
    base = {"首问单位": "区管委会办公室", "涉及单位": "区住建局", "诉求人": "王小明"}
    return [
        base
        | {"工单编号": "GD20250303001", "受理时间": RECEIVED, "诉求内容": "办证慢"}
        | {"联系电话": "13812341234"},
        base
        | {"工单编号": "GD20250303002", "受理时间": at(0, 1), "诉求内容": "窗口态度差"}
        | {"渠道": "24小时行政投诉举报电话", "承办单位": "区住建局", "派单时间": at(0, 3)}
        | {"签收时间": at(1), "答复时间": at(2), "答复内容": "已联系诉求人"},
        base
        | {"工单编号": "GD20250303003", "受理时间": at(0, 2), "诉求内容": "审批超时"}
        | {"承办单位": "区市场监督管理局", "派单时间": at(0, 4), "签收时间": at(1)}
        | {"核实时间": at(2), "核实结果": "属实", "整改时间": at(5), "回访时间": at(6)}
        | {"回访满意": "是", "办结时间": at(6, 2)},
    ]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An empty ledger (the plan, the generator's units), and one that imported the batch."""
    folder = tmp_path_factory.mktemp("work-orders")
    empty = folder / "empty.sqlite"
    new_ledger(empty)
    sheet = write_rows(folder / "batch.xlsx", batch())
    done = folder / "imported.sqlite"
    shutil.copyfile(empty, done)
    said = ledger_cmd(f"sqlite:///{done}", "import", "work-orders", str(sheet), "--by", "张三")
    assert said.code == 0, said
    return empty, sheet, done


def copy_of(source: Path, tmp_path: Path) -> str:
    target = tmp_path / "ledger.sqlite"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def test_a_batch_of_work_orders_becomes_cases_held_under_their_numbers(
    imported: tuple[Path, Path, Path],
) -> None:
    empty, sheet, _ = imported
    target = f"sqlite:///{empty}"
    said = ledger_cmd(target, "import", "work-orders", str(sheet), "--by", "张三", "--dry-run")
    assert said.out == ["新增 3 条，更新 0 条，未变 0 条，错误 0 条", "试运行：未写入任何内容"]
    ledger = open_ledger(settings_for(f"sqlite:///{imported[2]}"))
    try:
        rules = ledger.current_rules()
        first = ledger.get(Complaint, complaint_id_for("GD20250303001"))
        limits = rules.limits(Channel.HOTLINE_12345)
        assert (first.number, first.state, first.channel) == (
            "GD20250303001",
            ComplaintState.RECEIVED,
            Channel.HOTLINE_12345,
        )
        assert first.close_by == rules.due(RECEIVED.date(), limits.close)
        assert first.first_reply_by == rules.due(RECEIVED.date(), limits.first_reply)
        line = ledger.get(Complaint, complaint_id_for("GD20250303002"))
        assert line.intake == "complaint_line_24h"
        assert line.receipt_by == at(1, 1).replace(tzinfo=CHINA_TIME)
        assert line.receipted_at == at(0, 3).replace(tzinfo=CHINA_TIME)
        assert line.sign_by == rules.due(RECEIVED.date(), limits.sign_for)
        assert (line.state, line.first_replied_on) == (ComplaintState.SIGNED_FOR, at(2).date())
        closed = ledger.get(Complaint, complaint_id_for("GD20250303003"))
        assert (closed.state, closed.satisfied, closed.closed_on) == (
            ComplaintState.CLOSED,
            True,
            at(6).date(),
        )
        acts = ledger.item_events(closed.id)
        assert [type(e).__name__ for e in acts] == [
            "Received",
            "Dispatched",
            "SignedFor",
            "Verified",
            "RectificationReported",
            "CalledBack",
            "Closed",
        ]
        assert [e.occurred_at for e in acts[-2:]] == [
            at(6).replace(tzinfo=CHINA_TIME),
            at(6, 2).replace(tzinfo=CHINA_TIME),
        ]
        assert {(e.actor.id, e.actor.role.value, e.imported) for e in acts} == {
            ("import:张三", "office", True)
        }
        sealer = AesSealer(TEST_KEY)
        assert first.complainant_name.startswith("sealed:v1:")
        assert sealer.open(first.complainant_name) == "王小明"
        assert sealer.open(first.complainant_phone) == "13812341234"
    finally:
        ledger.close()


def test_the_export_holds_each_cases_work_order_number_and_masks_its_personal_data(
    imported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "complaints.xlsx"
    target = f"sqlite:///{imported[2]}"
    assert ledger_cmd(target, "export", "complaints", "--format", "xlsx", "--output", str(out))
    rows = sheet_rows(out)
    assert [r["台账编号"] for r in rows] == ["GD20250303001", "GD20250303002", "GD20250303003"]
    assert rows[0]["投诉人"] == "王**" and rows[0]["联系电话"] == "138****1234"
    assert [r["状态"] for r in rows][2] == "已办结"


def test_importing_the_same_batch_again_writes_nothing(
    imported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, sheet, done = imported
    target = copy_of(done, tmp_path)
    before = events(target)
    said = ledger_cmd(target, "import", "work-orders", str(sheet), "--by", "张三")
    assert said.code == 0
    assert said.out == ["新增 0 条，更新 0 条，未变 3 条，错误 0 条", "已写入 0 个事件"]
    assert events(target) == before


def test_an_updated_batch_records_only_the_acts_it_adds(
    imported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, done = imported
    rows = batch()
    rows[0] |= {"承办单位": "区住建局", "派单时间": at(1), "签收时间": at(1, 2)}
    rows.append(rows[2] | {"工单编号": "GD20250303004"})
    target = copy_of(done, tmp_path)
    before = events(target)
    updated = write_rows(tmp_path / "updated.xlsx", rows)
    said = ledger_cmd(target, "import", "work-orders", str(updated), "--by", "李四")
    assert said.out == ["新增 1 条，更新 1 条，未变 2 条，错误 0 条", "已写入 9 个事件"]
    assert events(target) == before + 9
    ledger = open_ledger(settings_for(target))
    try:
        acts = ledger.item_events(complaint_id_for("GD20250303001"))
    finally:
        ledger.close()
    assert [(type(e).__name__, e.actor.id, e.occurred_at) for e in acts[1:]] == [
        ("Dispatched", "import:李四", at(1).replace(tzinfo=CHINA_TIME)),
        ("SignedFor", "import:李四", at(1, 2).replace(tzinfo=CHINA_TIME)),
    ]


def test_a_change_no_act_records_is_an_error_on_its_cell(
    imported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, done = imported
    rows = batch()
    rows[0]["诉求内容"] = "改了内容"
    rows[1]["签收时间"] = at(1, 1)
    rows[2]["办结时间"] = None
    rows.append(batch()[2] | {"工单编号": "GD20250303001"})
    target = copy_of(done, tmp_path)
    before = events(target)
    said = ledger_cmd(
        target, "import", "work-orders", str(write_rows(tmp_path / "c.xlsx", rows)), "--by", "张三"
    )
    assert said.code == 1
    assert said.out[:4] == [
        "第2行 E列（诉求内容）：与系统中的不同，且没有可记录这一改变的办理行为",
        "第3行 M列（签收时间）：与系统中已记录的不同（已记录：2025-03-04 10:15）",
        "第4行 W列（办结时间）：系统中已记录（2025-03-09 12:15），不能改为空",
        "第5行 A列（工单编号）：工单编号重复（与第2行相同）",
    ]
    assert events(target) == before


def broken_rows() -> list[dict[str, Any]]:
    def row(number: str, **changes: Any) -> dict[str, Any]:
        return {
            "工单编号": number,
            "受理时间": RECEIVED,
            "诉求内容": "办证慢",
            "诉求人": "王小明",
            "联系电话": "13812341234",
            "首问单位": "区管委会办公室",
        } | changes

    return [
        row("GD-1", 首问单位="区不存在局"),
        row("GD-2", 渠道="微博"),
        row("GD-3", 受理时间="2025-02-30 10:00"),
        row("GD-4", 诉求内容=" "),
        row("GD-5"),
        row("GD-5"),
        row("GD-6", 承办单位="区住建局", 派单时间=at(1), 签收时间=at(0, 1)),
        row("GD-7", 承办单位="区住建局", 派单时间=at(1), 签收时间=at(2), 办结时间=at(3)),
        row("GD-8", 联系电话="1" * 41),
        row("GD-9", 受理时间="2025-03-03"),
        row("GD-10"),
    ]


BROKEN_LINES = [
    "第2行 H列（首问单位）：未知的单位“区不存在局”（系统中的单位："
    + "、".join(name for name, _ in UNITS)
    + "）",
    "第3行 D列（渠道）：未知的渠道或受理专线“微博”（可选：好差评、12345热线、找茬儿、"
    "新闻媒体监督、三支队伍监督、24小时行政投诉举报电话、全天候服务企业热线）",
    "第4行 C列（受理时间）：不是有效的日期时间：2025-02-30 10:00",
    "第5行 E列（诉求内容）：不能为空",
    "第7行 A列（工单编号）：工单编号重复（与第6行相同）",
    "第8行 M列（签收时间）：时间顺序有误：早于派单时间（2025-03-04 10:15）",
    "第9行 W列（办结时间）：缺少回访时间（办结时间须在其后）",
    "第10行 G列（联系电话）：联系电话无法记录（is 41 characters long; the limit is 40）",
    "第11行 C列（受理时间）：不是有效的日期时间（应为 2021-06-30 14:05）：2025-03-03",
]


def test_a_broken_file_gets_one_line_per_problem_and_writes_nothing(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    broken = write_rows(tmp_path / "broken.xlsx", broken_rows())
    before = events(target)
    said = ledger_cmd(target, "import", "work-orders", str(broken), "--by", "张三")
    assert said.code == 1
    assert said.out == [
        *BROKEN_LINES,
        "新增 2 条，更新 0 条，未变 0 条，错误 9 条",
        "有错误：未写入任何内容（改正后重新导入，或用 --skip-invalid 只导入无误的行）",
    ]
    assert events(target) == before


def test_skip_invalid_writes_the_valid_rows_and_a_dry_run_nothing(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    broken = write_rows(tmp_path / "broken.xlsx", broken_rows())
    before = events(target)
    args = ("import", "work-orders", str(broken), "--by", "张三")
    dry = ledger_cmd(target, *args, "--skip-invalid", "--dry-run")
    assert dry.out[-1] == "试运行：未写入任何内容" and events(target) == before
    said = ledger_cmd(target, *args, "--skip-invalid")
    assert said.code == 1
    assert said.out[: len(BROKEN_LINES)] == BROKEN_LINES
    assert said.out[-1] == "已写入 2 个事件"
    assert events(target) == before + 2
    again = ledger_cmd(target, *args, "--dry-run")
    assert again.out[-2:] == [
        "新增 0 条，更新 0 条，未变 2 条，错误 9 条",
        "试运行：未写入任何内容",
    ]


def test_a_sheet_without_its_required_columns_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = new_ledger(tmp_path / "ledger.sqlite")
    path = tmp_path / "wrong.xlsx"
    with path.open("wb") as out:
        write_xlsx(SHEET.__class__(SHEET.title, SHEET.columns[:2]), [], out)
    said = ledger_cmd(target, "import", "work-orders", str(path), "--by", "张三")
    assert said.code == 2 and said.out == []
    assert "no column 受理时间、诉求内容、首问单位" in said.err
