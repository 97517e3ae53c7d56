"""成果运用转化 through GraphQL: ``proposeMeasure``, ``implementMeasure`` and
``evaluateMeasure`` with their typed errors, ``Measure.findings`` and each finding's
``measures`` (links both ways), the ``measures`` connection and ``node`` by role, and
``SupervisionOverview.measures`` as of dates."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from tests.api.conftest import VIEWER, LiveServer
from tests.api.helpers import caught_up, gid, head, mutate, on
from tests.api.measure_world import Findings, findings_by, propose

DAY = date(2021, 6, 1)
MEASURE = """query($id: ID!) { node(id: $id) { ... on Measure {
    id state kind title responsibleUnit { name } proposedOn implementedOn evidence
    evaluatedOn effective assessment
    findings { __typename ... on Node { id } } } } }"""
FINDING = """query($id: ID!) { node(id: $id) {
    ... on Complaint { measures { id } } ... on Interview { measures { id } }
    ... on LegacyIssue { measures { id } } } }"""
LIST = """query($filter: MeasureFilter) { measures(first: 20, filter: $filter) {
    totalCount nodes { id title } } }"""
OVERVIEW = """query($asOf: Date) { supervisionOverview(asOf: $asOf) { measures {
    founded turnedIntoMeasures share proposed implemented evaluated evaluatedEffective
    findings { kind founded turnedIntoMeasures share } } } }"""


def unit_actor(unit: UUID) -> str:
    return f"unit:staff:{unit}"


def world(live: LiveServer) -> Findings:
    return findings_by(live.services.ledger, DAY)


def proposal(f: Findings, *findings: UUID, **given: Any) -> dict[str, Any]:
    return {
        "kind": "RULE_CHANGE",
        "title": "修订窗口服务规范",
        "description": "一次告知写入规范",
        "responsibleUnit": gid("Unit", f.unit),
        "findings": [str(i) for i in findings],
        **given,
    }


def test_a_measure_proposed_from_findings_links_them_both_ways(live: LiveServer) -> None:
    f = world(live)
    cited = (f.complaint, f.exposure, f.interview, f.legacy_issue)
    result = mutate(live, "proposeMeasure", proposal(f, *cited))
    assert result["__typename"] == "MutationSuccess"
    caught_up(live)
    measure = live.gql(MEASURE, {"id": result["itemId"]})["node"]
    assert (measure["state"], measure["kind"]) == ("PROPOSED", "RULE_CHANGE")
    assert measure["responsibleUnit"] == {"name": "区住建局"}
    assert [n["id"] for n in measure["findings"]] == [
        gid("Complaint", f.complaint),
        gid("Complaint", f.exposure),
        gid("Interview", f.interview),
        gid("LegacyIssue", f.legacy_issue),
    ]
    for item_type, item in zip(
        ("Complaint", "Complaint", "Interview", "LegacyIssue"), cited, strict=True
    ):
        found = live.gql(FINDING, {"id": gid(item_type, item)})["node"]
        assert found["measures"] == [{"id": result["itemId"]}]


def test_a_measure_is_implemented_with_evidence_then_evaluated(live: LiveServer) -> None:
    f = world(live)
    measure = mutate(live, "proposeMeasure", proposal(f, f.complaint))["itemId"]
    steps = [
        ("implementMeasure", {"evidence": ["区住建发〔2021〕12号"]}),
        ("evaluateMeasure", {"effective": True, "assessment": "同类投诉下降"}),
    ]
    for name, given in steps:
        assert (
            mutate(live, name, {"measureId": measure, **given})["__typename"] == "MutationSuccess"
        )
    caught_up(live)
    found = live.gql(MEASURE, {"id": measure})["node"]
    assert (found["state"], found["effective"], found["assessment"]) == (
        "EVALUATED",
        True,
        "同类投诉下降",
    )
    assert found["evidence"] == ["区住建发〔2021〕12号"]
    assert found["implementedOn"] is not None and found["evaluatedOn"] is not None


def test_a_finding_unknown_not_a_finding_or_not_founded_is_refused_naming_findings(
    live: LiveServer,
) -> None:
    f = world(live)
    caught_up(live)
    before = head(live)
    for cited in (UUID(int=9), f.unit, f.unfounded):
        result = mutate(live, "proposeMeasure", proposal(f, cited))
        assert (result["__typename"], result["field"]) == ("ValidationError", "findings")
    empty = mutate(live, "proposeMeasure", proposal(f))
    assert (empty["__typename"], empty["field"]) == ("ValidationError", "findings")
    assert head(live) == before


def test_a_measure_steps_out_of_order_are_invalid_transitions(live: LiveServer) -> None:
    f = world(live)
    measure = mutate(live, "proposeMeasure", proposal(f, f.interview))["itemId"]
    early = mutate(
        live, "evaluateMeasure", {"measureId": measure, "effective": False, "assessment": "无"}
    )
    assert (early["__typename"], early["state"], early["step"]) == (
        "InvalidTransition",
        "proposed",
        "be evaluated",
    )
    mutate(live, "implementMeasure", {"measureId": measure, "evidence": ["通知"]})
    again = mutate(live, "implementMeasure", {"measureId": measure, "evidence": ["通知"]})
    assert again["__typename"] == "InvalidTransition"
    missing = mutate(
        live, "implementMeasure", {"measureId": gid("Measure", UUID(int=5)), "evidence": ["x"]}
    )
    assert missing["__typename"] == "NotFound"


def test_a_unit_sees_and_implements_only_the_measures_it_is_responsible_for(
    live: LiveServer,
) -> None:
    f = world(live)
    ledger = live.services.ledger
    own = propose(ledger, DAY, f.unit, f.complaint, f.legacy_issue)
    others = propose(ledger, DAY, f.other, f.exposure)
    staff = unit_actor(f.unit)
    caught_up(live, staff)
    listed = live.gql(LIST, actor=staff)["measures"]
    assert [n["id"] for n in listed["nodes"]] == [gid("Measure", own)]
    assert live.gql(MEASURE, {"id": gid("Measure", others)}, actor=staff)["node"] is None
    exposure = live.gql(FINDING, {"id": gid("Complaint", f.exposure)}, actor=staff)["node"]
    assert exposure["measures"] == []
    done = mutate(
        live,
        "implementMeasure",
        {"measureId": gid("Measure", own), "evidence": ["签到表"]},
        actor=staff,
    )
    assert done["__typename"] == "MutationSuccess"
    theirs = mutate(
        live,
        "implementMeasure",
        {"measureId": gid("Measure", others), "evidence": ["x"]},
        actor=staff,
    )
    assert theirs["__typename"] == "NotFound"
    refused = mutate(live, "proposeMeasure", proposal(f, f.complaint), actor=staff)
    assert refused["__typename"] == "Forbidden"


def test_inspectors_and_leaders_read_every_measure_and_a_viewer_none(live: LiveServer) -> None:
    f = world(live)
    ledger = live.services.ledger
    propose(ledger, DAY, f.unit, f.complaint)
    propose(ledger, DAY, f.other, f.exposure)
    caught_up(live)
    for reader in ("inspector:ji-1", "leader:li-1"):
        assert live.gql(LIST, actor=reader)["measures"]["totalCount"] == 2
    refused = live.post(LIST, actor=VIEWER).json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    filtered = live.gql(LIST, {"filter": {"unit": gid("Unit", f.other), "kinds": ["TRAINING"]}})
    assert filtered["measures"]["totalCount"] == 1


def test_the_overview_gives_the_share_of_founded_findings_turned_into_measures_as_of_each_date(
    live: LiveServer,
) -> None:
    f = world(live)
    ledger = live.services.ledger
    june_3, june_5 = date(2021, 6, 3), date(2021, 6, 5)
    measure = propose(ledger, june_3, f.unit, f.complaint, f.interview)
    propose(ledger, june_3, f.other, f.complaint)
    ledger.implement_measure(on(june_5), measure, evidence=["通知"])
    ledger.evaluate_measure(on(june_5, hour=11), measure, effective=True, assessment="有效")
    caught_up(live, VIEWER)

    def figures(as_of: date) -> dict[str, Any]:
        found = live.gql(OVERVIEW, {"asOf": as_of.isoformat()}, actor=VIEWER)
        return dict(found["supervisionOverview"]["measures"])

    before = figures(date(2021, 5, 31))
    assert (before["founded"], before["share"], before["proposed"]) == (0, None, 0)
    on_day = figures(DAY)
    assert (on_day["founded"], on_day["turnedIntoMeasures"], on_day["share"]) == (4, 0, 0.0)
    later = figures(june_3)
    assert (later["turnedIntoMeasures"], later["share"], later["proposed"]) == (2, 50.0, 2)
    assert (later["implemented"], later["evaluatedEffective"]) == (0, 0)
    by_kind = {k["kind"]: (k["founded"], k["turnedIntoMeasures"]) for k in later["findings"]}
    assert by_kind == {
        "COMPLAINT": (1, 1),
        "EXPOSURE": (1, 0),
        "INTERVIEW": (1, 1),
        "LEGACY_ISSUE": (1, 0),
    }
    last = figures(june_5)
    assert (last["implemented"], last["evaluated"], last["evaluatedEffective"]) == (1, 1, 1)


def test_an_unfounded_finding_overturned_on_appeal_counts_as_founded_from_the_review(
    live: LiveServer,
) -> None:
    f = world(live)
    ledger = live.services.ledger
    ledger.review_appeal(on(date(2021, 6, 2)), f.unfounded, upheld=False, note="申诉不成立")
    propose(ledger, date(2021, 6, 2), f.unit, f.unfounded)
    caught_up(live, VIEWER)
    found = live.gql(OVERVIEW, {"asOf": "2021-06-02"}, actor=VIEWER)
    figures = found["supervisionOverview"]["measures"]
    assert (figures["founded"], figures["turnedIntoMeasures"]) == (5, 1)
