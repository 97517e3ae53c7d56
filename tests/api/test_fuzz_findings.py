"""What the fuzzing found, kept as minimal requests, each with what it should get: every
one is fixed, and they are plain tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from tests.api.conftest import LiveServer, start_server, stop_server
from tests.api.fuzz_documents import cursor_of
from tests.api.fuzz_harness import INTERNAL
from tests.conftest import settings_for

# -- what the fuzzing found: each a minimal request, and what it should get -------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the known cases below (none of them writes)."""
    folder = tmp_path_factory.mktemp("fuzz-known")
    live = start_server(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"))
    yield live
    stop_server(live)


def ask(server: LiveServer, method: str, path: str, **given: Any) -> httpx.Response:
    """One request, then: the server is still up and the log did not move."""
    recorder = server.services.ledger.recorder
    headers = {"content-type": "application/json", **server.auth("office:fuzzer")}
    headers.update(given.pop("headers", {}))
    before = recorder.max_notification_id()
    response = server.client.request(method, path, headers=headers, **given)
    assert server.client.get("/healthz").status_code == 200
    assert recorder.max_notification_id() == before
    return response


def refused_with_400(response: httpx.Response) -> None:
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.text.strip() and "Traceback" not in response.text


@pytest.mark.parametrize("body", [b"null", b'"{ __typename }"', b"1", b"true"])
def test_a_json_body_that_is_not_an_object_is_refused_with_400(
    server: LiveServer, body: bytes
) -> None:
    refused_with_400(ask(server, "POST", "/graphql", content=body))


@pytest.mark.parametrize("body", [b"\x80", b"\x00\x00\x00\x00\x00"])
def test_a_body_not_in_utf_8_is_refused_with_400(server: LiveServer, body: bytes) -> None:
    refused_with_400(ask(server, "POST", "/graphql", content=body))


@pytest.mark.parametrize(
    ("method", "path", "where"),
    [
        ("POST", "/graphql", "body"),
        ("GET", "/graphql", "variables"),
        ("POST", "/graphql/stream", "body"),
        ("GET", "/graphql/stream", "variables"),
    ],
)
def test_deeply_nested_json_is_refused_with_400(
    server: LiveServer, method: str, path: str, where: str
) -> None:
    deep = "[" * 5000 + "]" * 5000
    given: dict[str, Any] = (
        {"content": deep.encode()}
        if where == "body"
        else {"params": {"query": "subscription { ledgerEvents { position } }", "variables": deep}}
    )
    refused_with_400(ask(server, method, path, **given))


@pytest.mark.parametrize("position", [b"\xb2", b"1\xb9", b"9" * 4301])
@pytest.mark.parametrize("path", ["/graphql", "/graphql/stream"])
def test_an_x_ledger_position_that_is_no_whole_number_is_refused_with_400(
    server: LiveServer, position: bytes, path: str
) -> None:
    """Found by the fuzzing: ``isdigit()`` let through what ``int()`` refuses (superscript
    digits, the byte 0xB2 read as Latin-1, or over 4300 digits), answered 500."""
    response = ask(
        server,
        "POST",
        path,
        content=b'{"query": "subscription { ledgerEvents { position } }"}',
        headers={"x-ledger-position": position},
    )
    refused_with_400(response)
    assert "X-Ledger-Position" in response.json()["errors"][0]["message"], response.text


def test_a_lone_surrogate_in_a_mutation_input_is_a_validation_error(server: LiveServer) -> None:
    body = (
        b'{"query": "mutation($i: RegisterUnitInput!) { registerUnit(input: $i) '
        b'{ __typename ... on ValidationError { field } } }", '
        b'"variables": {"i": {"name": "\\ud800", "kind": "DEPARTMENT"}}}'
    )
    response = ask(server, "POST", "/graphql", content=body)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"registerUnit": {"__typename": "ValidationError", "field": "name"}}
    }


def test_a_subscription_sent_over_http_post_is_refused_as_a_request_error(
    server: LiveServer,
) -> None:
    response = ask(
        server, "POST", "/graphql", json={"query": "subscription { ledgerEvents { position } }"}
    )
    assert response.status_code in (200, 400)
    messages = [e["message"] for e in response.json()["errors"]]
    assert INTERNAL not in messages, messages


def test_an_events_cursor_past_64_bits_is_refused_as_bad_input(server: LiveServer) -> None:
    """Found by the fuzzing: a position past 64 bits reached SQLite (OverflowError),
    masked as "Unexpected error."."""
    after = cursor_of(["events", str(2**63)])
    query = f'{{ events(after: "{after}") {{ totalCount }} }}'
    response = ask(server, "POST", "/graphql", json={"query": query})
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error.get("extensions") == {"code": "BAD_USER_INPUT", "field": "after"}, error


def test_a_chunked_body_over_one_megabyte_is_refused_with_413(server: LiveServer) -> None:
    """Found by the fuzzing: the limit read only Content-Length, and a chunked body has
    none, so any size was read whole and executed."""

    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(12):
            yield b"x" * 100_000
        yield b'"}'

    response = ask(server, "POST", "/graphql", content=chunks())
    assert response.status_code == 413, response.text


def test_a_deadline_centuries_ahead_is_refused_or_its_light_costs_no_walk_to_it(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(mutation: str) -> dict[str, Any]:
        response = live.client.post(
            "/graphql", json={"query": f"mutation {{ {mutation} }}"}, headers=live.auth()
        )
        result: dict[str, Any] = next(iter(response.json()["data"].values()))
        return result

    success = "{ __typename ... on MutationSuccess { itemId } ... on UserError { message } }"
    unit = run(f'registerUnit(input: {{name: "局", kind: DEPARTMENT}}) {success}')["itemId"]
    task = run(f'registerTask(input: {{planYear: 2026, title: "任务"}}) {success}')["itemId"]
    far = "2100-12-31"  # 9999-12-31 costs 81 s; this ~1 s
    assigned = run(
        f'assignTask(input: {{taskId: "{task}", leadUnits: ["{unit}"], deadline: "{far}"}}) '
        + success
    )
    if assigned["__typename"] == "ValidationError":
        return  # refused: no walk to it ever
    assert assigned["__typename"] == "MutationSuccess", assigned
    calendar = live.services.ledger.rules.calendar
    looked_up = 0
    look_up = calendar.is_working_day

    def counted(day: date) -> bool:
        nonlocal looked_up
        looked_up += 1
        return look_up(day)

    monkeypatch.setattr(calendar, "is_working_day", counted)
    position = assigned and live.services.ledger.recorder.max_notification_id()
    listed = live.gql("{ tasks { nodes { light } } }", position=position)
    assert listed["tasks"]["nodes"], listed
    assert looked_up < 3700, f"one task's light looked up {looked_up} days"


@pytest.mark.parametrize("name", ["extensions", "variables"])
def test_a_get_whose_json_parameter_nests_too_deep_is_refused_with_400(
    server: LiveServer, name: str
) -> None:
    nested = "[" * 5000
    params = {"query": "{ __typename }", name: nested}
    refused_with_400(ask(server, "GET", "/graphql", params=params))
