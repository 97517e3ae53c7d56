"""The personal-data key: reading the configuration never writes a key file; in production a
missing key is one line and exit 2 (a fresh key would leave every sealed name unopenable)."""

from __future__ import annotations

import base64

from tests.e2e.conftest import LedgerCli

PRODUCTION = {"LEDGER_ENV": "production", "LEDGER_TEST_NOW": None}
"""Production, on the real clock (a moved clock is refused there)."""


def test_printing_the_schema_makes_no_key_file(cli: LedgerCli) -> None:
    cli("export-schema").ok()
    assert not (cli.home / "ledger.key").exists()


def test_outside_production_the_key_file_is_made_when_a_ledger_first_needs_it(
    cli: LedgerCli,
) -> None:
    cli("seed", "changxing-2021").ok()
    key = cli.home / "ledger.key"
    assert len(base64.b64decode(key.read_text(encoding="ascii").strip())) == 32
    assert key.stat().st_mode & 0o777 == 0o600


def test_in_production_a_missing_key_is_refused_and_no_file_is_written(cli: LedgerCli) -> None:
    run = cli.in_process("seed", "changxing-2021", **PRODUCTION)
    assert run.code == 2
    assert run.err.startswith("ledger: error: no personal-data key")
    assert len(run.err.strip().splitlines()) == 1
    assert not (cli.home / "ledger.key").exists()
    assert cli.stored_records() is None


def test_in_production_serving_without_a_key_is_refused_before_it_starts(cli: LedgerCli) -> None:
    run = cli("serve", "--port", "1", **PRODUCTION)
    assert run.code == 2
    assert "no personal-data key" in run.err
    assert not (cli.home / "ledger.key").exists()


def test_in_production_a_given_key_is_used(cli: LedgerCli) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    cli.in_process("seed", "changxing-2021", LEDGER_PERSONAL_DATA_KEY=key, **PRODUCTION).ok()
    assert not (cli.home / "ledger.key").exists()
