"""The chain's definition is part of every seal printed into a record: it must never
change without a new seal version."""

from __future__ import annotations

from projections.seal import GENESIS, link
from projections.stored_rows import StoredRow

ROW = StoredRow(
    position=7,
    item="3f2a9c4e-1b7d-4e8a-9c0f-5d6e7a8b9c0d",
    version=2,
    topic="domain.task:Task.Accepted",
    state='{"a":"长兴"}'.encode(),
)


def test_a_known_row_links_to_the_value_seals_of_version_2_were_made_with() -> None:
    assert link(GENESIS, ROW).hex() == (
        "b9f8eb9e47b6973f09438160958a0fa6578403cac365ea21cc51ad6d46835bff"
    )


def test_every_field_of_the_row_and_the_previous_value_go_into_the_link() -> None:
    changed = [
        link(bytes([1]) * 32, ROW),
        link(GENESIS, ROW._replace(position=8)),
        link(GENESIS, ROW._replace(item=ROW.item.replace("3f", "4f"))),
        link(GENESIS, ROW._replace(version=3)),
        link(GENESIS, ROW._replace(topic="domain.task:Task.Assigned")),
        link(GENESIS, ROW._replace(state=ROW.state + b" ")),
    ]
    assert len({*changed, link(GENESIS, ROW)}) == len(changed) + 1
