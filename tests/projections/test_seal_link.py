"""The chain's definition is part of every seal printed into a record: it must never
change without a new seal version, and seals of an earlier version must still verify."""

from __future__ import annotations

import uuid

from domain.log_rows import StoredRow
from projections.seal import GENESIS, Seal, link, link_v2, written_by_the_ledger

ROW = StoredRow(
    position=7,
    item="3f2a9c4e1b7d4e8a9c0f5d6e7a8b9c0d",  # as SQLite stores it
    version=2,
    topic="domain.task:Task.Accepted",
    state='{"a":"长兴"}'.encode(),
)


def test_a_known_row_links_to_the_value_seals_of_version_3_are_made_with() -> None:
    assert link(GENESIS, ROW).hex() == (
        "9873ff964e797cb5fed04b6dd9c9edf791eac74b09274ea813684a1c1abb8dc9"
    )


def test_a_known_row_still_links_to_the_value_seals_of_version_2_were_made_with() -> None:
    assert link_v2(GENESIS, ROW).hex() == (
        "b9f8eb9e47b6973f09438160958a0fa6578403cac365ea21cc51ad6d46835bff"
    )


def test_postgresqls_uuid_hashes_as_the_id_sqlite_stores() -> None:
    assert link(GENESIS, ROW._replace(item=uuid.UUID(str(ROW.item)))) == link(GENESIS, ROW)


def test_every_column_as_stored_goes_into_the_link_an_id_re_cased_or_dashed_too() -> None:
    changed = [
        link(bytes([1]) * 32, ROW),
        link(GENESIS, ROW._replace(position=8)),
        link(GENESIS, ROW._replace(item=str(ROW.item).replace("3f", "4f"))),
        link(GENESIS, ROW._replace(item=str(ROW.item).upper())),
        link(GENESIS, ROW._replace(item=str(uuid.UUID(str(ROW.item))))),
        link(GENESIS, ROW._replace(version=3)),
        link(GENESIS, ROW._replace(version="2")),
        link(GENESIS, ROW._replace(topic="domain.task:Task.Assigned")),
        link(GENESIS, ROW._replace(state=ROW.state + b" ")),
        link(GENESIS, ROW._replace(state=bytes(ROW.state).decode())),
        link(GENESIS, ROW._replace(topic=str(ROW.topic) + "|", state=bytes(ROW.state)[1:])),
    ]
    assert len({*changed, link(GENESIS, ROW)}) == len(changed) + 1


def test_format_2_could_not_see_a_re_cased_id_so_such_an_id_is_named_on_its_own() -> None:
    recased = ROW._replace(item=str(ROW.item).upper())
    assert link_v2(GENESIS, recased) == link_v2(GENESIS, ROW)
    assert written_by_the_ledger(ROW)
    assert written_by_the_ledger(ROW._replace(item=uuid.UUID(str(ROW.item))))
    assert not written_by_the_ledger(recased)
    assert not written_by_the_ledger(ROW._replace(item=str(uuid.UUID(str(ROW.item)))))


def test_seals_of_both_formats_are_read_and_printed_in_their_own_format() -> None:
    chain = "ab" * 32
    assert str(Seal.parse(f"ledger-seal:v2:5:{chain}")) == f"ledger-seal:v2:5:{chain}"
    assert Seal.parse(f"ledger-seal:v3:5:{chain}") == Seal(5, bytes.fromhex(chain), 3)
