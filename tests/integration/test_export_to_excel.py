"""``ledger export LIST --format xlsx`` (and ``csv-zh``): the 台账 as a workbook read back
with openpyxl: Chinese headers, real dates, states and lights in Chinese, lists joined with
、, each row's 台账编号 the same in every export; ``--as-of`` a day lists what stood then."""

from __future__ import annotations

import base64
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.bootstrap import open_ledger
from api.cli.demo import record_demo
from api.cli.main import main
from api.exports.ledger_columns import SHEETS, Kind
from api.labels import LABELS
from domain.timeliness import LIGHT_LABELS
from tests.clock import SETTING, child_environ, today
from tests.conftest import TEST_KEY, settings_for

LISTS = ("tasks", "complaints", "legacy-issues", "interviews", "referrals", "scorecards")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger holding the demo: the 2021 plan and 90 days of activity."""
    url = f"sqlite:///{tmp_path_factory.mktemp('excel') / 'ledger.sqlite'}"
    ledger = open_ledger(settings_for(url))
    record_demo(ledger)
    ledger.close()
    return url


@pytest.fixture
def command_line(monkeypatch: pytest.MonkeyPatch, demo_url: str) -> str:
    for name, value in child_environ().items():
        if name.startswith("LEDGER_") or name == SETTING:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("LEDGER_DATABASE_URL", demo_url)
    monkeypatch.setenv("LEDGER_PERSONAL_DATA_KEY", base64.b64encode(TEST_KEY).decode())
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    return demo_url


def exported(tmp_path: Path, what: str, *extra: str) -> tuple[Any, list[dict[str, Any]]]:
    """The sheet of ``ledger export what --format xlsx``, and its rows by header."""
    path = tmp_path / f"{what}-{len(list(tmp_path.iterdir()))}.xlsx"
    assert main(["export", what, "--format", "xlsx", "--output", str(path), *extra]) == 0
    sheet = openpyxl.load_workbook(path).active
    headers, *rows = list(sheet.iter_rows(values_only=True))
    assert list(headers) == SHEETS[what].headers
    return sheet, [dict(zip(headers, row, strict=True)) for row in rows]


@pytest.mark.parametrize("what", LISTS)
def test_every_list_exports_with_chinese_headers_real_dates_and_a_stable_number(
    command_line: str, tmp_path: Path, what: str
) -> None:
    extra = ["--period", str(today().year)] if what == "scorecards" else []
    sheet, rows = exported(tmp_path, what, *extra)
    _, again = exported(tmp_path, what, *extra)
    assert rows, what
    assert sheet.title == SHEETS[what].title
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    numbers = [r["台账编号"] for r in rows]
    assert len(set(numbers)) == len(numbers) and all(numbers)
    assert numbers == [r["台账编号"] for r in again]
    for column in SHEETS[what].columns:
        values = [r[column.header] for r in rows if r[column.header] is not None]
        if column.kind in (Kind.DATE, Kind.MOMENT):
            assert all(isinstance(v, datetime) for v in values), column.header


def test_tasks_show_states_lights_and_lists_in_chinese(command_line: str, tmp_path: Path) -> None:
    _, rows = exported(tmp_path, "tasks")
    assert {r["状态"] for r in rows} <= set(LABELS.values())
    assert {r["灯色"] for r in rows} - {None} <= set(LIGHT_LABELS.values())
    assert {r["灯色"] for r in rows} & {"红灯"}
    plan_item_9 = next(r for r in rows if r["台账编号"] == "RW2021-09")
    assert "、" in plan_item_9["协同单位"]
    assert isinstance(plan_item_9["完成时限"], datetime)
    complaints = exported(tmp_path, "complaints")[1]
    assert all("*" in r["投诉人"] and "****" in r["联系电话"] for r in complaints)
    assert any(r["办结日期"] for r in complaints)


def test_as_of_a_past_day_lists_only_what_was_registered_by_then(
    command_line: str, tmp_path: Path
) -> None:
    _, now = exported(tmp_path, "complaints")
    day = today() - timedelta(days=45)
    _, then = exported(tmp_path, "complaints", "--as-of", day.isoformat())
    assert 0 < len(then) < len(now)
    assert all(r["受理日期"].date() <= day for r in then)
    assert all(r["办结日期"] is None or r["办结日期"].date() <= day for r in then)
    current = {r["台账编号"]: r for r in now}
    assert any(r["状态"] != current[r["台账编号"]]["状态"] for r in then)


def test_the_chinese_csv_has_a_bom_and_the_json_and_csv_stay_as_they_were(
    command_line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.csv"
    assert main(["export", "legacy-issues", "--format", "csv-zh", "--output", str(path)]) == 0
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert text.decode("utf-8-sig").splitlines()[0].startswith("台账编号,系统编号,问题名称")
    capsys.readouterr()
    assert main(["export", "legacy-issues", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,version,title,category,category_label")
    assert main(["export", "tasks", "--format", "csv", "--as-of", "2021-01-01"]) == 2
    assert "--as-of and --period go with --format xlsx or csv-zh" in capsys.readouterr().err


def test_scorecards_need_a_period_and_refuse_a_day(
    command_line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "scorecards", "--format", "xlsx"]) == 2
    assert "period" in capsys.readouterr().err
    args = ["export", "scorecards", "--format", "xlsx", "--period", "2021", "--as-of", "2021-06-30"]
    assert main(args) == 2
    assert "asOf" in capsys.readouterr().err
