"""``GET /metrics``: what an operator's Prometheus reads (README "Operating the service").

Each test reads the figures as Prometheus would (prometheus_client's own parser of the
text format) from a server of its own, so the counts start at nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.graphql.observability import counted
from api.runtime.metrics import MAX_OPERATION_NAMES, Metrics
from tests.api.conftest import VIEWER, LiveServer, serve_options, start_server, stop_server
from tests.api.subscription_helpers import (
    ITEM_CHANGED,
    LEDGER_EVENTS,
    OVERVIEW,
    eventually,
    register_unit,
    ws,
)
from tests.conftest import settings_for

Figures = dict[str, dict[tuple[tuple[str, str], ...], float]]
REGISTER_UNIT = (
    'mutation { registerUnit(input: {name: "区市场监管局", kind: DEPARTMENT}) { __typename } }'
)


def figures_of(text: str) -> Figures:
    figures: Figures = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            figures.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return figures


def scrape(live: LiveServer, **headers: str) -> Figures:
    response = live.client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return figures_of(response.text)


def figure(figures: Figures, name: str, **labels: str) -> float:
    return figures.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


def by_projection(figures: Figures, name: str) -> dict[str, float]:
    return {dict(labels)["projection"]: value for labels, value in figures[name].items()}


def test_metrics_count_each_operation_by_type_and_name_and_each_mutation_by_outcome(
    live: LiveServer,
) -> None:
    live.gql("query UnitList { units { id } }")
    live.gql("{ units { name } }")
    live.gql("{ __typename units { id } }")
    assert "errors" in live.post("{ noSuchField }").json()
    assert "errors" in live.post("{ units ").json()
    register_unit(live)
    refused = live.post(REGISTER_UNIT, actor=VIEWER).json()["data"]["registerUnit"]
    assert refused["__typename"] == "Forbidden"

    figures = scrape(live)
    operations = "ledger_graphql_operation_seconds_count"
    assert figure(figures, operations, operation_type="query", operation_name="UnitList") == 1
    assert figure(figures, operations, operation_type="query", operation_name="units") == 1
    assert figure(figures, operations, operation_type="query", operation_name="__typename,units")
    assert figure(figures, operations, operation_type="unknown", operation_name="invalid") == 2
    assert (
        figure(figures, operations, operation_type="mutation", operation_name="registerUnit") == 2
    )
    mutations = "ledger_mutations_total"
    assert figure(figures, mutations, mutation="registerUnit", outcome="MutationSuccess") == 1
    assert figure(figures, mutations, mutation="registerUnit", outcome="Forbidden") == 1
    requests = figure(
        figures, "ledger_http_request_seconds_count", method="POST", route="/graphql", status="200"
    )
    assert requests == 7


def test_requests_are_timed_by_their_route_not_their_path(live: LiveServer) -> None:
    assert live.client.get("/no/such/page/4711").status_code == 404
    live.client.get("/healthz")

    figures = scrape(live)
    requests = "ledger_http_request_seconds_count"
    assert figure(figures, requests, method="GET", route="unmatched", status="404") == 1
    assert figure(figures, requests, method="GET", route="/healthz", status="200") == 1
    paths = {dict(labels)["route"] for labels in figures[requests]}
    assert not any("4711" in path for path in paths)


def test_operation_names_past_the_limit_count_together_as_other() -> None:
    metrics = Metrics()
    for number in range(MAX_OPERATION_NAMES + 5):
        metrics.operation_answered("query", f"Named{number}", 0.01)
    metrics.operation_answered("query", "Named0", 0.01)

    figures = figures_of(metrics.exposition().decode())
    operations = "ledger_graphql_operation_seconds_count"
    assert figure(figures, operations, operation_type="query", operation_name="other") == 5
    assert figure(figures, operations, operation_type="query", operation_name="Named0") == 2
    assert len(figures[operations]) == MAX_OPERATION_NAMES + 1


def test_a_mutation_that_raises_is_counted_as_an_error() -> None:
    metrics = Metrics()
    context: Any = SimpleNamespace(services=SimpleNamespace(metrics=metrics))

    async def failing() -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        asyncio.run(counted(context, "registerUnit", failing()))

    figures = figures_of(metrics.exposition().decode())
    assert figure(figures, "ledger_mutations_total", mutation="registerUnit", outcome="error") == 1


@pytest.fixture
def lagging(sqlite_url: str) -> Iterator[LiveServer]:
    """A server that runs no projections: they move only when the test runs them."""
    server = start_server(settings_for(sqlite_url), serve_options(projections=False))
    yield server
    stop_server(server)


def test_projection_positions_and_lag_follow_the_log_until_the_projections_catch_up(
    lagging: LiveServer,
) -> None:
    live = lagging
    live.token()  # its issue is in the log too
    before = by_projection(scrape(live), "ledger_projection_position")
    head = [register_unit(live)["position"] for _ in range(3)][-1]

    behind = scrape(live)
    assert behind["ledger_positions_readable"][()] == 1
    assert behind["ledger_log_head_position"][()] == head
    assert by_projection(behind, "ledger_projection_position") == before
    lag = by_projection(behind, "ledger_projection_lag_events")
    assert lag == {name: head - position for name, position in before.items()}
    assert set(by_projection(behind, "ledger_projection_stopped").values()) == {0}
    assert (
        behind["ledger_projector_lag_events"][()] == head - behind["ledger_projector_position"][()]
    )

    live.services.projector.runner.catch_up()

    caught_up = scrape(live)
    assert set(by_projection(caught_up, "ledger_projection_position").values()) == {head}
    assert set(by_projection(caught_up, "ledger_projection_lag_events").values()) == {0}
    eventually(
        lambda: scrape(live)["ledger_projector_position"][()] == head,
        "the watching projector sees the positions the projections recorded",
    )
    eventually(
        lambda: scrape(live)["ledger_live_feed_position"][()] == head,
        "the live feed reaches the head",
    )
    assert scrape(live)["ledger_live_feed_lag_events"][()] == 0


def test_open_subscriptions_are_counted_by_view_until_they_end(live: LiveServer) -> None:
    unit = register_unit(live)["itemId"]
    with ws(live) as client:
        events = client.subscribe(LEDGER_EVENTS, {"after": 0})
        client.next(events)
        item = client.subscribe(ITEM_CHANGED, {"id": unit})
        client.next(item)
        overview = client.subscribe(OVERVIEW)
        client.next(overview)

        figures = scrape(live)
        for view in ("ledgerEvents", "itemChanged", "supervisionOverview"):
            assert figure(figures, "ledger_live_subscriptions", view=view) == 1, view
        assert figures["ledger_live_feed_subscribers"][()] == 1
        assert figures["ledger_live_views_shared"][()] == 1
        computed = "ledger_live_view_compute_seconds_count"
        assert figure(figures, computed, view="supervisionOverview") >= 1

        for op_id in (events, item, overview):
            client.stop(op_id)

        def all_closed() -> bool:
            now = scrape(live)
            return set(now["ledger_live_subscriptions"].values()) == {0} and (
                now["ledger_live_feed_subscribers"][()] == 0
            )

        eventually(all_closed, "every subscription counted closed")


def test_metrics_ask_for_the_bearer_token_when_one_is_set(sqlite_url: str) -> None:
    settings = replace(settings_for(sqlite_url), metrics_token="scrape-7f3a")
    live = start_server(settings)
    try:
        refused = live.client.get("/metrics")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert (
            live.client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code
            == 401
        )
        assert live.client.get("/metrics", headers=live.auth()).status_code == 401  # a user's token
        figures = scrape(live, authorization="Bearer scrape-7f3a")
        assert "ledger_log_head_position" in figures
    finally:
        stop_server(live)


def test_metrics_are_open_when_no_token_is_set(live: LiveServer) -> None:
    assert "ledger_log_head_position" in scrape(live)
