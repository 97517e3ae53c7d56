"""``ledger calendar``: which years are covered and from where, before and after the office
adopts a year's schedule; a bad file or setting is one line, exit 2, nothing written.

The schedule is adopted by the ``ledger`` process; what the calendar says, the repeat and
the refusals are checked on ``main`` in the test's process (``LedgerCli.in_process``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import LedgerCli, copy_database

SCHEDULE_2027 = Path(__file__).parents[1] / "fixtures" / "holidays-2027-test.toml"


@pytest.fixture
def seeded(cli: LedgerCli, seeded_2021: Path) -> LedgerCli:
    """The ``ledger`` command on a copy of a ledger seeded with changxing-2021."""
    copy_database(seeded_2021, cli.home)
    return cli


def line_for(out: str, year: int) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"{year}  "))


def test_the_calendar_says_2027_is_not_covered_until_its_schedule_is_adopted(
    seeded: LedgerCli,
) -> None:
    before = seeded.in_process("calendar").ok().out
    assert "covers 2004-2026" in before
    assert "package" in line_for(before, 2026)
    assert "from 2027: NOT COVERED" in before

    adopted = seeded("calendar", "adopt", str(SCHEDULE_2027), "--by", "office-li").ok()
    after = seeded.in_process("calendar").ok().out

    assert "the 2027 holiday schedule adopted" in adopted.out
    assert "adopted" in line_for(after, 2027)
    assert "by cli:office-li" in line_for(after, 2027)
    assert "29 days off, 4 make-up working days" in line_for(after, 2027)
    assert "from 2028: NOT COVERED" in after


def test_adopting_the_same_file_again_records_nothing(seeded: LedgerCli) -> None:
    seeded.in_process("calendar", "adopt", str(SCHEDULE_2027)).ok()
    records = seeded.stored_records()
    again = seeded.in_process("calendar", "adopt", str(SCHEDULE_2027)).ok()
    assert "already in force" in again.out
    assert seeded.stored_records() == records


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("year = 2027\n", "holidays"),
        ('year = 2027\nsource = "通知"\n[[holidays]]\nname = "元旦"\n', "元旦: days_off"),
        (
            'year = 2027\nsource = "通知"\n[[holidays]]\nname = "元旦"\ndays_off = ["1月1日"]\n',
            "'1月1日' is not a date",
        ),
        ("year = ", "not valid TOML"),
    ],
)
def test_a_bad_schedule_file_is_one_line_exit_2_and_writes_nothing(
    seeded: LedgerCli, tmp_path: Path, text: str, named: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    records = seeded.stored_records()
    run = seeded.in_process("calendar", "adopt", str(bad))
    assert run.code == 2
    assert run.err.startswith("ledger: error: ")
    assert named in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert seeded.stored_records() == records


def test_a_blank_adopter_is_refused(seeded: LedgerCli) -> None:
    run = seeded.in_process("calendar", "adopt", str(SCHEDULE_2027), "--by", " ")
    assert (run.code, "--by" in run.err) == (2, True)


def test_a_moved_clock_is_refused_in_production(seeded: LedgerCli) -> None:
    run = seeded.in_process(
        "calendar", LEDGER_ENV="production", LEDGER_TEST_NOW="2027-06-01T09:00:00+08:00"
    )
    assert run.code == 2
    assert "LEDGER_TEST_NOW" in run.err


def test_a_malformed_moved_clock_is_named(seeded: LedgerCli) -> None:
    run = seeded.in_process("calendar", LEDGER_TEST_NOW="next tuesday")
    assert run.code == 2
    assert "LEDGER_TEST_NOW" in run.err
