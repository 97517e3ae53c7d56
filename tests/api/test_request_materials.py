"""一次告知 through GraphQL: ``requestMaterials`` by the unit handling a case (or the office),
its typed refusals, ``Complaint.materialRequests`` and the scorecard's
``materialRequests`` and ``onceNoticeBreaches``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.channels import Channel
from domain.unit import UnitKind
from tests.api.conftest import VIEWER, LiveServer
from tests.api.helpers import caught_up, gid, head, mutate, now
from tests.clock import today

CASE = """query($id: ID!) { node(id: $id) { ... on Complaint {
    materialRequests { items requestedOn breach note unit { name } } } } }"""
SCORECARDS = """query($period: String!){ unitScorecards(period: $period)
    { name materialRequests onceNoticeBreaches figures } }"""


def staff(unit: UUID) -> str:
    return f"unit:clerk-{str(unit)[:4]}:{unit}"


def case_of(live: LiveServer, *, signed: bool = True) -> dict[str, UUID]:
    """A 12345 case received by 区12345中心 about 区市场监管局, dispatched to 区行政审批局
    (and signed for by it, unless told)."""
    ledger = live.services.ledger
    first, subject, handler = (
        ledger.register_unit(now(), name=n, kind=UnitKind.DEPARTMENT).item_id
        for n in ("区12345中心", "区市场监管局", "区行政审批局")
    )
    case = ledger.receive_complaint(
        now(),
        channel=Channel.HOTLINE_12345,
        summary="企业办理许可反复补材料",
        first_responder=first,
        subject_unit=subject,
    ).item_id
    ledger.dispatch_complaint(now(), case, unit=handler)
    if signed:
        ledger.sign_for_complaint(now(), case, unit=handler)
    return {"case": case, "subject": subject, "handler": handler}


def ask(live: LiveServer, case: UUID, items: list[str], actor: str) -> dict[str, Any]:
    return mutate(
        live,
        "requestMaterials",
        {"complaintId": gid("Complaint", case), "items": items},
        actor=actor,
    )


def test_the_handling_unit_asks_twice_and_the_case_shows_the_second_as_a_breach(
    live: LiveServer,
) -> None:
    found = case_of(live)
    clerk = staff(found["handler"])
    caught_up(live, clerk)
    first = ask(live, found["case"], ["营业执照副本", "法人身份证复印件"], clerk)
    assert first["__typename"] == "MutationSuccess", first
    reminder = ask(live, found["case"], ["营业执照副本"], clerk)
    assert reminder["__typename"] == "MutationSuccess", reminder
    office_asks = ask(live, found["case"], ["租赁合同"], "office:office-zhang")
    assert office_asks["__typename"] == "MutationSuccess", office_asks
    caught_up(live, clerk)
    node = live.gql(CASE, {"id": gid("Complaint", found["case"])}, actor=clerk)["node"]
    requests = node["materialRequests"]
    assert [(r["items"], r["breach"]) for r in requests] == [
        (["营业执照副本", "法人身份证复印件"], False),
        (["营业执照副本"], False),
        (["租赁合同"], True),
    ]
    assert {r["unit"]["name"] for r in requests} == {"区行政审批局"}  # the office asked for it
    assert {r["requestedOn"] for r in requests} == {today().isoformat()}


def test_the_scorecard_counts_the_units_requests_and_its_breaches_of_once_notice(
    live: LiveServer,
) -> None:
    found = case_of(live)
    clerk = staff(found["handler"])
    caught_up(live, clerk)
    for items in (["竣工图纸"], ["竣工图纸", "消防验收意见书"], ["规划许可证"]):
        assert ask(live, found["case"], items, clerk)["__typename"] == "MutationSuccess"
    caught_up(live, clerk)
    year = str(today().year)
    (card,) = live.gql(SCORECARDS, {"period": year}, actor=clerk)["unitScorecards"]
    assert (card["name"], card["materialRequests"], card["onceNoticeBreaches"]) == (
        "区行政审批局",
        3,
        2,
    )
    assert (card["figures"]["material_requests"], card["figures"]["once_notice_breaches"]) == (3, 2)
    cards = {
        c["name"]: c for c in live.gql(SCORECARDS, {"period": year}, actor=VIEWER)["unitScorecards"]
    }
    assert (
        cards["区市场监管局"]["materialRequests"],
        cards["区市场监管局"]["onceNoticeBreaches"],
    ) == (
        0,
        0,
    )


def test_an_empty_list_is_a_validation_error_naming_items_and_writes_nothing(
    live: LiveServer,
) -> None:
    found = case_of(live)
    clerk = staff(found["handler"])
    caught_up(live, clerk)
    before = head(live)
    refused = ask(live, found["case"], [], clerk)
    assert (refused["__typename"], refused["field"]) == ("ValidationError", "items")
    assert head(live) == before


def test_a_case_not_yet_signed_for_is_an_invalid_transition(live: LiveServer) -> None:
    found = case_of(live, signed=False)
    clerk = staff(found["handler"])
    caught_up(live, clerk)
    before = head(live)
    refused = ask(live, found["case"], ["营业执照副本"], clerk)
    assert (refused["__typename"], refused["state"]) == ("InvalidTransition", "dispatched")
    assert head(live) == before


def test_a_unit_the_case_is_about_is_forbidden_and_an_unrelated_unit_finds_nothing(
    live: LiveServer,
) -> None:
    found = case_of(live)
    stranger = live.services.ledger.register_unit(
        now(), name="区文旅局", kind=UnitKind.DEPARTMENT
    ).item_id
    caught_up(live, staff(found["subject"]))
    before = head(live)
    about = ask(live, found["case"], ["营业执照副本"], staff(found["subject"]))
    assert (about["__typename"], about["action"]) == ("Forbidden", "requestMaterials")
    caught_up(live, staff(stranger))
    unrelated = ask(live, found["case"], ["营业执照副本"], staff(stranger))
    assert (unrelated["__typename"], unrelated["itemType"]) == ("NotFound", "Complaint")
    viewer = ask(live, found["case"], ["营业执照副本"], VIEWER)
    assert viewer["__typename"] == "Forbidden"
    assert head(live) == before
