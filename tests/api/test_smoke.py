"""The server starts, answers, and stops."""

from __future__ import annotations

from tests.api.conftest import LiveServer


def test_a_fresh_server_is_healthy_and_ready_and_answers_a_query(live: LiveServer) -> None:
    assert live.client.get("/healthz").json() == {"status": "ok"}
    assert live.client.get("/readyz").json()["status"] == "ready"
    assert live.gql("{ __typename }") == {"__typename": "Query"}
