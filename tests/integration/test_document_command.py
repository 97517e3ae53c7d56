"""``ledger document``: the monthly 督办通报, a 约谈通知书 and a 移交函 written as PDF from the
demo's ledger (its clock at 2021-07-05), the seal printed in each one checked with
``ledger verify --against``; bad arguments and a missing font write nothing."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.integration.ledger_runs import run_ledger

NOW = {"LEDGER_TEST_NOW": "2021-07-05T10:00:00+08:00"}
SEAL = re.compile(r"印证串：(ledger-seal:v3:\d+:[0-9a-f]{64})")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's ledger, recorded once for the module, the whole of it in one file."""
    home = tmp_path_factory.mktemp("demo")
    path = home / "ledger.sqlite"
    assert run_ledger(f"sqlite:///{path}", home, "demo", **NOW).code == 0
    with closing(sqlite3.connect(path)) as db:  # the log folded into the file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def demo(demo_template: Path, sqlite_url: str) -> str:
    """A ledger of the test's own holding the demo: a copy of the module's."""
    shutil.copyfile(demo_template, sqlite_url.removeprefix("sqlite:///"))
    return sqlite_url


def text_of(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def first_id(url: str, table: str) -> str:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return str(db.execute(f"SELECT id FROM {table} LIMIT 1").fetchone()[0])


def write(url: str, home: Path, kind: str, option: str, subject: str) -> str:
    """The document's text, written by ``ledger document`` and read back."""
    out = home / f"{kind}.pdf"
    args = ("document", kind, option, subject, "--output", str(out), "--by", "张科长")
    run = run_ledger(url, home, *args, **NOW)
    assert run.code == 0, run.err
    return text_of(out)


@pytest.mark.slow  # each document made, then `ledger verify` run on it
def test_each_document_is_written_with_a_seal_that_ledger_verify_confirms(
    demo: str, tmp_path: Path
) -> None:
    texts = {"督办通报": write(demo, tmp_path, "monthly-bulletin", "--month", "2021-06")}
    # the read models are caught up by now: the demo's interview and referral are there
    interview, referral = first_id(demo, "rm_interviews"), first_id(demo, "rm_referrals")
    texts["约谈通知书"] = write(demo, tmp_path, "interview-notice", "--interview", interview)
    texts["问题线索移交函"] = write(demo, tmp_path, "referral-letter", "--referral", referral)
    for title, text in texts.items():
        assert title in text and "制作人：张科长" in text
        found = SEAL.search(text)
        assert found is not None, text
        checked = run_ledger(demo, tmp_path, "verify", "--against", found.group(1), **NOW)
        assert checked.code == 0 and "matches the seal given" in checked.out, checked.err


BAD_ID = "0b9d2c1e-2f4a-4e36-9a51-2b1c4c7a9f00"
NO_FONT = {"LEDGER_DOCUMENT_FONT": "/no/font.ttc"}


@pytest.mark.parametrize(
    ("args", "settings", "said"),
    [
        (("monthly-bulletin", "--month", "2021-13"), {}, "month: must be a month as YYYY-MM"),
        (("monthly-bulletin", "--month", "2021-08"), {}, "2021-08 has not begun"),
        (("interview-notice", "--interview", "no-such"), {}, "no interview no-such"),
        (
            ("referral-letter", "--referral", "0b9d2c1e-2f4a-4e36-9a51-2b1c4c7a9f00"),
            {},
            "no referral",
        ),
        (
            ("monthly-bulletin", "--month", "2021-06"),
            {"LEDGER_DOCUMENT_FONT": "/no/font.ttc"},
            "LEDGER_DOCUMENT_FONT: /no/font.ttc is not a font file",
        ),
    ],
)
def test_a_bad_argument_or_a_missing_font_is_one_line_and_writes_nothing(
    demo: str, tmp_path: Path, args: tuple[str, ...], settings: dict[str, str], said: str
) -> None:
    out = tmp_path / "out.pdf"
    run = run_ledger(demo, tmp_path, "document", *args, "--output", str(out), **NOW, **settings)
    assert run.code == 2 and said in run.err and len(run.err.splitlines()) == 1, run.err
    assert not out.exists()
