"""Complainants' personal data through ``ledger generate`` and ``ledger export``, and an export
whose reader stops reading.

Found by probing: ``ledger generate`` built its complaints past the ledger's commands and
recorded the made-up names and phones in clear, and ``ledger export events`` printed them
(in clear whatever the ledger held). Generated personal data is sealed as the ledger seals it;
the export shows it masked, as the API does for a read that states no purpose. And
``ledger export events | head`` printed "database error: [Errno 32] Broken pipe" and exited 2:
a closed standard output ends the export quietly, as it ends Unix tools.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from api.bootstrap import open_ledger
from api.cli.inventory import ledger_events
from api.keys.personal_data_cipher import PREFIX, AesSealer
from api.permissions import mask_name, mask_phone
from domain.channels import Channel
from domain.complaint import Complaint
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.personal import Unsealed
from domain.unit import UnitKind
from tests.conftest import TEST_KEY, _fresh_schema, settings_for
from tests.e2e.conftest import TIMEOUT_SECONDS, LedgerCli, once

KEY = {"LEDGER_PERSONAL_DATA_KEY": base64.b64encode(TEST_KEY).decode()}
"""The CLI runs here seal with the tests' key, so the test can open what they wrote."""
SIGPIPE_STATUS = 128 + signal.SIGPIPE


class Received(NamedTuple):
    position: int
    name: str  # as recorded
    phone: str


def received_complaints(url: str) -> list[Received]:
    """The personal data of every complaint received in the ledger at ``url``, as stored."""
    ledger = open_ledger(settings_for(url), create=False)
    try:
        return [
            Received(position, event.complainant_name, event.complainant_phone)
            for position, event in ledger_events(ledger)
            if isinstance(event, Complaint.Received)
        ]
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> LedgerCli:
    """A ledger ``ledger generate`` wrote (once per run; only read)."""

    def generate(home: Path) -> LedgerCli:
        cli = LedgerCli(home, **KEY)
        cli("generate", "--events", "1500", "--seed", "7", "--quiet").ok()
        return cli

    return once(tmp_path_factory, "generated-sealed", generate)


def test_generate_records_complainants_names_and_phones_sealed_as_the_ledger_seals_them(
    generated: LedgerCli,
) -> None:
    received = received_complaints(generated.settings["LEDGER_DATABASE_URL"])
    sealer = AesSealer(TEST_KEY)

    assert len(received) > 10
    for complaint in received:
        assert complaint.name.startswith(PREFIX), complaint
        assert complaint.phone.startswith(PREFIX), complaint
        assert re.fullmatch(r"\w先生", sealer.open(complaint.name))
        assert re.fullmatch(r"13\d{9}", sealer.open(complaint.phone))
    stored = _stored_bytes(generated.database)
    assert "先生".encode() not in stored
    assert b"\\u5148\\u751f" not in stored  # nor escaped in JSON
    assert not any(sealer.open(c.phone).encode() in stored for c in received)


def test_export_events_shows_complainants_masked_never_in_clear(generated: LedgerCli) -> None:
    sealer = AesSealer(TEST_KEY)
    clear = {
        c.position: (sealer.open(c.name), sealer.open(c.phone))
        for c in received_complaints(generated.settings["LEDGER_DATABASE_URL"])
    }
    as_json = generated("export", "events", "--format", "json").ok().out
    as_csv = generated.in_process("export", "events", "--format", "csv").ok().out

    shown = {
        row["position"]: (row["data"]["complainant_name"], row["data"]["complainant_phone"])
        for row in json.loads(as_json)
        if row["item_type"] == "Complaint" and row["type"] == "Received"
    }
    assert shown == {
        position: (mask_name(name), mask_phone(phone)) for position, (name, phone) in clear.items()
    }
    for row in csv.DictReader(io.StringIO(as_csv)):
        if row["item_type"] == "Complaint" and row["type"] == "Received":
            data = json.loads(row["data"])
            name, phone = shown[int(row["position"])]
            assert (data["complainant_name"], data["complainant_phone"]) == (name, phone)
    for name, phone in clear.values():
        assert name not in as_json and name not in as_csv
        assert phone not in as_json and phone not in as_csv
    assert PREFIX not in as_json and PREFIX not in as_csv


def test_export_events_masks_personal_data_a_ledger_recorded_in_clear(tmp_path: Path) -> None:
    """A ledger written before its personal data was sealed (as ``ledger generate`` wrote
    them): the export shows that data masked all the same."""
    cli = LedgerCli(tmp_path, **KEY)
    url = cli.settings["LEDGER_DATABASE_URL"]
    ledger = open_ledger(settings_for(url))
    try:
        office = CommandContext(Actor("office-test", Role.OFFICE))
        unit = ledger.register_unit(office, name="区住建局", kind=UnitKind.DEPARTMENT).item_id
        ledger.sealer = Unsealed()  # recorded in clear, as before sealing
        ledger.receive_complaint(
            office,
            channel=Channel.HOTLINE_12345,
            summary="the permit office kept the papers for a month",
            first_responder=unit,
            complainant_name="张三丰",
            complainant_phone="13812341234",
        )
    finally:
        ledger.close()

    out = cli.in_process("export", "events").ok().out

    (received,) = [row for row in json.loads(out) if row["type"] == "Received"]
    assert received["data"]["complainant_name"] == "张**"
    assert received["data"]["complainant_phone"] == "138****1234"
    assert "张三丰" not in out and "13812341234" not in out


def test_export_events_shows_data_sealed_under_another_key_as_the_api_does(
    generated: LedgerCli,
) -> None:
    other_key = {"LEDGER_PERSONAL_DATA_KEY": base64.b64encode(bytes(32)).decode()}

    rows = json.loads(generated.in_process("export", "events", **other_key).ok().out)

    received = [
        r["data"] for r in rows if r["type"] == "Received" and r["item_type"] == "Complaint"
    ]
    assert received
    assert {(r["complainant_name"], r["complainant_phone"]) for r in received} == {
        ("[cannot be opened with this service's key]",) * 2
    }


# --- an export whose reader stops reading ---------------------------------------------------


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def exported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LedgerCli]:
    """A ledger with far more to export than a pipe holds, on SQLite (the generated one) and
    on PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("generated")
        return
    home = tmp_path_factory.mktemp("exported")
    schemas = _fresh_schema()
    cli = LedgerCli(home, LEDGER_DATABASE_URL=next(schemas), **KEY)
    cli("generate", "--events", "1500", "--seed", "8", "--quiet").ok()
    yield cli
    next(schemas, None)  # drops the schema


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_an_export_whose_reader_stops_reading_ends_quietly_as_unix_tools_do(
    exported: LedgerCli, output_format: str
) -> None:
    first, errors, code = _read_then_close(exported, "export", "events", "--format", output_format)
    assert first
    assert errors == ""
    assert code == SIGPIPE_STATUS


def _read_then_close(cli: LedgerCli, *args: str) -> tuple[bytes, str, int]:
    """What ``ledger ARGS | head -c 20`` sees: the first bytes, then the pipe closed; and
    what the command said and how it ended (an output larger than the pipe's buffer, so
    the command is still writing when the reader goes)."""
    with subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        cwd=cli.home,
        env=cli.environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as command:
        assert command.stdout is not None and command.stderr is not None
        first = command.stdout.read(20)
        command.stdout.close()
        try:
            errors = command.stderr.read().decode()
            code = command.wait(timeout=TIMEOUT_SECONDS)
        finally:
            command.kill()
    return first, errors, code


def test_an_export_to_a_file_that_cannot_be_written_says_so(generated: LedgerCli) -> None:
    run = generated.in_process(
        "export", "events", "--output", str(generated.home / "missing" / "out.json")
    )

    assert run.code == 2
    assert run.err.startswith("ledger: error: export: cannot write ")
    assert "database" not in run.err


def _stored_bytes(database: Path) -> bytes:
    """Every event's stored state in the SQLite file, as it lies there."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return b"".join(bytes(state) for (state,) in db.execute("SELECT state FROM stored_events"))
