"""约谈 and 移交 through GraphQL: interviewees as people with posts (the free-text input still
taken, deprecated), no hearing before the scheduled time, and the referral candidates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import mutate
from tests.api.mutation_builders import task_in_progress
from tests.clock import now

INTERVIEW = """query($id: ID!) { node(id: $id) { ... on Interview {
    heldOn interviewees { name post unit { name } } } } }"""


def schedule(live: LiveServer, unit: str, task: str, days: int, **people: Any) -> str:
    """An interview of ``unit`` over ``task``, scheduled ``days`` from now (made an hour
    before that, or now if that is later)."""
    when = now() + timedelta(days=days)
    made = mutate(
        live,
        "scheduleInterview",
        {
            "unit": unit,
            "reason": "督办事项逾期",
            "citedItems": [task],
            "scheduledFor": when.isoformat(),
            "occurredAt": min(now(), when - timedelta(hours=1)).isoformat(),
            **people,
        },
    )
    assert made["__typename"] == "MutationSuccess", made
    item_id: str = made["itemId"]
    return item_id


def hold(live: LiveServer, interview: str, at: Any, rectify_by: Any) -> dict[str, Any]:
    return mutate(
        live,
        "holdInterview",
        {
            "interviewId": interview,
            "facts": "进度滞后",
            "commitments": ["限期整改"],
            "demands": ["提交整改报告"],
            "rectifyBy": rectify_by.isoformat(),
            "occurredAt": at.isoformat(),
        },
    )


def test_an_interview_names_its_interviewees_with_their_posts_and_units(live: LiveServer) -> None:
    task, lead, other = task_in_progress(live)
    people = [
        {"name": "王某", "post": "局长"},
        {"name": "李某", "post": "科长", "unit": other},
    ]
    interview = schedule(live, lead, task, 1, interviewees=people)
    node = live.gql(INTERVIEW, {"id": interview})["node"]
    assert node["interviewees"] == [
        {"name": "王某", "post": "局长", "unit": None},
        {"name": "李某", "post": "科长", "unit": {"name": "区市场监管局"}},
    ]


def test_the_deprecated_free_text_interviewee_still_schedules_and_reads_without_a_post(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    interview = schedule(live, lead, task, 1, interviewee="区住建局局长 张某")
    node = live.gql(INTERVIEW, {"id": interview})["node"]
    assert node["interviewees"] == [{"name": "区住建局局长 张某", "post": None, "unit": None}]
    fields = live.gql(
        """{ __type(name: "ScheduleInterviewInput") {
            inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }"""
    )["__type"]["inputFields"]
    deprecated = {f["name"]: f["deprecationReason"] for f in fields if f["isDeprecated"]}
    assert list(deprecated) == ["interviewee"]
    assert "interviewees" in deprecated["interviewee"]


def test_an_interviewee_without_a_post_or_both_shapes_at_once_is_refused(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    for people, field in (
        ({"interviewees": [{"name": "王某", "post": " "}]}, "interviewees"),
        (
            {"interviewees": [{"name": "王某", "post": "局长"}], "interviewee": "王某"},
            "interviewee",
        ),
        ({}, "interviewees"),
    ):
        refused = mutate(
            live,
            "scheduleInterview",
            {
                "unit": lead,
                "reason": "督办事项逾期",
                "citedItems": [task],
                "scheduledFor": (now() + timedelta(days=1)).isoformat(),
                **people,
            },
        )
        assert (refused["__typename"], refused["field"]) == ("ValidationError", field)


def test_holding_an_interview_before_its_scheduled_time_is_refused_naming_occurred_at(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    head = [{"name": "王某", "post": "局长"}]
    due_now = schedule(live, lead, task, 0, interviewees=head)
    early = schedule(live, lead, task, 2, interviewees=head)
    refused = hold(live, early, now(), now().date() + timedelta(days=14))
    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "occurredAt"
    assert "scheduled time" in refused["message"]
    held = hold(live, due_now, now(), now().date() + timedelta(days=14))
    assert held["__typename"] == "MutationSuccess", held


def test_a_unit_whose_rectification_deadline_passed_unmet_is_a_referral_candidate(
    live: LiveServer,
) -> None:
    task, lead, _ = task_in_progress(live)
    interview = schedule(live, lead, task, -20, interviewees=[{"name": "王某", "post": "局长"}])
    deadline = (now() - timedelta(days=10)).date()
    held = hold(live, interview, now() - timedelta(days=20), deadline)
    assert held["__typename"] == "MutationSuccess", held
    query = """query($asOf: Date) { referralCandidates(asOf: $asOf) {
        name reasons referralsSoFar unit { name } } }"""
    found = live.gql(query, {"asOf": None}, actor=OFFICE)["referralCandidates"]
    assert found == [
        {
            "name": "区住建局",
            "reasons": {"unmet_rectifications": [interview.split(":")[1]]},
            "referralsSoFar": 0,
            "unit": {"name": "区住建局"},
        }
    ]
    on_deadline = live.gql(query, {"asOf": deadline.isoformat()})["referralCandidates"]
    assert on_deadline == []
