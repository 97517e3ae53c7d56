"""Tracing (``LEDGER_TRACING``): a request's server span, strawberry's spans under it, what
they leave out, and a collector that cannot be reached.

The spans are read from an in-memory exporter the test adds to the service's own tracer
provider (``app.state.tracer_provider``), beside the exporter the setting chose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from api.runtime.tracing import tracer_provider_for
from api.settings import ConfigError, Settings
from tests.api.conftest import LiveServer, start_server, stop_server
from tests.api.subscription_helpers import eventually
from tests.conftest import settings_for

SECRET = "张三-13800000000"
"""Personal data, as a client might write it into a document or a variable."""


@pytest.fixture
def traced(sqlite_url: str) -> Iterator[tuple[LiveServer, InMemorySpanExporter]]:
    """A server tracing to the console, its spans also kept in memory for the test."""
    live = start_server(replace(settings_for(sqlite_url), tracing="console"))
    spans = InMemorySpanExporter()
    provider: TracerProvider = live.app.state.tracer_provider
    provider.add_span_processor(SimpleSpanProcessor(spans))
    yield live, spans
    stop_server(live)


def named(spans: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.name == name]


def test_a_graphql_request_makes_a_server_span_with_strawberrys_spans_under_it(
    traced: tuple[LiveServer, InMemorySpanExporter],
) -> None:
    live, spans = traced
    live.gql("query UnitList { units { id } }")

    eventually(lambda: bool(named(spans, "POST /graphql")), "the request's server span")
    (server,) = named(spans, "POST /graphql")
    (operation,) = named(spans, "GraphQL Query: UnitList")
    assert server.kind is SpanKind.SERVER
    assert server.attributes is not None and server.attributes["http.route"] == "/graphql"
    assert operation.parent is not None and server.context is not None
    assert operation.parent.span_id == server.context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.attributes["graphql.operation.name"] == "UnitList"
    under_operation = {
        span.name
        for span in spans.get_finished_spans()
        if span.parent is not None and span.parent.span_id == operation.context.span_id
    }
    assert {"GraphQL Parsing", "GraphQL Validation"} <= under_operation


def test_spans_carry_neither_the_document_nor_the_arguments_nor_the_query_string(
    traced: tuple[LiveServer, InMemorySpanExporter],
) -> None:
    live, spans = traced
    find = "query Find($id: ID!) { node(id: $id) { id } }"
    live.post('{ node(id: "Unit:' + SECRET + '") { id } }')
    live.post(find, {"id": f"Unit:{SECRET}"})
    variables = json.dumps({"id": f"Unit:{SECRET}"})
    got = live.client.get(
        "/graphql", params={"query": find, "variables": variables}, headers=live.auth()
    )
    assert got.status_code == 200, got.text

    eventually(lambda: len(named(spans, "GET /graphql")) == 1, "the GET's server span")
    assert len(named(spans, "POST /graphql")) == 2
    for span in spans.get_finished_spans():
        for key, value in (span.attributes or {}).items():
            assert SECRET not in str(value), (span.name, key)
            assert "13800000000" not in str(value), (span.name, key)


def test_console_tracing_prints_the_spans(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    live = start_server(replace(settings_for(sqlite_url), tracing="console"))
    try:
        live.gql("query UnitList { units { id } }")
        provider: TracerProvider = live.app.state.tracer_provider
        assert provider.force_flush()
        printed = capsys.readouterr().out
    finally:
        stop_server(live)
    assert '"name": "POST /graphql"' in printed
    assert '"name": "GraphQL Query: UnitList"' in printed
    assert '"service.name": "supervision-ledger"' in printed


def test_a_collector_that_cannot_be_reached_fails_no_request(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")  # nothing listens
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1")  # the last batch given up at once
    live = start_server(replace(settings_for(sqlite_url), tracing="otlp"))
    try:
        for _ in range(3):
            assert live.gql("{ units { id } }") == {"units": []}
        assert live.app.state.tracer_provider is not None
    finally:
        stop_server(live)


def test_without_tracing_nothing_is_traced(live: LiveServer) -> None:
    assert live.app.state.tracer_provider is None
    assert tracer_provider_for("off") is None


def test_tracing_is_off_unless_the_setting_asks_for_it() -> None:
    assert Settings.from_environ({}).tracing == "off"
    assert Settings.from_environ({"LEDGER_TRACING": " OTLP "}).tracing == "otlp"
    assert Settings.from_environ({"LEDGER_TRACING": "console"}).tracing == "console"


def test_a_tracing_setting_it_does_not_know_is_refused_naming_the_choices() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_environ({"LEDGER_TRACING": "jaeger"})
    assert str(refused.value) == "LEDGER_TRACING: 'jaeger' is not one of off, otlp, console"


def test_the_metrics_token_is_read_with_the_rest_of_the_settings() -> None:
    assert Settings.from_environ({}).metrics_token == ""
    assert Settings.from_environ({"LEDGER_METRICS_TOKEN": " s3 "}).metrics_token == "s3"
