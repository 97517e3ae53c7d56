"""``ledger verify`` catches someone who can write to the database and drops the guard.

Each test seeds a real ledger with the 2021 plan, verifies it once with the ``ledger``
command (a clean log, whose seal is kept), drops the append-only triggers by hand and
tampers with the stored rows;
``ledger verify`` must then exit 1 naming the first position that was tampered with,
and ``--against`` the seal printed before must catch a rewrite of the log and of the
whole seal chain together. Every test runs on SQLite and on PostgreSQL, each on a
fresh database (on SQLite a copy of the 2021 plan seeded once a worker). The command
is its ``main``, run in this process (``ledger_runs``); a few tests run it as a child
process too, in the slow tier.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.bootstrap import open_ledger
from projections.seal import Seal
from tests.conftest import on_sqlite_only, settings_for
from tests.integration.builders import unit
from tests.integration.ledger_runs import Command, Run, both_ways, seed_2021
from tests.integration.tamper_builders import RawLog, chain_of

HEX = "ab" * 32


@dataclass(frozen=True)
class Ledger:
    """A real ledger on ``url``, driven by the ``ledger`` command working in ``home``."""

    url: str
    home: Path
    log: RawLog
    command: Command

    def __call__(self, *args: str) -> Run:
        return self.command(self.url, self.home, *args)

    def verify(self, *args: str) -> Run:
        return self("verify", *args)

    def middle(self) -> int:
        positions = self.log.positions()
        return positions[len(positions) // 2]


@dataclass(frozen=True)
class Sealed:
    """A seeded ledger verified once; ``seal`` is what that clean verify printed."""

    ledger: Ledger
    seal: Seal

    @property
    def log(self) -> RawLog:
        return self.ledger.log

    def verify(self, *args: str) -> Run:
        return self.ledger.verify(*args)


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, seeded_2021: Path, ledger_command: Command) -> Ledger:
    """The 2021 plan seeded (as ``ledger seed changxing-2021`` does); never verified,
    never projected."""
    seed_2021(database_url, seeded_2021)
    ledger = Ledger(database_url, tmp_path, RawLog(database_url), ledger_command)
    assert len(ledger.log.positions()) > 100
    return ledger


@pytest.fixture
def sealed(seeded: Ledger) -> Sealed:
    """The seeded ledger after one clean ``ledger verify``."""
    run = seeded.verify().ok()
    positions = seeded.log.positions()
    assert run.seal.position == positions[-1]
    assert [p for p, _ in seeded.log.seals()] == positions
    return Sealed(seeded, run.seal)


def assert_failed(run: Run, position: int, problem: str) -> None:
    """``ledger verify`` exited 1, one line for each problem, in position order, the first
    naming ``position``, and one line at ``position`` naming ``problem``."""
    assert run.code == 1, f"exited {run.code}: out {run.out!r}, err {run.err!r}"
    assert run.out == ""
    lines = run.err.splitlines()
    assert lines and all(line.startswith(FAILED) for line in lines), run.err
    positions = [int(line[len(FAILED) :].split(":")[0]) for line in lines]
    assert positions == sorted(positions) and positions[0] == position, run.err
    assert any(line.startswith(f"{FAILED}{position}: {problem}") for line in lines), run.err


FAILED = "ledger: verify: FAILED at position "


# --- a clean log, and seals that cannot be read ---


@both_ways
def test_a_clean_log_verifies_and_matches_its_own_seal_also_after_it_grew(
    sealed: Sealed,
) -> None:
    log, seal = sealed.log, sealed.seal
    positions = log.positions()
    assert log.seals() == chain_of(log.rows())  # the projection chains as link() says

    again = sealed.verify().ok()
    assert again.err == ""
    assert again.out.startswith(f"ledger: verified {len(positions)} stored events")
    assert again.seal == seal

    matched = sealed.verify("--against", str(seal)).ok()
    assert matched.seal == seal
    assert f"matches the seal given at position {seal.position}" in matched.out

    sealed.ledger("generate", "--events", "40", "--seed", "3", "--quiet").ok()
    grown = sealed.verify("--against", str(seal)).ok()
    assert grown.seal.position == log.positions()[-1] > seal.position
    assert f"matches the seal given at position {seal.position}" in grown.out


MALFORMED = {
    "empty": "",
    "not a seal": "nonsense",
    "another version": f"ledger-seal:v1:100:{HEX}",
    "position not a number": f"ledger-seal:v2:one:{HEX}",
    "no position": f"ledger-seal:v2:{HEX}",
    "63 hex digits": f"ledger-seal:v2:100:{HEX[:-1]}",
    "65 hex digits": f"ledger-seal:v2:100:{HEX}0",
    "not hex": f"ledger-seal:v2:100:{'zz' * 32}",
}


@on_sqlite_only
def test_a_malformed_seal_is_refused_with_status_2_and_nothing_is_written(
    seeded: Ledger,
) -> None:
    rows = seeded.log.rows()
    answers = {why: seeded.verify("--against", text) for why, text in MALFORMED.items()}
    for why, run in answers.items():
        assert (run.code, run.out) == (2, ""), f"{why}: {run}"
        assert run.err.startswith("ledger: error: seal: "), f"{why}: {run.err}"
        assert len(run.err.splitlines()) == 1, f"{why}: {run.err}"
    assert seeded.log.seals() == []
    assert seeded.log.seal_status() is None
    assert seeded.log.rows() == rows


@on_sqlite_only
@pytest.mark.parametrize(
    "text",
    [f"ledger-seal:v2:0:{HEX}", f"ledger-seal:v2:-1:{HEX}", f"ledger-seal:v2:100:{HEX[:58]} ab ab"],
    ids=["position-0", "negative-position", "hash-with-spaces"],
)
def test_a_seal_naming_no_log_position_or_a_short_hash_is_refused_as_malformed(
    seeded: Ledger, text: str
) -> None:
    run = seeded.verify("--against", text)
    assert (run.code, run.out) == (2, ""), run.err
    assert run.err.startswith("ledger: error: seal: "), run.err


# --- an altered, removed, reordered or inserted row ---


@pytest.mark.parametrize("column", ["state", "topic", "item", "version"])
def test_an_altered_event_is_named_by_its_position_as_altered(sealed: Sealed, column: str) -> None:
    log = sealed.log
    position = sealed.ledger.middle()
    row = log.row(position)
    log.drop_guard()
    if column == "state":
        log.alter_state(position)
    elif column == "topic":
        other = next(r.topic for r in log.rows() if r.topic != row.topic)
        log.set_columns(position, topic=other)
    elif column == "item":
        log.set_columns(position, originator_id=uuid.uuid4())
    else:
        log.set_columns(position, originator_version=row.version + 1000)
    assert log.row(position) != row

    assert_failed(sealed.verify(), position, "altered")
    assert_failed(sealed.verify("--against", str(sealed.seal)), position, "altered")


@both_ways
def test_changing_one_byte_of_the_first_event_is_named_at_position_1(sealed: Sealed) -> None:
    first = sealed.log.positions()[0]
    assert first == 1
    sealed.log.drop_guard()
    sealed.log.alter_state(first)
    assert_failed(sealed.verify(), first, "altered")


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_deleted_event_is_named_by_its_position_as_removed(sealed: Sealed, where: str) -> None:
    log = sealed.log
    positions = log.positions()
    position = {"first": positions[0], "middle": sealed.ledger.middle(), "last": positions[-1]}[
        where
    ]
    log.drop_guard()
    log.delete(position)
    assert position not in log.positions()

    assert_failed(sealed.verify(), position, "removed")
    assert_failed(sealed.verify("--against", str(sealed.seal)), position, "removed")


@on_sqlite_only
def test_deleting_several_events_names_the_first_of_them(sealed: Sealed) -> None:
    positions = sealed.log.positions()
    doomed = [positions[40], positions[41], positions[90]]
    sealed.log.drop_guard()
    sealed.log.delete(*doomed)
    assert_failed(sealed.verify(), positions[40], "removed")


@on_sqlite_only
@pytest.mark.parametrize("distance", [1, 50], ids=["adjacent", "distant"])
def test_two_swapped_events_are_named_at_the_first_of_them(sealed: Sealed, distance: int) -> None:
    log = sealed.log
    positions = log.positions()
    first, second = positions[30], positions[30 + distance]
    before = {r.position: r for r in log.rows()}
    log.drop_guard()
    log.swap(first, second)
    after = {r.position: r for r in log.rows()}
    assert after[first].item == before[second].item
    assert after[second].item == before[first].item

    assert_failed(sealed.verify(), first, "altered")


def test_a_row_slipped_in_by_hand_is_named_as_not_signed_and_never_sealed(
    sealed: Sealed,
) -> None:
    log = sealed.log
    head = log.positions()[-1]
    like = log.row(1)
    log.insert(head + 10, like)  # appended with a gap before it: INSERT is not guarded
    assert_failed(sealed.verify(), head + 10, "not signed: the ledger did not write this row")
    assert [p for p, _ in log.seals()][-1] == head  # the seal stops before it

    log.insert(head + 5, like)
    run = sealed.verify("--against", str(sealed.seal))
    assert_failed(run, head + 5, "not signed")
    assert f"{FAILED}{head + 10}: not signed" in run.err


@on_sqlite_only
def test_a_deleted_event_replaced_by_other_content_at_its_position_is_named_as_altered(
    sealed: Sealed,
) -> None:
    log = sealed.log
    position = sealed.ledger.middle()
    log.drop_guard()
    log.delete(position)
    log.insert(position, log.row(1))
    assert_failed(sealed.verify(), position, "altered")


@on_sqlite_only
def test_a_row_slipped_in_before_the_first_sealed_position_is_named_as_inserted(
    sealed: Sealed,
) -> None:
    log = sealed.log
    slipped = log.insert(0, log.row(1))
    assert 0 in log.positions()
    ledger = open_ledger(settings_for(sealed.ledger.url))
    try:
        assert ledger.exists(slipped.item)  # the ledger reads it as an item's event
    finally:
        ledger.close()
    assert_failed(sealed.verify(), 0, "inserted")


def test_bytes_moved_between_an_events_topic_and_its_state_are_named_as_altered(
    seeded: Ledger,
) -> None:
    ledger = open_ledger(settings_for(seeded.url))
    try:
        item = unit(ledger, name="长兴岛|横沙")
    finally:
        ledger.close()
    sealed = Sealed(seeded, seeded.verify().ok().seal)
    log = sealed.log
    (row,) = [r for r in log.rows() if r.item == item]
    assert b"|" in row.state
    head, _, rest = row.state.partition(b"|")
    log.drop_guard()
    log.set_columns(row.position, topic=f"{row.topic}|{head.decode()}", state=rest)
    assert log.row(row.position) != row

    assert_failed(sealed.verify(), row.position, "altered")
    assert_failed(sealed.verify("--against", str(sealed.seal)), row.position, "altered")


# --- a rewrite of the log together with the whole seal chain ---


@pytest.mark.parametrize(
    "rewrite", ["chain-recomputed", "chain-sealed-again-by-verify", "log-cut-back-with-its-seals"]
)
def test_a_rewrite_of_the_log_and_the_whole_seal_chain_is_named_by_the_signatures_and_a_seal(
    sealed: Sealed, rewrite: str
) -> None:
    log, earlier = sealed.log, sealed.seal
    sealed.ledger("generate", "--events", "40", "--seed", "5", "--quiet").ok()
    grown = sealed.verify().ok().seal
    assert grown.position > earlier.position
    log.drop_guard()
    if rewrite == "log-cut-back-with-its-seals":
        keep = max(p for p in log.positions() if p < earlier.position - 2)
        log.delete(*[p for p in log.positions() if p > keep])
        log.delete_seals_after(keep)
        first, problem = keep + 1, "removed: the ledger signed a row here"
    else:
        sealed_before = [p for p in log.positions() if p < earlier.position]
        first = sealed_before[len(sealed_before) // 2]
        log.alter_state(first)
        if rewrite == "chain-recomputed":
            log.replace_seals(chain_of(log.rows()))
        else:
            log.restart_seal_projection()
        problem = "altered: not the row the ledger signed"
        assert log.seals() == chain_of(log.rows()) or rewrite == "chain-sealed-again-by-verify"

    assert_failed(sealed.verify(), first, problem)
    against = sealed.verify("--against", str(earlier))
    assert_failed(against, first, problem)
    assert f"{FAILED}{earlier.position}: " in against.err


@on_sqlite_only
def test_a_log_cut_back_with_its_seals_and_signatures_is_named_by_an_earlier_seal(
    sealed: Sealed,
) -> None:
    log, earlier = sealed.log, sealed.seal
    log.drop_guard()
    keep = max(p for p in log.transaction_ends() if p < earlier.position - 2)
    log.delete(*[p for p in log.positions() if p > keep])
    log.delete_seals_after(keep)
    log.delete_signatures_after(keep)

    plain = sealed.verify().ok()  # nothing left to tell the cut by, but a seal printed before
    assert plain.seal.position == keep
    assert_failed(
        sealed.verify("--against", str(earlier)),
        earlier.position,
        "removed: the seal given ends here",
    )
