"""Personal data only with a purpose (issue 12, item 8): every read that can show
complainants' names and phones (``history``, ``events``, ``ledgerEvents``) shows them in
clear only when it states a ``purpose``, and only to the roles that may read them; the
Disclosure it records carries that purpose and the read it was made in. Without one they
are masked for every role, office and inspectors included, and nothing is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import caught_up, last, mutate
from tests.api.subscription_helpers import ws as subscriber

NAME, PHONE = "张三丰", "13812341234"
MASKED = ("张**", "138****1234")
READERS = {
    "office": OFFICE,
    "inspector": "inspector:zhao",
    "leader": "leader:chen",
}

HISTORY = """query($id: ID!, $purpose: String) { history(itemId: $id, purpose: $purpose) {
  state events { data } } }"""
EVENTS = """query($id: ID!, $purpose: String) {
  events(first: 100, filter: {itemId: $id}, purpose: $purpose) { nodes { data } } }"""
LIVE = """subscription($id: ID!, $purpose: String) {
  ledgerEvents(after: 0, filter: {itemId: $id}, purpose: $purpose) { data } }"""
DISCLOSURES = """{ events(first: 100, filter: {itemType: "Disclosure"}) {
  nodes { actor { id } data } } }"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    name = "live" if request.param == "sqlite" else "live_postgres"
    found: LiveServer = request.getfixturevalue(name)
    return found


def complaint_with_a_complainant(live: LiveServer) -> str:
    """A complaint naming a complainant, every reader's token issued, the read models
    caught up: its global id."""
    unit = mutate(live, "registerUnit", {"name": "区住建局", "kind": "DEPARTMENT"})["itemId"]
    received = mutate(
        live,
        "receiveComplaint",
        {
            "channel": "HOTLINE_12345",
            "summary": "报装超时",
            "firstResponder": unit,
            "complainantName": NAME,
            "complainantPhone": PHONE,
        },
    )
    assert received["__typename"] == "MutationSuccess", received
    for actor in READERS.values():
        live.token(actor)
    caught_up(live)
    complaint: str = received["itemId"]
    return complaint


def read(live: LiveServer, via: str, actor: str, complaint: str, **given: Any) -> set[tuple]:
    """The (name, phone) pairs ``via`` shows ``actor`` of the complaint (its state and its
    event, for ``history``)."""
    variables = {"id": complaint, **given}
    if via == "ledgerEvents":
        with subscriber(live, actor) as ws:
            records = [ws.next(ws.subscribe(LIVE, variables))["ledgerEvents"]["data"]]
    else:
        data = live.gql(HISTORY if via == "history" else EVENTS, variables, actor=actor)
        if via == "history":
            found = data["history"]
            records = [found["state"], *(e["data"] for e in found["events"])]
        else:
            records = [e["data"] for e in data["events"]["nodes"]]
    return {
        (r["complainant_name"], r["complainant_phone"]) for r in records if "complainant_name" in r
    }


def disclosures(live: LiveServer) -> list[dict[str, Any]]:
    caught_up(live)
    found: list[dict[str, Any]] = live.gql(DISCLOSURES)["events"]["nodes"]
    return found


@pytest.mark.parametrize("via", ["history", "events", "ledgerEvents"])
def test_without_a_purpose_every_role_reads_complainants_masked_and_nothing_is_recorded(
    server: LiveServer, via: str
) -> None:
    complaint = complaint_with_a_complainant(server)
    before = last(server)

    shown = {role: read(server, via, actor, complaint) for role, actor in READERS.items()}

    assert shown == {role: {MASKED} for role in READERS}
    assert last(server) == before, "a masked read wrote to the log"


@pytest.mark.parametrize("via", ["history", "events", "ledgerEvents"])
def test_a_disclosure_carries_the_purpose_the_reader_stated(server: LiveServer, via: str) -> None:
    complaint = complaint_with_a_complainant(server)

    shown = read(server, via, "inspector:zhao", complaint, purpose="  核查12345工单办理情况 ")

    assert shown == {(NAME, PHONE)}
    [disclosure] = disclosures(server)
    assert disclosure["actor"]["id"].startswith("zhao#")
    assert disclosure["data"]["purpose"] == "核查12345工单办理情况"
    assert disclosure["data"]["items"] == [complaint.split(":")[1]]
    assert disclosure["data"]["read_in"].startswith(
        {"history": "an item's history", "events": "the audit trail", "ledgerEvents": "the live"}[
            via
        ]
    )


def test_a_role_that_may_not_read_personal_data_stating_a_purpose_still_reads_it_masked(
    live: LiveServer,
) -> None:
    complaint = complaint_with_a_complainant(live)
    before = last(live)

    shown = read(live, "history", "leader:chen", complaint, purpose="了解情况")

    assert shown == {MASKED}
    assert last(live) == before


def test_two_reads_in_one_request_each_record_their_own_purpose(live: LiveServer) -> None:
    complaint = complaint_with_a_complainant(live)
    document = """query($id: ID!) {
      a: history(itemId: $id, purpose: "甲: 回访") { state }
      b: events(filter: {itemId: $id}, purpose: "乙: 复核") { nodes { data } }
      c: history(itemId: $id) { state } }"""

    data = live.gql(document, {"id": complaint})

    assert data["a"]["state"]["complainant_name"] == NAME
    assert data["b"]["nodes"][0]["data"]["complainant_name"] == NAME
    assert data["c"]["state"]["complainant_name"] == MASKED[0]
    recorded = sorted((d["data"]["purpose"], d["data"]["read_in"]) for d in disclosures(live))
    assert recorded == sorted(
        [("甲: 回访", "an item's history"), ("乙: 复核", "the audit trail (events)")]
    )


@pytest.mark.parametrize(
    ("purpose", "why"),
    [("   ", "must not be empty"), ("回访\u0000", "U+0000"), ("长" * 501, "the limit is 500")],
    ids=["blank", "control-character", "over-the-limit"],
)
@pytest.mark.parametrize("via", ["history", "events"])
def test_a_purpose_that_cannot_be_recorded_is_bad_user_input_naming_it_and_opens_nothing(
    live: LiveServer, via: str, purpose: str, why: str
) -> None:
    complaint = complaint_with_a_complainant(live)
    before = last(live)

    response = live.post(
        HISTORY if via == "history" else EVENTS, {"id": complaint, "purpose": purpose}
    )

    body = response.json()
    assert body["data"] in (None, {via: None}), body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"].get("field") == "purpose", error
    assert why in error["message"]
    assert last(live) == before
