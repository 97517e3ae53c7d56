"""``ledger generate`` writes realistic activity, deterministic by seed, that exports whole."""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.clock import today
from tests.e2e.conftest import LedgerCli, Run, once, without

EVENTS = "1500"
CHANNELS = {"good_bad_review", "hotline_12345", "fault_finding", "media", "three_teams"}
CHINA = timezone(timedelta(hours=8))


class Generated(NamedTuple):
    """Three ledgers: two generated with seed 7, one with seed 8, and their exports."""

    runs: list[Run]
    events: list[list[dict[str, Any]]]
    events_csv: Run
    complaints: list[dict[str, Any]]
    legacy_issues: list[dict[str, Any]]
    summary: Run
    days: tuple[str, str]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """Made once per run: three ``ledger generate`` processes side by side, the CSV export
    and the summary by the ``ledger`` process, the JSON exports in this one."""
    return once(tmp_path_factory, "generated", _generate)


def _generate(home: Path) -> Generated:
    first, again, other = (LedgerCli(home / name) for name in "abc")
    for cli in (first, again, other):
        cli.home.mkdir()
    day_before = today().isoformat()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(
                lambda job: job[0]("generate", "--events", EVENTS, "--seed", job[1], "--quiet"),
                [(first, "7"), (again, "7"), (other, "8")],
            )
        )
        for run in runs:
            run.ok()
        events_csv = pool.submit(first, "export", "events", "--format", "csv")
        summary = pool.submit(first, "summary")
        processes = (events_csv.result().ok(), summary.result().ok())
    # in this process once no thread is starting a process (it changes the environment)
    return Generated(
        runs=runs,
        events=[cli.export("events", in_process=True) for cli in (first, again, other)],
        events_csv=processes[0],
        complaints=first.export("complaints", in_process=True),
        legacy_issues=first.export("legacy-issues", in_process=True),
        summary=processes[1],
        days=(day_before, today().isoformat()),
    )


def kinds(events: list[dict[str, Any]]) -> set[str]:
    return {f"{e['item_type']} {e['type']}" for e in events}


def test_generate_says_how_many_events_it_wrote_and_draws_no_progress_bar_when_quiet(
    generated: Generated,
) -> None:
    for run in generated.runs:
        assert re.fullmatch(
            rf"ledger: generated {EVENTS} events in [\d.]+ s \([\d,]+ events/s\)\n", run.out
        )
        assert run.err == ""
    assert all(len(events) >= int(EVENTS) for events in generated.events)


def test_the_same_seed_gives_the_same_events_apart_from_when_they_were_recorded(
    generated: Generated,
) -> None:
    first, again, _ = generated.events
    assert len(first) == len(again)
    differences = [
        (row["position"], f"{row['item_type']} {row['type']}", key)
        for row, other in zip(first, again, strict=True)
        for key in row
        if key != "recorded_at" and row[key] != other[key]
    ]
    assert differences == []


def test_a_different_seed_gives_different_events(generated: Generated) -> None:
    first, _, other = generated.events
    # request ids are left out so that the difference is in what happened
    assert [without(e, "recorded_at", "request_id") for e in first] != [
        without(e, "recorded_at", "request_id") for e in other
    ]


def test_complaints_arrive_through_all_five_channels(generated: Generated) -> None:
    assert {c["channel"] for c in generated.complaints} == CHANNELS
    assert all(c["channel_label"] for c in generated.complaints)


def test_some_complaints_are_returned_and_some_are_reopened(generated: Generated) -> None:
    assert any(c["returns"] > 0 for c in generated.complaints)
    assert any(c["reopenings"] > 0 for c in generated.complaints)
    assert any(c["status"] == "closed" for c in generated.complaints)


def test_legacy_issues_are_generated_with_a_responsible_unit(generated: Generated) -> None:
    assert len(generated.legacy_issues) > 0
    assert all(issue["responsible_unit"] for issue in generated.legacy_issues)
    assert {issue["target_year"] for issue in generated.legacy_issues} <= {2021, 2022, 2025}


def test_the_ledger_records_oversight_as_well_as_complaints(generated: Generated) -> None:
    assert {
        "Interview Scheduled",
        "Referral Made",
        "Assessment Recorded",
        "Complaint Redispatched",
        "Complaint RewardGranted",
    } <= kinds(generated.events[0])


def test_the_events_export_as_csv_and_json_agree(generated: Generated) -> None:
    rows = list(csv.DictReader(io.StringIO(generated.events_csv.out)))
    events = generated.events[0]
    assert len(rows) == len(events)
    assert [int(r["position"]) for r in rows] == [e["position"] for e in events]
    assert [r["type"] for r in rows] == [e["type"] for e in events]


def test_the_summary_begins_with_the_number_of_events_in_the_ledger(
    generated: Generated,
) -> None:
    first_line = generated.summary.out.splitlines()[0]
    found = re.fullmatch(r"ledger: (\d+) events, as of (\d{4}-\d{2}-\d{2})", first_line)
    assert found, first_line
    assert found[2] in generated.days
    assert int(found[1]) == len(generated.events[0])
