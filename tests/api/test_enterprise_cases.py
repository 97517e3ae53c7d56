"""An enterprise's 诉求 through GraphQL: a complaint names the registered enterprise it
concerns (``Complaint.enterprise``, ``ComplaintFilter.enterprise``, ``Enterprise.complaints``,
each within what the caller sees), and an evaluation names the registered enterprise rating."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.enterprise_evaluation import EnterpriseEvaluation
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, head, mutate
from tests.api.mutation_builders import register_unit, unit_actor
from tests.api.test_enterprises import CODE, register

CASES = """query($id: ID!) { node(id: $id) { ... on Enterprise {
    complaints(first: 10) { totalCount nodes { id enterprise { name } } } } } }"""
LIST = """query($enterprise: ID) { complaints(first: 10, filter: {enterprise: $enterprise}) {
    totalCount nodes { id enterprise { name creditCode } } } }"""


def receive(live: LiveServer, unit: str, summary: str, **given: Any) -> dict[str, Any]:
    fields = {"channel": "HOTLINE_12345", "summary": summary, "firstResponder": unit, **given}
    return mutate(live, "receiveComplaint", fields)


def received(live: LiveServer, unit: str, summary: str, **given: Any) -> str:
    made = receive(live, unit, summary, **given)
    assert made["__typename"] == "MutationSuccess", made
    return str(made["itemId"])


def test_a_case_names_the_enterprise_and_the_enterprise_lists_its_cases(live: LiveServer) -> None:
    agency, other = register_unit(live, "区投资促进局"), register_unit(live, "区住建局")
    firm = register(live, agency)["itemId"]
    first = received(live, agency, "用地审批慢", enterprise=firm)
    second = received(live, other, "施工许可被拒", enterprise=firm)
    received(live, other, "窗口空岗")
    caught_up(live)
    named = live.gql(LIST, {"enterprise": firm})["complaints"]
    assert named["totalCount"] == 2
    assert {n["enterprise"]["creditCode"] for n in named["nodes"]} == {CODE}
    cases = live.gql(CASES, {"id": firm})["node"]["complaints"]
    assert sorted(n["id"] for n in cases["nodes"]) == sorted([first, second])
    everything = live.gql(LIST, {"enterprise": None})["complaints"]
    assert sorted(str(n["enterprise"]) for n in everything["nodes"]).count("None") == 1


def test_a_unit_sees_only_its_own_cases_of_an_enterprise_and_only_an_enterprise_it_serves(
    live: LiveServer,
) -> None:
    agency, other = register_unit(live, "区投资促进局"), register_unit(live, "区住建局")
    firm = register(live, agency)["itemId"]
    own = received(live, agency, "用地审批慢", enterprise=firm)
    another = received(live, other, "施工许可被拒", enterprise=firm)
    caught_up(live)
    served = live.gql(CASES, {"id": firm}, actor=unit_actor(agency))["node"]["complaints"]
    assert [(n["id"], n["enterprise"]) for n in served["nodes"]] == [(own, {"name": "恒力石化"})]
    theirs = live.gql(LIST, {"enterprise": firm}, actor=unit_actor(other))["complaints"]
    assert [(n["id"], n["enterprise"]) for n in theirs["nodes"]] == [(another, None)]
    assert live.gql(CASES, {"id": firm}, actor=unit_actor(other))["node"] is None


def test_a_case_naming_no_registered_enterprise_is_refused_naming_enterprise_and_writes_nothing(
    live: LiveServer,
) -> None:
    unit = register_unit(live, "区住建局")
    caught_up(live)
    before = head(live)
    unknown = gid("Enterprise", "00000000-0000-4000-8000-000000000077")
    for named in (unknown, unit):  # no such enterprise; a unit, not an enterprise
        result = receive(live, unit, "诉求", enterprise=named)
        assert (result["__typename"], result["field"]) == ("ValidationError", "enterprise")
    assert head(live) == before


def evaluate(live: LiveServer, unit: str, **named: Any) -> dict[str, Any]:
    scores = [{"criterion": "服务态度", "score": "90"}]
    return mutate(
        live,
        "recordEnterpriseEvaluation",
        {"unit": unit, "quarter": "2021-Q1", "scores": scores, **named},
    )


def test_an_evaluation_names_the_registered_enterprise_by_id_taking_its_name(
    live: LiveServer,
) -> None:
    agency = register_unit(live, "区投资促进局")
    firm = register(live, agency)["itemId"]
    made = evaluate(live, agency, enterpriseId=firm)
    assert made["__typename"] == "MutationSuccess", made
    recorded = live.services.ledger.get(EnterpriseEvaluation, UUID(made["itemId"].split(":")[1]))
    assert (recorded.enterprise, str(recorded.enterprise_id)) == ("恒力石化", firm.split(":")[1])
    again = evaluate(live, agency, enterprise="恒力石化")  # the same one, by name
    assert again["__typename"] == "AlreadyExists"


def test_an_evaluation_by_name_alone_still_works_and_a_wrong_id_or_name_is_refused(
    live: LiveServer,
) -> None:
    agency = register_unit(live, "区投资促进局")
    firm = register(live, agency)["itemId"]
    assert evaluate(live, agency, enterprise="英特尔")["__typename"] == "MutationSuccess"
    caught_up(live)
    before = head(live)
    unknown = gid("Enterprise", "00000000-0000-4000-8000-000000000077")
    for named, field in (
        ({"enterpriseId": unknown}, "enterpriseId"),
        ({"enterpriseId": firm, "enterprise": "另一家"}, "enterprise"),
        ({}, "enterprise"),
    ):
        refused = evaluate(live, agency, **named)
        assert (refused["__typename"], refused["field"]) == ("ValidationError", field)
    assert head(live) == before
