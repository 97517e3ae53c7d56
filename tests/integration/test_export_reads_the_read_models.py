"""``ledger export`` (tasks, complaints, legacy issues) and ``ledger summary`` read the read
models, brought up to date first: what was appended since the projections last ran is in
them; the summary reads no event of the log, and an export reads only the events of the
kind of item it exports, never the whole log; read models stopped on a failure are not
read: the command says so in one line, and writes nothing."""

from __future__ import annotations

import base64
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.persistence import Mapper, StoredEvent

from api.bootstrap import open_ledger
from api.cli.export import exporter_for
from api.cli.generate import generate
from api.cli.inventory import ledger_events
from api.cli.main import main
from api.cli.read_models import AUDIT, ITEM_PROJECTIONS, ReadModelsStopped, up_to_date
from api.cli.summary import ledger_summary
from tests.clock import SETTING, child_environ, today
from tests.conftest import TEST_KEY, settings_for
from tests.integration.builders import office, task_in_progress, unit
from tests.projections.test_undecodable_rows import slip_in, some_activity


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many events of each item type are decoded from the log from now on."""
    seen: Counter[str] = Counter()
    to_domain_event = Mapper.to_domain_event

    def counting(self: Mapper, stored: StoredEvent) -> object:
        seen[stored.topic.partition(":")[2].partition(".")[0]] += 1
        return to_domain_event(self, stored)

    monkeypatch.setattr(Mapper, "to_domain_event", counting)
    yield seen


def exported(url: str, what: str) -> list[dict[str, object]]:
    with exporter_for(settings_for(url), what, today()) as exporter:
        return list(exporter.rows(what))


@pytest.mark.slow
def test_an_export_decodes_the_events_of_its_own_kind_of_item_and_the_summary_none(
    database_url: str, decoded: Counter[str]
) -> None:
    settings = settings_for(database_url)
    ledger = open_ledger(settings)
    generate(ledger, events=3000, seed=3, progress=False)
    in_the_log = Counter(
        type(event).__qualname__.split(".")[0] for _, event in ledger_events(ledger)
    )
    ledger.close()
    with up_to_date(settings, (*ITEM_PROJECTIONS, AUDIT)):
        pass  # as `ledger project` or a running service leaves them

    for what, item_type in [
        ("tasks", "Task"),
        ("complaints", "Complaint"),
        ("legacy-issues", "LegacyIssue"),
    ]:
        decoded.clear()
        assert len(exported(database_url, what)) > 10
        assert decoded == Counter({item_type: in_the_log[item_type]}), what
    decoded.clear()
    lines = ledger_summary(settings, today())
    assert lines[0] == f"ledger: {in_the_log.total()} events, as of {today()}"
    assert decoded == Counter()


def test_what_was_written_since_the_projections_last_ran_is_exported_and_summed_up(
    database_url: str,
) -> None:
    settings = settings_for(database_url)
    ledger = open_ledger(settings)
    lead = unit(ledger)
    first = task_in_progress(ledger, lead)
    assert [row["id"] for row in exported(database_url, "tasks")] == [str(first)]

    second = task_in_progress(ledger, lead)  # the projections have not run since
    ledger.urge_task(office(), first, reason="进度滞后")
    ledger.close()

    rows = exported(database_url, "tasks")
    assert [(row["id"], row["urge_count"]) for row in rows] == [(str(first), 1), (str(second), 0)]
    assert ledger_summary(settings, today())[1].startswith("督办事项 tasks: 2  ")


@pytest.fixture
def command_line(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """The ``ledger`` command run in this process on ``sqlite_url``, as the suite runs it."""
    for name, value in child_environ().items():
        if name.startswith("LEDGER_") or name == SETTING:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("LEDGER_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LEDGER_PERSONAL_DATA_KEY", base64.b64encode(TEST_KEY).decode())
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main sets its own
    return sqlite_url


def test_read_models_stopped_on_a_failure_are_not_exported_nor_summed_up_but_named_in_one_line(
    command_line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = open_ledger(settings_for(command_line))
    some_activity(ledger)
    ledger.close()
    bad = slip_in(command_line, "topic")
    output = tmp_path / "tasks.json"

    for args in (["export", "tasks"], ["export", "tasks", "--output", str(output)], ["summary"]):
        assert main(args) == 2, args
        said = capsys.readouterr()
        assert said.out == ""
        (line,) = said.err.splitlines()
        assert line.startswith("ledger: error: the read models are stopped (")
        assert f"stopped at position {bad}" in line
    assert not output.exists()
    with (
        pytest.raises(ReadModelsStopped),
        exporter_for(settings_for(command_line), "tasks", today()),
    ):
        pass
