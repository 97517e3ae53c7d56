"""Bad input through the real HTTP API: never a server error, never a write; a variable the
schema rejects is answered with what is wrong with it; a request without a valid bearer
token is unauthenticated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from domain.channels import Channel
from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import head, last, mutate, mutation_document
from tests.api.mutation_builders import task_in_progress, version_of

# Bad input: never a 500, never a write


def bad_requests(task: str, complaint: str) -> dict[str, Callable[[LiveServer], httpx.Response]]:
    report = mutation_document("reportProgress")

    def post_raw(body: bytes) -> Callable[[LiveServer], httpx.Response]:
        return lambda live: live.client.post(
            "/graphql",
            content=body,
            headers={"content-type": "application/json", **live.auth(OFFICE)},
        )

    def post(query: str, given: dict[str, Any]) -> Callable[[LiveServer], httpx.Response]:
        return lambda live: live.post(query, {"input": given})

    valid = {"taskId": task, "percent": 50, "narrative": "过半"}
    return {
        "malformed-json": post_raw(b'{"query": "mutation { reportProgress(input: {'),
        "json-not-an-object": post_raw(b'["mutation"]'),
        "variables-not-an-object": post_raw(
            b'{"query": "mutation { __typename }", "variables": "percent=50"}'
        ),
        "query-does-not-parse": post("mutation Run($input: ReportProgressInput!) {", valid),
        "unknown-mutation": post(report.replace("reportProgress(", "reportProgres("), valid),
        "unknown-selected-field": post(report.replace("replayed", "replayedAt"), valid),
        "unknown-input-field": post(report, {**valid, "percentage": 50}),
        "missing-input-field": post(report, {"taskId": task, "percent": 50}),
        "percent-a-string": post(report, {**valid, "percent": "fifty"}),
        "percent-a-fraction": post(report, {**valid, "percent": 50.5}),
        "percent-beyond-32-bits": post(report, {**valid, "percent": 2**40}),
        "evidence-not-a-list-of-text": post(report, {**valid, "evidence": [{"url": 1}]}),
        "occurred-at-not-a-time": post(report, {**valid, "occurredAt": "yesterday"}),
        "literal-of-the-wrong-type": lambda live: live.post(
            "mutation { reportProgress(input: {taskId: "
            + json.dumps(task)
            + ', percent: "50", narrative: "x"}) { __typename } }'
        ),
        "complaint-id-for-a-task": post(report, {**valid, "taskId": complaint}),
        "not-an-id": post(report, {**valid, "taskId": "Task:12345"}),
        "id-of-no-item-type": post(report, {**valid, "taskId": "Ticket:" + task.split(":")[1]}),
        "percent-150": post(report, {**valid, "percent": 150}),
        "percent-negative": post(report, {**valid, "percent": -1}),
        "blank-narrative": post(report, {**valid, "narrative": "  "}),
        "body-over-a-megabyte": post(report, {**valid, "narrative": "长" * 400_000}),
    }


TYPED = {
    "complaint-id-for-a-task": "taskId",
    "not-an-id": "taskId",
    "id-of-no-item-type": "taskId",
    "percent-150": "percent",
    "percent-negative": "percent",
    "blank-narrative": "narrative",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(bad_requests("Task:x", "Complaint:y")))
def test_bad_input_never_gives_a_server_error_and_writes_nothing(
    live: LiveServer, case: str
) -> None:
    task, lead, _ = task_in_progress(live)
    complaint = mutate(
        live,
        "receiveComplaint",
        {"channel": Channel.HOTLINE_12345.name, "summary": "报装超时", "firstResponder": lead},
    )["itemId"]
    before = head(live)

    response = bad_requests(task, complaint)[case](live)

    assert response.status_code < 500, response.text
    if case in TYPED:
        assert response.status_code == 200
        result = response.json()["data"]["reportProgress"]
        assert result["__typename"] == "ValidationError"
        assert result["field"] == TYPED[case]
    elif response.status_code == 200:
        body = response.json()
        assert body["errors"], body
        assert body.get("data") is None
    else:
        assert response.status_code in (400, 413), response.text
    assert head(live) == before
    assert version_of(live, task) == 3
    assert version_of(live, complaint) == 1


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"percentage": 50}, "percentage"),
        ({"percent": "fifty"}, "percent"),
        ({"occurredAt": "yesterday"}, "occurredAt"),
    ],
    ids=["unknown-input-field", "percent-a-string", "occurred-at-not-a-time"],
)
def test_a_variable_the_schema_rejects_is_answered_with_what_is_wrong_with_it(
    live: LiveServer, given: dict[str, Any], named: str
) -> None:
    task, _, _ = task_in_progress(live)
    valid = {"taskId": task, "percent": 50, "narrative": "过半"}

    response = live.post(mutation_document("reportProgress"), {"input": {**valid, **given}})

    (error,) = response.json()["errors"]
    assert error["message"] != "Unexpected error."
    assert named in error["message"]


@pytest.mark.parametrize(
    ("authorization", "problem"),
    [
        (None, "a bearer token is required"),
        ("", "a bearer token is required"),
        ("Basic b2ZmaWNlOnNlY3JldA==", "must be `Bearer <token>`"),
        ("Bearer", "must be `Bearer <token>`"),
        ("sl_a-token-without-its-scheme", "must be `Bearer <token>`"),
        ("Bearer sl_a-token-the-ledger-never-issued", "not one the ledger issued"),
    ],
    ids=["none", "blank", "basic", "scheme-alone", "no-scheme", "unknown-token"],
)
def test_a_request_without_a_valid_bearer_token_is_unauthenticated_and_writes_nothing(
    live: LiveServer, authorization: str | None, problem: str
) -> None:
    task, _, _ = task_in_progress(live)
    before, everything_before = head(live), last(live)
    body = {
        "query": mutation_document("urgeTask"),
        "variables": {"input": {"taskId": task, "reason": "滞后"}},
    }
    headers = {} if authorization is None else {"authorization": authorization}

    response = live.client.post("/graphql", json=body, headers=headers)

    assert response.status_code == 401, response.text
    answer = response.json()
    assert "data" not in answer
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert problem in error["message"]
    assert head(live) == before
    assert last(live) == everything_before  # not even a token or a disclosure
    assert version_of(live, task) == 3


def test_a_request_sent_with_no_actor_at_all_is_unauthenticated(live: LiveServer) -> None:
    before = last(live)

    response = live.post("{ units { id } }", actor=None)

    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "bearer token" in error["message"]
    assert last(live) == before == 0
