"""Complainants' names and phone numbers read in clear by the office and the inspectors (each
such read recorded as a ``Disclosure`` in the audit trail), masked for leaders and units,
not readable at all by viewers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api import permissions
from domain.meta import Role
from tests.api.access_builders import socket
from tests.api.access_world import (
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PERSONAL,
    PHONE,
    World,
    head,
    world_server,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_server(tmp_path_factory) as found:
        yield found


@pytest.fixture(scope="module")
def served_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The same world, served by uvicorn, for the tests over a real WebSocket (slow)."""
    with world_server(tmp_path_factory, served=True) as found:
        yield found


# --- personal data: clear and recorded, masked, or not at all -----------------------------------

READS = {
    "history": "query($id: ID!, $purpose: String) { history(itemId: $id, purpose: $purpose)"
    " { state events { type data } } }",
    "events": "query($id: ID!, $purpose: String) {"
    " events(first: 100, filter: {itemId: $id}, purpose: $purpose)"
    " { edges { node { type data } } } }",
}
PURPOSE = "核实投诉人身份以便回访"
"""The purpose every read of personal data below states."""

SHOWN = {Role.OFFICE: "clear", Role.INSPECTOR: "clear", Role.LEADER: "masked"}
SHOWN |= {Role.UNIT: "masked", Role.VIEWER: "forbidden"}


def _personal_cases() -> list[Any]:
    return [
        pytest.param(
            via,
            role,
            id=f"{via}-{role.value}-{SHOWN[role]}",
            marks=[pytest.mark.slow] if via == "ledgerEvents" else [],
        )
        for via in (*READS, "ledgerEvents")
        for role in permissions.ROLES
    ]


def _personal_fields(via: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (name, phone) pair the answer shows."""
    if via == "history":
        records = [data["history"]["state"], *(e["data"] for e in data["history"]["events"])]
    elif via == "events":
        records = [edge["node"]["data"] for edge in data["events"]["edges"]]
    else:
        records = [data["ledgerEvents"]["data"]]
    return [
        (r["complainant_name"], r["complainant_phone"]) for r in records if "complainant_name" in r
    ]


def _read_personal(world: World, via: str, actor: str) -> dict[str, Any]:
    """The complaint received by unit A, read through ``via`` as ``actor``: the GraphQL
    answer (for ``ledgerEvents``: the first message of the subscription)."""
    complaint = world.complaints["a"]
    if via == "ledgerEvents":
        query = (
            "subscription($id: ID!, $purpose: String) {"
            " ledgerEvents(after: 0, filter: {itemId: $id}, purpose: $purpose) { type data } }"
        )
        with socket(world.live.ws_url, world.live.auth(actor)) as ws:
            ws.subscribe("1", query, {"id": f"Complaint:{complaint}", "purpose": PURPOSE})
            message = ws.message("1")
        return message["payload"] if message["type"] == "next" else {"errors": message["payload"]}
    query = READS[via]
    response = world.live.post(
        query, {"id": f"Complaint:{complaint}", "purpose": PURPOSE}, actor=actor
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _disclosures(world: World, reader: str) -> list[dict[str, Any]]:
    """The Disclosure events of the reader named ``reader``, as the office sees them."""
    data = world.live.gql(
        '{ events(first: 100, filter: {itemType: "Disclosure"}) { edges { node'
        " { itemType actor { id role unit } data } } } }",
        position=head(world.live),
    )
    return [
        edge["node"]
        for edge in data["events"]["edges"]
        if edge["node"]["actor"]["id"].startswith(f"{reader}#")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("via", "role"), _personal_cases())
def test_a_complainants_name_and_phone_read_as_the_policy_table_says(
    request: pytest.FixtureRequest, via: str, role: Role
) -> None:
    # the live feed is read over a real WebSocket: from the world served by uvicorn
    world: World = request.getfixturevalue("served_world" if via == "ledgerEvents" else "world")
    reader = f"reader-{via}-{role.value}"
    actor = world.actor(role, reader)
    world.live.token(actor)
    before = head(world.live)
    answer = _read_personal(world, via, actor)
    if SHOWN[role] == "forbidden":
        assert not permissions.sees_personal_data(role)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"], answer
        assert head(world.live) == before
        return
    assert "errors" not in answer, answer
    shown = _personal_fields(via, answer["data"])
    assert shown, answer
    if SHOWN[role] == "clear":
        assert permissions.sees_personal_data(role)
        assert set(shown) == {(NAME, PHONE)}
        [disclosure] = _disclosures(world, reader)
        assert disclosure["itemType"] == "Disclosure"
        assert disclosure["actor"]["role"] == role.name
        assert disclosure["data"]["items"] == [world.complaints["a"]]
        assert disclosure["data"]["fields"] == PERSONAL
        assert disclosure["data"]["purpose"] == PURPOSE
    else:
        assert not permissions.sees_personal_data(role)
        assert set(shown) == {(MASKED_NAME, MASKED_PHONE)}
        assert (permissions.mask_name(NAME), permissions.mask_phone(PHONE)) == (
            MASKED_NAME,
            MASKED_PHONE,
        )
        assert head(world.live) == before, "a masked read wrote to the log"
        assert _disclosures(world, reader) == []
