"""A Disclosure names the purpose its reader stated and the read it was made in
(issue 12, item 8); those recorded before the read was kept still load."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import open_ledger
from domain.access import Disclosure
from domain.ledger import Ledger
from tests.conftest import settings_for
from tests.integration.builders import office


def test_a_disclosure_records_the_purpose_given_and_the_read_it_was_made_in(
    ledger: Ledger,
) -> None:
    item = uuid4()
    written = ledger.record_disclosure(
        office(),
        items=[item],
        fields=["complainant_name"],
        purpose="回访核实",
        read_in="an item's history",
    )

    found = ledger.get(Disclosure, written.item_id)

    assert (found.items, found.purpose, found.read_in) == ((item,), "回访核实", "an item's history")


def test_a_disclosure_recorded_before_the_read_was_kept_loads_naming_none(
    ledger: Ledger, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = Disclosure.record

    def as_before(*args: Any, **kwargs: Any) -> Disclosure:
        disclosure = record(*args, **kwargs)
        del vars(disclosure.pending_events[0])["read_in"]  # the field did not exist then
        return disclosure

    monkeypatch.setattr(Disclosure, "record", as_before)
    written = ledger.record_disclosure(
        office(), items=[uuid4()], fields=["complainant_phone"], purpose="an item's history"
    )
    monkeypatch.undo()

    found = open_ledger(settings_for(database_url)).get(Disclosure, written.item_id)

    assert (found.purpose, found.read_in) == ("an item's history", None)
