"""Bad input is refused with one line on stderr and exit code 2, and nothing is written.

The valid plan is seeded and exported, a plan naming an unknown unit refused, and a ledger
found where no URL names one, by the ``ledger`` process; the other refusals are checked on
the same ``main`` in the test's process (``LedgerCli.in_process``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.e2e.conftest import LedgerCli, Run, copy_database, once, stored_records

VALID_PLAN = """\
plan = "试点工作要点"
year = 2021
issued_on = 2021-04-29
issued_by = "区管委会办公室"
units = [
    { name = "区管委会办公室", kind = "department" },
    { name = "长兴岛街道", kind = "subdistrict" },
]

[[tasks]]
number = 1
section = "一、试点"
title = "推进政务服务驿站建设"
description = "在村(社区)开展政务服务驿站标准化建设。"
lead_units = ["区管委会办公室"]
cooperating_units = ["长兴岛街道"]
cooperation_note = "长兴岛街道协同落实"
deadline = 2021-12-31

[[tasks.milestones]]
key = "pilot"
title = "7月底前完成试点"
due = 2021-07-31
"""

#: A second item for VALID_PLAN; {lead} and {deadline} are filled in per case.
SECOND_ITEM = """
[[tasks]]
number = 2
section = "一、试点"
title = "第二项"
description = ""
lead_units = ["{lead}"]
cooperation_note = ""
deadline = {deadline}
"""


def plan_with_second_item(*, lead: str = "区管委会办公室", deadline: str = "2021-12-31") -> str:
    return VALID_PLAN + SECOND_ITEM.format(lead=lead, deadline=deadline)


class SeededLedger(NamedTuple):
    """A ledger seeded from VALID_PLAN, kept as a template for copies."""

    database: Path
    records: int
    seed: Run
    csv_export: Run


@pytest.fixture(scope="module")
def seeded_ledger(tmp_path_factory: pytest.TempPathFactory) -> SeededLedger:
    """The valid plan seeded and exported by the ``ledger`` process (once per run)."""

    def seed(home: Path) -> SeededLedger:
        (home / "pilot.toml").write_text(VALID_PLAN, encoding="utf-8")
        cli = LedgerCli(home)
        seed = cli("seed", "--file", "pilot.toml")
        csv_export = cli("export", "tasks", "--format", "csv")
        records = cli.stored_records()
        assert records, "the valid plan was not seeded"
        return SeededLedger(cli.database, records, seed, csv_export)

    return once(tmp_path_factory, "valid-plan", seed)


@pytest.fixture
def existing(tmp_path: Path, seeded_ledger: SeededLedger) -> LedgerCli:
    """The ``ledger`` command on a copy of the seeded ledger."""
    copy_database(seeded_ledger.database, tmp_path)
    return LedgerCli(tmp_path)


def assert_refused(run: Run, message: str) -> None:
    """Exit code 2, no output, and exactly one line on stderr: ``ledger: error: ...message...``."""
    assert "Traceback" not in run.err
    assert run.code == 2, run.err
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("ledger: error: "), run.err
    assert message in lines[0]
    assert run.err.endswith("\n")


def assert_nothing_written(cli: LedgerCli) -> None:
    """No database file, or one without a single event in it."""
    assert cli.stored_records() in (None, 0)


def test_a_valid_small_plan_file_seeds_fine(seeded_ledger: SeededLedger) -> None:
    assert seeded_ledger.seed.code == 0, seeded_ledger.seed.err
    assert seeded_ledger.seed.out == "ledger: seeded pilot: 4 written, 0 already there\n"
    assert seeded_ledger.seed.err == ""


def test_its_task_exports_as_csv_with_a_header_and_the_chinese_status(
    seeded_ledger: SeededLedger,
) -> None:
    run = seeded_ledger.csv_export.ok()
    rows = list(csv.reader(io.StringIO(run.out)))
    assert len(rows) == 2
    header, data = rows
    assert len(header) == len(data)
    row = dict(zip(header, data, strict=True))
    assert row["number"] == "1"
    assert row["title"] == "推进政务服务驿站建设"
    assert row["section"] == "一、试点"
    assert json.loads(row["lead_units"]) == ["区管委会办公室"]
    assert json.loads(row["cooperating_units"]) == ["长兴岛街道"]
    assert row["cooperation_note"] == "长兴岛街道协同落实"
    assert [(m["title"], m["due"]) for m in json.loads(row["milestones"])] == [
        ("7月底前完成试点", "2021-07-31")
    ]
    assert row["deadline"] == "2021-12-31"
    assert (row["status"], row["status_label"]) == ("assigned", "已交办")


def test_without_a_database_url_the_ledger_is_ledger_sqlite_in_the_working_directory(
    tmp_path: Path,
) -> None:
    (tmp_path / "pilot.toml").write_text(VALID_PLAN, encoding="utf-8")
    cli = LedgerCli(tmp_path, LEDGER_DATABASE_URL=None)
    assert "LEDGER_DATABASE_URL" not in cli.environ()
    cli("seed", "--file", "pilot.toml").ok()
    assert [p.name for p in tmp_path.glob("*.sqlite")] == ["ledger.sqlite"]
    assert (stored_records(tmp_path / "ledger.sqlite") or 0) > 0


def test_a_plan_naming_an_unknown_unit_is_refused_before_anything_is_written(
    cli: LedgerCli,
) -> None:
    (cli.home / "plan.toml").write_text(plan_with_second_item(lead="区不存在局"), encoding="utf-8")
    assert_refused(cli("seed", "--file", "plan.toml"), "item 2: no unit named '区不存在局'")
    assert_nothing_written(cli)


def test_a_plan_naming_an_unknown_unit_leaves_an_existing_ledger_unchanged(
    existing: LedgerCli, seeded_ledger: SeededLedger
) -> None:
    plan = existing.home / "plan.toml"
    plan.write_text(plan_with_second_item(lead="区不存在局"), encoding="utf-8")
    assert_refused(existing.in_process("seed", "--file", "plan.toml"), "no unit named '区不存在局'")
    assert existing.stored_records() == seeded_ledger.records


def test_a_plan_with_a_deadline_before_it_was_issued_is_refused(
    existing: LedgerCli, seeded_ledger: SeededLedger
) -> None:
    plan = existing.home / "plan.toml"
    plan.write_text(plan_with_second_item(deadline="2021-03-31"), encoding="utf-8")
    assert_refused(
        existing.in_process("seed", "--file", "plan.toml"),
        "tasks[1].deadline: 2021-03-31 is not after the plan was issued (2021-04-29)",
    )
    assert existing.stored_records() == seeded_ledger.records


def test_a_malformed_plan_file_is_refused(cli: LedgerCli) -> None:
    (cli.home / "plan.toml").write_text(VALID_PLAN.replace('title = "推', "title = 推"), "utf-8")
    assert_refused(cli.in_process("seed", "--file", "plan.toml"), "plan.toml is not valid TOML")
    assert_nothing_written(cli)


def test_a_missing_plan_file_is_refused(cli: LedgerCli) -> None:
    assert_refused(cli.in_process("seed", "--file", "nowhere.toml"), "no plan file nowhere.toml")
    assert_nothing_written(cli)


def test_exporting_from_a_missing_database_is_refused_and_does_not_create_it(
    cli: LedgerCli,
) -> None:
    assert_refused(cli.in_process("export", "tasks"), f"no ledger database at {cli.database}")
    assert not cli.database.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "LEDGER_DATABASE_URL is not a database URL: 'nonsense'"),
        ("mysql://x/y", "LEDGER_DATABASE_URL must be sqlite:/// or postgresql://"),
    ],
)
def test_a_database_url_the_ledger_cannot_use_is_refused(
    tmp_path: Path, url: str, message: str
) -> None:
    cli = LedgerCli(tmp_path, LEDGER_DATABASE_URL=url)
    assert_refused(cli.in_process("seed", "changxing-2021"), message)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (None, "LEDGER_POLICY_FILE: no file"),
        (
            "[lights]\nyellow_within_working_days = -1\n",
            "policy.lights.yellow_within_working_days: must be a whole number >= 0, not -1",
        ),
        (
            "[channels.media]\nclose = -5\n",
            "policy.channels.media.close: must be a whole number >= 0, not -5",
        ),
    ],
    ids=["missing", "negative-light-threshold", "negative-channel-limit"],
)
def test_a_policy_file_that_is_missing_or_negative_is_refused(
    existing: LedgerCli, seeded_ledger: SeededLedger, policy: str | None, message: str
) -> None:
    policy_file = existing.home / "policy.toml"
    if policy is not None:
        policy_file.write_text(policy, encoding="utf-8")
    run = existing.in_process(
        "generate", "--events", "10", "--quiet", LEDGER_POLICY_FILE=str(policy_file)
    )
    assert_refused(run, message)
    assert existing.stored_records() == seeded_ledger.records


def test_generating_fewer_than_one_event_is_refused(
    existing: LedgerCli, seeded_ledger: SeededLedger
) -> None:
    assert_refused(
        existing.in_process("generate", "--events", "0", "--quiet"),
        "generate: --events must be 1 or more",
    )
    assert existing.stored_records() == seeded_ledger.records


def test_generating_fewer_than_one_event_does_not_create_a_database(cli: LedgerCli) -> None:
    assert_refused(cli.in_process("generate", "--events", "0"), "--events must be 1 or more")
    assert stored_records(cli.database) is None
