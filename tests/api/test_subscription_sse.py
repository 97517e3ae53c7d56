"""Subscriptions over server-sent events (``/graphql/stream``, real HTTP): the log replayed
then streamed, the overview over POST, a failing stream ended with an error, bad requests
answered 400, and nothing streamed without a valid token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.api.conftest import LiveServer
from tests.api.subscription_helpers import (
    eventually,
    feed_subscribers,
    head,
    receive_complaint,
    received_on,
    register_task,
    register_unit,
    settle,
)
from tests.api.ws_client import TIMEOUT

pytestmark = pytest.mark.slow
"""End to end: every test here talks to a real uvicorn over a socket."""


@pytest.fixture
def live(served: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on SQLite)."""
    return served


@pytest.fixture
def live_postgres(served_postgres: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on PostgreSQL)."""
    return served_postgres


# --- server-sent events ------------------------------------------------------------------


@contextmanager
def sse(
    live: LiveServer,
    method: str = "GET",
    *,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> Iterator[tuple[httpx.Response, Iterator[tuple[str, str]]]]:
    """A stream from ``/graphql/stream`` (as the office, unless ``headers`` say otherwise)
    and an iterator of its ``(event, data)`` pairs, comments skipped; a read that waits
    over 10 s fails with ``httpx.ReadTimeout``."""
    sent = {**live.auth(), **(headers or {})}
    with (
        httpx.Client(base_url=live.url, timeout=TIMEOUT) as client,
        client.stream(method, "/graphql/stream", headers=sent, **kwargs) as response,
    ):
        yield response, _sse_events(response.iter_lines())


def _sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    name: str = "message"
    data: list[str] = []
    for line in lines:
        if line.startswith(":"):
            continue
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)


def test_sse_replays_the_log_then_streams_new_events_as_next_events(live: LiveServer) -> None:
    live.token()  # issued (an event of the log) before the head is taken
    start = head(live)
    unit = register_unit(live)
    complaint = receive_complaint(live, unit["itemId"])
    query = "subscription($a: Int!) { ledgerEvents(after: $a) { position type itemType } }"
    variables = json.dumps({"a": start})
    with sse(live, params={"query": query, "variables": variables}) as (response, events):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name, data = next(events)
        assert name == "next"
        assert json.loads(data) == {
            "data": {
                "ledgerEvents": {
                    "position": unit["position"],
                    "type": "Registered",
                    "itemType": "Unit",
                }
            }
        }
        name, data = next(events)
        assert name == "next"
        assert json.loads(data) == {
            "data": {
                "ledgerEvents": {
                    "position": complaint["position"],
                    "type": "Received",
                    "itemType": "Complaint",
                }
            }
        }
        task = register_task(live, "sweep the market")
        name, data = next(events)
        assert name == "next"
        assert json.loads(data)["data"]["ledgerEvents"]["position"] == task["position"]


def test_an_sse_client_that_disconnects_leaves_the_feed(live: LiveServer) -> None:
    query = "subscription { ledgerEvents(after: 0) { position } }"
    with sse(live, params={"query": query}) as (response, events):
        assert response.status_code == 200
        assert next(events)[0] == "next"
        assert feed_subscribers(live) == 1
    eventually(lambda: feed_subscribers(live) == 0, "a closed stream leaves the feed")


def test_sse_over_post_with_variables_streams_the_overview(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    settle(live)
    body = {
        "query": "subscription($d: Date) { supervisionOverview(asOf: $d) "
        "{ channels { channel received } } }",
        "variables": {"d": None},
    }
    with sse(live, "POST", json=body) as (response, events):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name, data = next(events)
        assert name == "next"
        assert received_on(json.loads(data)["data"]["supervisionOverview"], "MEDIA") == 0
        receive_complaint(live, unit, channel="MEDIA")
        name, data = next(events)
        assert name == "next"
        assert received_on(json.loads(data)["data"]["supervisionOverview"], "MEDIA") == 1


def test_sse_ends_a_stream_that_fails_with_an_error_then_complete(live: LiveServer) -> None:
    query = "subscription { ledgerEvents(after: -1) { position } }"
    with sse(live, params={"query": query}) as (response, events):
        assert response.status_code == 200
        received = list(events)
    assert [name for name, _ in received] == ["next", "complete"]
    assert "after" in json.loads(received[0][1])["errors"][0]["message"]


@pytest.mark.parametrize(
    ("method", "request_kwargs"),
    [
        ("GET", {"params": {"query": "subscription { ledgerEvents( "}}),
        ("GET", {"params": {"query": "subscription { ledgerEventz { position } }"}}),
        ("GET", {"params": {}}),
        (
            "GET",
            {
                "params": {
                    "query": "subscription { ledgerEvents { position } }",
                    "variables": "{not json",
                }
            },
        ),
        (
            "GET",
            {
                "params": {
                    "query": "subscription { ledgerEvents { position } }",
                    "variables": "[1, 2]",
                }
            },
        ),
        ("POST", {"content": b"not json", "headers": {"content-type": "application/json"}}),
        ("POST", {"json": ["a", "list"]}),
        ("POST", {"json": {"query": 42}}),
        (
            "POST",
            {"json": {"query": "subscription { ledgerEvents { position } }", "operationName": 7}},
        ),
        (
            "GET",
            {
                "params": {"query": "subscription { ledgerEvents { position } }"},
                "headers": {"X-Ledger-Position": "soon"},
            },
        ),
        (
            "GET",
            {
                "params": {
                    "query": "subscription A { ledgerEvents { position } }",
                    "operationName": "B",
                }
            },
        ),
    ],
)
def test_sse_answers_a_bad_request_with_a_400_or_an_error_event_never_a_500(
    live: LiveServer, method: str, request_kwargs: dict[str, Any]
) -> None:
    with sse(live, method, **request_kwargs) as (response, events):
        assert response.status_code < 500
        if response.status_code == 400:
            response.read()
            assert response.json()["errors"][0]["message"]
            return
        assert response.status_code == 200
        received = list(events)
    assert received[-1][0] == "complete"
    assert any(
        name == "error" or (name == "next" and json.loads(data).get("errors"))
        for name, data in received
    )


def test_sse_given_a_query_instead_of_a_subscription_answers_it_or_says_why_not(
    live: LiveServer,
) -> None:
    with sse(live, params={"query": "{ __typename }"}) as (response, events):
        if response.status_code == 400:
            response.read()
            messages = [e["message"] for e in response.json()["errors"]]
        else:
            payload = json.loads(next(events)[1])
            if payload.get("data") == {"__typename": "Query"}:
                return  # answered, as graphql-transport-ws does
            messages = [e["message"] for e in payload["errors"]]
    assert "Unexpected error." not in messages
    assert not any("token" in m for m in messages), messages


def test_sse_without_a_token_or_with_an_unknown_one_streams_nothing(live: LiveServer) -> None:
    register_unit(live)
    query = "subscription { ledgerEvents(after: 0) { position } }"
    for headers in ({"authorization": ""}, {"authorization": "Bearer sl_not-a-token"}):
        with sse(live, params={"query": query}, headers=headers) as (response, events):
            assert response.status_code in (200, 401), response.status_code
            if response.status_code == 401:
                continue
            received = list(events)
        assert received[-1][0] == "complete"
        assert not any(json.loads(d).get("data") for n, d in received if n == "next")
