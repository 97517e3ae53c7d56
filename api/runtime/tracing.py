"""Tracing with OpenTelemetry, when ``LEDGER_TRACING`` asks for it (README "Operating the
service"): ``otlp`` sends spans to an OpenTelemetry collector over HTTP (protobuf), set up
by the standard ``OTEL_EXPORTER_OTLP_*`` variables (endpoint, headers, timeout) and named by
``OTEL_SERVICE_NAME`` (default ``supervision-ledger``) and ``OTEL_RESOURCE_ATTRIBUTES``;
``console`` prints them to standard output; ``off`` (the default) makes nothing.

Spans leave in batches from a thread of the SDK's (``BatchSpanProcessor``): a collector that
is slow or unreachable never holds a request up, and what it cannot take is dropped, never
queued without bound. Each service has a tracer provider of its own, never the process's
global one. A request gets a server span (Starlette's instrumentation) and, for GraphQL,
strawberry's spans under it (``api.graphql.observability.TracedOperations``). Nothing is
fetched: every exporter is in the installed packages.
"""

from __future__ import annotations

import sys
from typing import Any

from opentelemetry.instrumentation.starlette import StarletteInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span
from starlette.applications import Starlette

DEFAULT_SERVICE_NAME = "supervision-ledger"
URL_ATTRIBUTES = ("http.url", "url.full")
"""The attributes of a server span holding the whole URL (old and new conventions)."""
QUERY_ATTRIBUTE = "url.query"
NOT_RECORDED = "(not recorded)"


def tracer_provider_for(tracing: str) -> TracerProvider | None:
    """The tracer provider ``LEDGER_TRACING`` asks for (checked by ``api.settings``), or
    None for ``off``."""
    if tracing == "off":
        return None
    exporter = otlp_exporter() if tracing == "otlp" else ConsoleSpanExporter(out=sys.stdout)
    provider = TracerProvider(resource=service_resource())
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def otlp_exporter() -> SpanExporter:
    """The OTLP/HTTP exporter, as the ``OTEL_EXPORTER_OTLP_*`` variables set it up (imported
    here: a service that does not trace never loads it, nor ``requests`` and ``protobuf``)."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def service_resource() -> Resource:
    """What the spans say of the service: ``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES``
    as the SDK reads them, named ``supervision-ledger`` when they name nothing."""
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    return resource


def trace_requests(app: Starlette, provider: TracerProvider | None) -> None:
    """A server span for every request ``app`` serves, when tracing (called before it
    starts); the provider is kept as ``app.state.tracer_provider``."""
    app.state.tracer_provider = provider
    if provider is not None:
        StarletteInstrumentor.instrument_app(
            app, tracer_provider=provider, server_request_hook=without_query_string
        )


def stop_tracing(provider: TracerProvider | None) -> None:
    """Send the last spans (within the exporter's timeout) and stop, when tracing."""
    if provider is not None:
        provider.shutdown()


def without_query_string(span: Span, scope: dict[str, Any]) -> None:
    """A server span without the URL's query string: a GraphQL GET carries its document and
    variables there, which may hold personal data (a complainant's name)."""
    attributes = getattr(span, "attributes", None)
    if not scope.get("query_string") or not attributes:
        return
    for key in URL_ATTRIBUTES:
        if key in attributes:
            span.set_attribute(key, str(attributes[key]).split("?", 1)[0])
    if QUERY_ATTRIBUTE in attributes:
        span.set_attribute(QUERY_ATTRIBUTE, NOT_RECORDED)
