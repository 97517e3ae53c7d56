"""Enterprises served one-to-one (契约式服务) through GraphQL: registered by their credit
code with the agency and person serving them, their service contract, and who sees them."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import VIEWER, LiveServer
from tests.api.helpers import caught_up, mutate
from tests.api.mutation_builders import register_unit, unit_actor

CODE = "91210200123456789R"  # checked by hand in tests/domain/test_enterprise_lifecycle.py
ENTERPRISE = """query($id: ID!) { node(id: $id) { ... on Enterprise {
    state name creditCode unit { name } servedBy { name post }
    contract { commitments term termFrom termTo closedOn agency { name } } } } }"""
LIST = """query($unit: ID) { enterprises(first: 10, filter: {unit: $unit}) {
    totalCount edges { node { name } } } }"""


def register(
    live: LiveServer, unit: str, code: str = CODE, name: str = "恒力石化"
) -> dict[str, Any]:
    return mutate(
        live,
        "registerEnterprise",
        {
            "name": name,
            "creditCode": code,
            "unit": unit,
            "servedBy": {"name": "王五", "post": "服务秘书"},
        },
    )


def test_an_enterprise_is_registered_with_its_server_and_signs_a_service_contract(
    live: LiveServer,
) -> None:
    registered_and_signed(live)


def test_an_enterprise_and_its_contract_read_the_same_on_postgresql(
    live_postgres: LiveServer,
) -> None:
    registered_and_signed(live_postgres)


def registered_and_signed(live: LiveServer) -> None:
    unit = register_unit(live, "区投资促进局")
    made = register(live, unit)
    assert made["__typename"] == "MutationSuccess", made
    signed = mutate(
        live,
        "signServiceContract",
        {
            "enterpriseId": made["itemId"],
            "agency": unit,
            "commitments": ["审批限时办结", "一次告知"],
            "termFrom": "2021-01-01",
            "termTo": "2021-12-31",
        },
    )
    assert signed["__typename"] == "MutationSuccess", signed
    caught_up(live)
    node = live.gql(ENTERPRISE, {"id": made["itemId"]})["node"]
    assert node == {
        "state": "UNDER_CONTRACT",
        "name": "恒力石化",
        "creditCode": CODE,
        "unit": {"name": "区投资促进局"},
        "servedBy": {"name": "王五", "post": "服务秘书"},
        "contract": {
            "commitments": ["审批限时办结", "一次告知"],
            "term": "2021-01-01/2021-12-31",
            "termFrom": "2021-01-01",
            "termTo": "2021-12-31",
            "closedOn": None,
            "agency": {"name": "区投资促进局"},
        },
    }


def test_a_wrong_check_character_or_a_code_registered_before_is_refused(live: LiveServer) -> None:
    unit = register_unit(live, "区投资促进局")
    wrong = register(live, unit, code=CODE[:17] + "Q")
    assert (wrong["__typename"], wrong["field"]) == ("ValidationError", "creditCode")
    assert register(live, unit)["__typename"] == "MutationSuccess"
    again = register(live, unit, code=CODE.lower(), name="另一家")
    assert (again["__typename"], again["key"]) == ("AlreadyExists", CODE)


def test_a_unit_sees_the_enterprises_it_serves_and_a_viewer_none(live: LiveServer) -> None:
    served, other = register_unit(live, "区投资促进局"), register_unit(live, "区经济发展局")
    register(live, served)
    register(live, other, code="91350100M000100Y43", name="另一家")
    caught_up(live)
    office = live.gql(LIST, {"unit": served})["enterprises"]
    assert [e["node"]["name"] for e in office["edges"]] == ["恒力石化"]
    assert live.gql(LIST, {"unit": None})["enterprises"]["totalCount"] == 2
    own = live.gql(LIST, {"unit": None}, actor=unit_actor(served))["enterprises"]
    assert [e["node"]["name"] for e in own["edges"]] == ["恒力石化"]
    refused = live.post(LIST, {"unit": None}, actor=VIEWER).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
