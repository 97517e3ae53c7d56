"""``ledger demo`` and ``ledger token demo --links``, as ``make run`` runs them: the demo goes
into an empty ledger once, never into one with records, never in production; the tokens come
with a link opening the big screen as the demo viewer.

The first demo is recorded by the ``ledger`` process; the rest run on the same ``main`` in
the test's process (``LedgerCli.in_process``)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from domain.access import token_hash, token_id_for
from tests.conftest import TEST_KEY_SETTING
from tests.e2e.conftest import LedgerCli, Run, copy_database

RECORDED = re.compile(
    r"ledger: demo recorded: changxing-2021 seeded \(65 written\), then (\d+) made-up events "
    r"from (\S+) to (\S+) \(seed 2026; actor demo-generator, request ids demo:2026:(\S+):N, "
    r"imported\)\n"
    r"ledger: demo published the (\d{4}-Q[1-4]) scores of (\d+) units \(formula 2021\.1\)\n"
)


def refused(run: Run, message: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr naming the refusal."""
    assert run.code == 2 and run.out == "", run
    assert run.err.startswith("ledger: error: ") and run.err.count("\n") == 1, run.err
    assert message in run.err


def test_the_demo_goes_into_an_empty_ledger_once_and_then_writes_nothing(cli: LedgerCli) -> None:
    first = cli("demo", "--if-empty").ok()
    recorded = RECORDED.fullmatch(first.out)
    assert recorded is not None, first.out
    generated, first_day, last_day, today, quarter, units = recorded.groups()
    assert date.fromisoformat(today) - date.fromisoformat(first_day) == timedelta(days=90)
    # the last quarter ended before today, its units scored (some had nothing to measure)
    day = date.fromisoformat(today)
    ended = (day.year, (day.month - 1) // 3) if day.month > 3 else (day.year - 1, 4)
    assert quarter == "{}-Q{}".format(*ended) and 0 < int(units) <= 10
    assert date.fromisoformat(today) - date.fromisoformat(last_day) == timedelta(days=1)
    written = cli.stored_records()
    assert written is not None and written >= 65 + int(generated)

    again = cli.in_process("demo", "--if-empty").ok()
    assert again.out == "ledger: not empty; demo not recorded\n"
    refused(cli.in_process("demo"), "the ledger already holds records")
    assert cli.stored_records() == written


def test_a_ledger_holding_a_plan_takes_no_demo(tmp_path: Path, seeded_2021: Path) -> None:
    copy_database(seeded_2021, tmp_path)
    cli = LedgerCli(tmp_path)
    before = cli.stored_records()
    assert cli.in_process("demo", "--if-empty").ok().out == "ledger: not empty; demo not recorded\n"
    refused(cli.in_process("demo"), "recorded only into an empty ledger")
    assert cli.stored_records() == before


def test_in_production_the_demo_is_refused_and_nothing_is_written(cli: LedgerCli) -> None:
    run = cli.in_process(
        "demo", "--if-empty", LEDGER_ENV="production", LEDGER_TEST_NOW=None, **TEST_KEY_SETTING
    )
    refused(run, "demo: refused with LEDGER_ENV=production")
    assert cli.stored_records() is None


def test_a_stretch_out_of_60_to_365_days_is_refused_and_nothing_is_written(
    cli: LedgerCli,
) -> None:
    refused(cli.in_process("demo", "--days", "30"), "--days must be from 60 to 365")
    assert cli.stored_records() is None


def test_the_tokens_come_with_a_link_opening_the_big_screen_as_the_demo_viewer(
    cli: LedgerCli,
) -> None:
    run = cli.in_process("token", "demo", "--links", "http://127.0.0.1:8000").ok()
    bearer = dict(re.findall(r"^  (\w+) +Authorization: Bearer (sl_\S+)$", run.out, re.M))
    assert set(bearer) == {"office", "inspector", "leader", "viewer"}  # no unit yet: no unit's
    links = dict(re.findall(r"^  (\w+) +(http\S+)$", run.out, re.M))
    assert links == {
        "screen": f"http://127.0.0.1:8000/screen#token={bearer['viewer']}",
        "pages": "http://127.0.0.1:8000/",
    }
    listed = cli.in_process("token", "list").ok().out
    viewer = token_id_for(token_hash(bearer["viewer"]))
    assert re.search(rf"^{viewer}  viewer +active ", listed, re.M), listed


def test_a_link_base_that_is_not_http_is_refused_and_nothing_is_written(cli: LedgerCli) -> None:
    refused(cli.in_process("token", "demo", "--links", "127.0.0.1:8000"), "--links must be")
    assert cli.stored_records() is None
