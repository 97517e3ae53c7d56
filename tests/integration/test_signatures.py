"""The ledger signs what it writes; ``ledger verify`` names every row it did not sign,
and every projection stops at such a row.

A real ledger seeded with the 2021 plan (on SQLite a copy of it seeded once a worker),
the ``ledger`` command (its ``main``, in this process: ``ledger_runs``; a few tests run
it as a child process too, in the slow tier), the database changed by hand as someone
with its password would. Every test runs on SQLite and PostgreSQL unless it says why
not.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.bootstrap import open_ledger
from api.cli.tokens import create_token, revoke
from api.keys.signing_key_files import write_new_key
from domain.access import Role
from domain.signature_table import COLUMNS
from domain.signing import transaction_content
from projections.catalog import PROJECTION_NAMES
from tests.conftest import TEST_SIGNING_KEY_FILE, on_sqlite_only, settings_for
from tests.integration.ledger_runs import Command, Run, both_ways, run_ledger, seed_2021
from tests.integration.tamper_builders import RawLog

FAILED = "ledger: verify: FAILED at position "


@dataclasses.dataclass(frozen=True)
class Seeded:
    url: str
    home: Path
    log: RawLog
    command: Command = run_ledger

    def __call__(self, *args: str, **env: str) -> Run:
        return self.command(self.url, self.home, *args, **env)


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, seeded_2021: Path, ledger_command: Command) -> Seeded:
    """A ledger seeded with the 2021 plan, its ``ledger`` working in ``tmp_path``."""
    seed_2021(database_url, seeded_2021)
    return Seeded(database_url, tmp_path, RawLog(database_url), ledger_command)


@pytest.fixture
def seeded_sqlite(sqlite_url: str, tmp_path: Path, seeded_2021: Path) -> Seeded:
    """The same on SQLite alone."""
    seed_2021(sqlite_url, seeded_2021)
    return Seeded(sqlite_url, tmp_path, RawLog(sqlite_url))


def failed_lines(run: Run) -> dict[int, list[str]]:
    assert run.code == 1, f"exited {run.code}: {run.out!r} {run.err!r}"
    found: dict[int, list[str]] = {}
    for line in run.err.splitlines():
        assert line.startswith(FAILED), run.err
        position, _, problem = line[len(FAILED) :].partition(": ")
        found.setdefault(int(position), []).append(problem)
    return found


def test_a_row_inserted_by_hand_is_named_by_verify_and_stops_every_projection(
    seeded: Seeded,
) -> None:
    log = seeded.log
    head = log.positions()[-1]
    slipped = log.insert(head + 1, log.row(head))

    named = failed_lines(seeded("verify"))
    assert list(named) == [slipped.position]
    assert any(
        p.startswith("not signed: the ledger did not write this row") for p in named[head + 1]
    )

    project = seeded("project", "--once")
    assert project.code == 1
    (line,) = project.err.splitlines()
    assert f"position {head + 1}" in line and "did not sign" in line, project.err
    status = seeded("projections")
    assert status.code == 1
    every = len(PROJECTION_NAMES)
    assert status.out.count(f"FAILED at position {head + 1}") == every, status.out


def test_rows_inserted_by_hand_are_each_named(seeded: Seeded) -> None:
    log = seeded.log
    head = log.positions()[-1]
    for offset in (3, 7, 8):
        log.insert(head + offset, log.row(1))
    named = failed_lines(seeded("verify"))
    assert sorted(
        p for p, problems in named.items() if any("not signed" in x for x in problems)
    ) == [
        head + 3,
        head + 7,
        head + 8,
    ]


@pytest.mark.parametrize("form", ["upper-cased", "dashed"])
def test_a_re_cased_or_dashed_id_of_a_tokens_revoked_row_is_named_by_verify_and_its_seal(
    sqlite_url: str, tmp_path: Path, form: str
) -> None:
    """SQLite only: PostgreSQL keeps an id as a uuid, which has one form."""
    app = open_ledger(settings_for(sqlite_url))
    try:
        issued = create_token(app, role=Role.OFFICE, unit=None, name="秘书", days=30)
        revoke(app, str(issued.token_id), reason="left the office")
    finally:
        app.close()
    seeded = Seeded(sqlite_url, tmp_path, RawLog(sqlite_url))
    earlier = seeded("verify").ok().seal
    log = seeded.log
    (revoked,) = [r for r in log.rows() if r.topic.endswith("AccessToken.Revoked")]
    log.drop_guard()
    hidden = revoked.item.hex.upper() if form == "upper-cased" else str(revoked.item)
    log.set_columns(revoked.position, originator_id=hidden)

    for run in (seeded("verify"), seeded("verify", "--against", str(earlier))):
        named = failed_lines(run)
        assert min(named) == revoked.position
        problems = named[revoked.position]
        assert any("is not as the ledger writes one" in p for p in problems), problems
        assert any(p.startswith("altered: not the row the ledger signed") for p in problems)


@both_ways
def test_rows_written_before_the_ledger_signed_are_covered_by_one_checkpoint_against_a_seal(
    seeded: Seeded,
) -> None:
    log = seeded.log
    printed = seeded("verify").ok().seal
    log.drop_guard()
    log.delete_signatures_after(0)  # a log written before the ledger signed
    named = failed_lines(seeded("verify"))
    assert all(any("not signed" in p for p in ps) for ps in named.values())
    assert log.checkpoints() == []  # verify signs nothing

    refused = seeded("signing", "start")
    assert refused.code == 2 and "--against SEAL" in refused.err, refused
    started = seeded("signing", "start", "--against", str(printed)).ok()
    assert f"positions 1 to {printed.position}" in started.out
    assert log.checkpoints() == [printed.position]
    run = seeded("verify").ok()
    assert f"{len(log.positions())} vouched for by the ledger's signatures" in run.out

    again = seeded("signing", "start", "--against", str(printed))
    assert again.code == 2 and "signing has started" in again.err, again


@on_sqlite_only
def test_wiping_the_signatures_of_a_forged_log_gets_no_checkpoint_from_any_command(
    seeded: Seeded,
) -> None:
    log = seeded.log
    seeded("verify").ok()
    log.drop_guard()
    forged = log.positions()[20]
    log.alter_state(forged)
    log.delete_signatures_after(0)
    log.restart_seal_projection()  # the chain recomputed over the forgery

    for command in (("verify",), ("projections",), ("project", "--once"), ("token", "list")):
        seeded(*command)
    assert log.checkpoints() == []
    named = failed_lines(seeded("verify"))
    problems = [p for ps in named.values() for p in ps]
    assert min(named) == 1 and all(p.startswith(("not signed", "not sealed")) for p in problems)
    assert len([p for p in problems if p.startswith("not signed")]) == len(log.positions())


@on_sqlite_only
def test_a_checkpoint_covers_the_rows_up_to_the_seal_given_and_no_further(
    seeded: Seeded,
) -> None:
    log = seeded.log
    printed = seeded("verify").ok().seal
    log.drop_guard()
    log.delete_signatures_after(0)
    slipped = log.insert(printed.position + 1, log.row(printed.position))

    seeded("signing", "start", "--against", str(printed)).ok()
    named = failed_lines(seeded("verify"))
    assert log.checkpoints() == [printed.position]
    assert list(named) == [slipped.position]
    assert any(p.startswith("not signed") for p in named[slipped.position])


@on_sqlite_only
def test_signing_does_not_start_on_a_log_that_does_not_match_the_seal_given(
    seeded: Seeded,
) -> None:
    log = seeded.log
    printed = seeded("verify").ok().seal
    log.drop_guard()
    log.delete_signatures_after(0)
    altered = log.positions()[20]
    log.alter_state(altered)
    log.restart_seal_projection()

    refused = seeded("signing", "start", "--against", str(printed))
    assert refused.code == 2, refused
    assert "does not verify" in refused.err and f"position {printed.position}" in refused.err
    assert log.checkpoints() == []


def test_a_signature_record_copied_with_other_content_vouches_for_nothing(
    seeded: Seeded,
) -> None:
    """A copy of a good record (same positions, key and signature) listing the digests of
    rows the attacker chose, inserted by hand: the triggers allow INSERT."""
    log = seeded.log
    seeded("verify").ok()
    head = log.positions()[-1]
    slipped = log.insert(head + 1, log.row(head))
    (last,) = log.run(
        f"SELECT {COLUMNS} FROM ledger_signatures ORDER BY last_position DESC LIMIT 1"
    )
    kind, first, end, key_id, signature, _, previous = last
    rows = [r.stored() for r in log.rows() if r.position >= first]
    log.run(
        f"INSERT INTO ledger_signatures ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, first, end, key_id, signature, transaction_content(rows), previous),
    )

    named = failed_lines(seeded("verify"))
    assert slipped.position in named
    assert any("not signed" in p for p in named[slipped.position]), named
    project = seeded("project", "--once")
    assert project.code == 1 and f"position {slipped.position}" in project.err, project


@on_sqlite_only
def test_a_whole_transaction_removed_with_its_signature_is_named(seeded: Seeded) -> None:
    log = seeded.log
    seeded("verify").ok()
    ends = log.transaction_ends()
    gone_first, gone_last = ends[30] + 1, ends[31]
    log.drop_guard()
    log.delete(*range(gone_first, gone_last + 1))
    log.run("DELETE FROM ledger_signatures WHERE first_position = ?", (gone_first,))
    log.restart_seal_projection()  # the chain recomputed without them

    named = failed_lines(seeded("verify"))
    after = ends[32] - (ends[32] - ends[31]) + 1  # the first row of the next transaction
    assert any("does not follow the one before it" in p for p in named.get(after, [])), named


def test_a_signature_record_of_the_wrong_types_is_named_and_stops_nothing_with_a_traceback(
    seeded: Seeded,
) -> None:
    log = seeded.log
    seeded("verify").ok()
    log.run(
        f"INSERT INTO ledger_signatures ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("transaction", 3, 3, "k", "junk", b"\x00", b"\x00" * 32),
    )
    run = seeded("verify")
    named = failed_lines(run)
    # SQLite keeps the text as it was typed in; PostgreSQL casts it to bytes: named either way
    assert any(p.startswith("signature record") for p in named.get(3, [])), named
    assert "Traceback" not in run.err
    assert "Traceback" not in seeded("project", "--once").err


@on_sqlite_only
def test_a_checkpoint_the_ledger_did_not_sign_is_named(seeded: Seeded) -> None:
    log = seeded.log
    seeded("verify").ok()
    log.run(
        f"INSERT INTO ledger_signatures ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("checkpoint", 1, 10**12, "k", b"\x00" * 64, b"\x00" * 32, b"\x00" * 32),
    )
    named = failed_lines(seeded("verify"))
    assert any("a checkpoint the ledger did not sign" in p for p in named.get(10**12, []))


def test_text_stored_as_bytes_that_are_not_utf8_is_named_at_its_position(
    seeded_sqlite: Seeded,
) -> None:
    """SQLite only: PostgreSQL refuses such text."""
    seeded = seeded_sqlite
    seeded("verify").ok()
    log = seeded.log
    log.drop_guard()
    log.run("UPDATE {table} SET topic = CAST(x'ff' AS TEXT) WHERE {pos} = 7")
    named = failed_lines(seeded("verify"))
    assert min(named) == 7 and any(p.startswith("altered") for p in named[7]), named


def test_a_row_slipped_in_before_the_first_position_stops_the_projections(
    seeded: Seeded,
) -> None:
    log = seeded.log
    log.insert(0, log.row(1))
    seeded("project", "--once")
    status = seeded("projections")
    assert status.code == 1 and "FAILED at position 0" in status.out, status.out


def suite_public_key(path: Path) -> Path:
    """The suite's public signing key, written to ``path`` as an operator would give it."""
    private = serialization.load_pem_private_key(TEST_SIGNING_KEY_FILE.read_bytes(), None)
    assert isinstance(private, Ed25519PrivateKey)
    path.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


@on_sqlite_only
def test_verify_needs_only_the_public_key_the_ledger_prints(seeded: Seeded) -> None:
    public = seeded.home / "ledger-public.pem"
    public.write_text(seeded("signing", "public-key").ok().out, encoding="ascii")
    assert public.read_bytes() == suite_public_key(seeded.home / "expected.pem").read_bytes()
    run = seeded(
        "verify",
        LEDGER_SIGNING_KEY_FILE=str(seeded.home / "none.pem"),
        LEDGER_SIGNING_PUBLIC_KEYS=str(public),
        LEDGER_ENV="production",
    ).ok()
    assert "vouched for by the ledger's signatures" in run.out
    assert not (seeded.home / "none.pem").exists()

    writes = seeded(
        "token",
        "demo",
        LEDGER_SIGNING_KEY_FILE=str(seeded.home / "none.pem"),
        LEDGER_SIGNING_PUBLIC_KEYS=str(public),
        LEDGER_ENV="production",
    )
    assert writes.code == 2 and len(writes.err.splitlines()) == 1, writes
    assert "signing key" in writes.err


@on_sqlite_only
@both_ways
def test_in_production_no_signing_key_is_one_line_and_exit_2_and_nothing_is_written(
    seeded: Seeded,
) -> None:
    before = seeded.log.positions()
    missing = seeded.home / "missing.pem"
    run = seeded("token", "demo", LEDGER_SIGNING_KEY_FILE=str(missing), LEDGER_ENV="production")
    assert run.code == 2, run
    assert run.out == "" and len(run.err.splitlines()) == 1, run.err
    assert "no signing key" in run.err and str(missing) in run.err
    assert not missing.exists()
    assert seeded.log.positions() == before


@on_sqlite_only
def test_after_a_key_rotation_earlier_rows_verify_with_the_earlier_public_key_given(
    seeded: Seeded,
) -> None:
    new_key = seeded.home / "new-signing.pem"
    write_new_key(new_key)
    seeded("token", "demo", LEDGER_SIGNING_KEY_FILE=str(new_key)).ok()

    unknown = failed_lines(seeded("verify", LEDGER_SIGNING_KEY_FILE=str(new_key)))
    problems = [p for ps in unknown.values() for p in ps]
    assert all("not among the keys given" in p or p.startswith("not sealed") for p in problems)
    assert min(unknown) == 1  # the seal stopped there too

    earlier = suite_public_key(seeded.home / "earlier-public.pem")
    seeded(
        "verify", LEDGER_SIGNING_KEY_FILE=str(new_key), LEDGER_SIGNING_PUBLIC_KEYS=str(earlier)
    ).ok()


def test_a_chain_of_format_2_is_verified_before_it_is_sealed_again_and_its_seals_still_verify(
    seeded: Seeded,
) -> None:
    log = seeded.log
    seeded("verify").ok()
    v2_seal = log.make_chain_format_2()

    run = seeded("verify", "--against", v2_seal).ok()
    assert "ledger-seal:v3:" in run.out
    assert log.seal_version() == 3


def test_a_chain_of_format_2_that_does_not_verify_is_kept_and_the_seal_stops_there(
    seeded_sqlite: Seeded,
) -> None:
    """SQLite: an id re-cased, which format 2 could not see."""
    seeded = seeded_sqlite
    log = seeded.log
    seeded("verify").ok()
    log.make_chain_format_2()
    recased = log.rows()[30]
    log.drop_guard()
    log.set_columns(recased.position, originator_id=recased.item.hex.upper())
    kept = log.seals()

    named = failed_lines(seeded("verify"))
    assert min(named) == recased.position
    assert log.seal_version() == 2 and log.seals() == kept
    status = seeded("projections")
    assert status.code == 1 and "earlier seal chain broken" in status.out, status.out
