"""``ledgerEvents`` opened for a purpose records one Disclosure to a batch of events, not one to
each: a page of the replay (500 events), or a burst of the live feed, each event sent only
once the Disclosure naming it is in the log; none for a read without a purpose or by a unit's
staff; and when the Disclosure cannot be recorded, nothing of its batch is sent."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest

from api.graphql.disclosure_batches import PAGE
from api.graphql.events import Event, from_notification
from domain.channels import Channel
from domain.ledger_base import CommandContext
from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    LEDGER_EVENTS,
    OFFICE,
    bare,
    events_of,
    eventually,
    feed_subscribers,
    head,
    register_unit,
    ws,
)
from tests.api.ws_client import GraphQLWS

NAME, PHONE = "张三丰", "13812341234"
PURPOSE = "回访核实"
FIELDS = ["complainant_name", "complainant_phone"]


def receive_complaints(live: LiveServer, unit: str, count: int) -> list[str]:
    """``count`` complaints naming their complainant, written straight to the server's ledger
    (a mutation each over HTTP would take the test long): their bare ids."""
    ledger = live.services.ledger
    return [
        str(
            ledger.receive_complaint(
                CommandContext(OFFICE),
                channel=Channel.HOTLINE_12345,
                summary="报装超时",
                first_responder=UUID(bare(unit)),
                complainant_name=NAME,
                complainant_phone=PHONE,
            ).item_id
        )
        for _ in range(count)
    ]


def disclosures(live: LiveServer, after: int) -> list[Event]:
    """The Disclosures in the log after ``after``, as the live feed sends them."""
    notifications = live.services.ledger.recorder.select_notifications(
        start=after + 1, limit=1_000_000
    )
    found = (from_notification(n, 24) for n in notifications)
    return [e for e in found if e is not None and e.item_type == "Disclosure"]


class Covered:
    """The items the Disclosures in the log name, read again when an item is not among them."""

    def __init__(self, live: LiveServer, after: int) -> None:
        self.live, self.after = live, after
        self.items: set[str] = set()

    def __contains__(self, item: str) -> bool:
        if item not in self.items:
            for disclosure in disclosures(self.live, self.after):
                self.items.update(disclosure.data["items"])
        return item in self.items


def received_each_once_disclosed(
    live: LiveServer, client: GraphQLWS, op: str, complaints: list[str], after: int
) -> list[dict[str, Any]]:
    """The complaints' events, received one at a time, each in clear and, when it arrives,
    named by a Disclosure already in the log."""
    covered = Covered(live, after)
    received = []
    for complaint in complaints:
        (event,) = events_of(client, op, 1)
        assert event["itemId"] == complaint
        assert (event["data"]["complainant_name"], event["data"]["complainant_phone"]) == (
            NAME,
            PHONE,
        )
        assert complaint in covered, f"{complaint} was sent before its Disclosure was recorded"
        received.append(event)
    return received


@contextmanager
def feed_held(live: LiveServer) -> Iterator[None]:
    """The server's live feed reads nothing of the log meanwhile (white box: it reads under
    this lock), so what is written meanwhile reaches its subscribers as one burst."""
    with live.services.tail._reading:
        yield


@pytest.mark.slow
def test_a_replay_opened_for_a_purpose_records_one_disclosure_a_page_naming_its_complaints(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    start = head(live)
    complaints = receive_complaints(live, unit, PAGE + 150)

    with ws(live) as client:
        op = client.subscribe(LEDGER_EVENTS, {"after": start, "purpose": PURPOSE})
        received_each_once_disclosed(live, client, op, complaints, start)
        recorded = disclosures(live, start)
        assert [(e["itemType"], e["type"]) for e in events_of(client, op, len(recorded))] == [
            ("Disclosure", "Recorded")
        ] * len(recorded)

    assert len(recorded) == math.ceil(len(complaints) / PAGE) == 2
    assert [d.data["items"] for d in recorded] == [
        sorted(complaints[:PAGE]),
        sorted(complaints[PAGE:]),
    ]
    for disclosure in recorded:
        assert sorted(disclosure.data["fields"]) == FIELDS
        assert disclosure.data["purpose"] == PURPOSE
        assert disclosure.data["read_in"].startswith("the live feed")
        assert disclosure.actor.id.startswith("office-zhang#")


def test_a_live_burst_is_disclosed_once_and_not_for_a_read_without_a_purpose_or_a_units_staff(
    live: LiveServer,
) -> None:
    unit = register_unit(live)["itemId"]
    staff = f"unit:wang:{bare(unit)}"
    live.token(staff)
    start = head(live)
    with ws(live) as office, ws(live) as masked_office, ws(live, staff) as unit_ws:
        clear = office.subscribe(LEDGER_EVENTS, {"after": start, "purpose": PURPOSE})
        masked = masked_office.subscribe(LEDGER_EVENTS, {"after": start})
        own = unit_ws.subscribe(LEDGER_EVENTS, {"after": start, "purpose": PURPOSE})
        eventually(lambda: feed_subscribers(live) == 3, "the three join the live feed")
        with feed_held(live):
            burst = receive_complaints(live, unit, 4)

        received_each_once_disclosed(live, office, clear, burst, start)
        (disclosure,) = disclosures(live, start)
        assert disclosure.data["items"] == sorted(burst)
        assert sorted(disclosure.data["fields"]) == FIELDS
        (sent,) = events_of(office, clear, 1)
        assert (sent["itemType"], sent["position"]) == ("Disclosure", disclosure.position)

        for client, op in ((masked_office, masked), (unit_ws, own)):
            shown = events_of(client, op, len(burst))
            assert [e["itemId"] for e in shown] == burst
            assert {e["data"]["complainant_name"] for e in shown} == {"张**"}
        (seen,) = events_of(masked_office, masked, 1)  # the office sees the other's Disclosure
        assert seen["position"] == disclosure.position
    assert len(disclosures(live, start)) == 1


def test_when_its_disclosure_cannot_be_recorded_nothing_of_the_batch_is_sent(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = register_unit(live)["itemId"]
    start = head(live)
    receive_complaints(live, unit, 2)

    def refused(*_: Any, **__: Any) -> None:
        raise OSError("the database went away")

    monkeypatch.setattr(live.services.ledger, "record_disclosure", refused)
    with ws(live) as client:
        op = client.subscribe(LEDGER_EVENTS, {"after": start, "purpose": PURPOSE})
        ending = client.message(op)
        assert ending["type"] == "next" and ending["payload"]["data"] is None, ending
        (error,) = ending["payload"]["errors"]
        assert "subscribe again" in error["message"]
        assert client.message(op)["type"] == "complete"
    assert disclosures(live, start) == []
