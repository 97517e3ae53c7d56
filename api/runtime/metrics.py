"""What the running service measures, for ``GET /metrics`` (the Prometheus text format).

One ``Metrics`` for each running service (``api.bootstrap.open_services``), with a registry
of its own, never the process's default one: two services in one process (the tests) count
apart. The request figures are counted as requests are answered; the positions (the log's
head, each projection, the in-process projector, the live feed) are read when Prometheus
scrapes (``api.runtime.position_metrics``). README "Operating the service" lists them all.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.registry import Collector

MAX_OPERATION_NAMES = 200
"""The most operation names the latency histogram keeps apart; later ones count as ``other``
(clients name their operations: a client naming each request anew must not grow the figures
without end)."""
OTHER = "other"
CONTENT_TYPE = CONTENT_TYPE_LATEST


class BoundedNames:
    """Label values as given, up to ``limit`` different ones; any after that is ``other``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if len(self._seen) >= self.limit:
            return OTHER
        self._seen.add(value)
        return value


class Metrics:
    """The service's figures, each method named for what happened."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        for standard in (ProcessCollector, PlatformCollector, GCCollector):
            standard(registry=self.registry)
        self._operation_names = BoundedNames(MAX_OPERATION_NAMES)
        self._operations = Histogram(
            "ledger_graphql_operation_seconds",
            "GraphQL operations, from their start to their answer (a subscription: to its "
            "start, not its life), by type and name (or root fields when unnamed)",
            ["operation_type", "operation_name"],
            registry=self.registry,
        )
        self._requests = Histogram(
            "ledger_http_request_seconds",
            "HTTP requests, from their start to their last byte, by method, route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self._mutations = Counter(
            "ledger_mutations",
            "Mutations answered, by root field and outcome (the result's __typename, or "
            "error for a GraphQL error)",
            ["mutation", "outcome"],
            registry=self.registry,
        )
        self._live_views(self.registry)

    def _live_views(self, registry: CollectorRegistry) -> None:
        self._subscriptions = Gauge(
            "ledger_live_subscriptions", "Open subscriptions, by view", ["view"], registry=registry
        )
        self._computed = Histogram(
            "ledger_live_view_compute_seconds",
            "How long a live view took to compute, by view",
            ["view"],
            registry=registry,
        )
        self._fanned_out = Histogram(
            "ledger_live_fan_out_seconds",
            "From a projection advance to the last subscriber's snapshot queued, by view",
            ["view"],
            registry=registry,
        )
        self._queued = Counter(
            "ledger_live_snapshots_queued",
            "Snapshots queued for subscribers, by view",
            ["view"],
            registry=registry,
        )
        self._dropped = Counter(
            "ledger_live_snapshots_dropped",
            "Snapshots replaced by a newer one before a slow subscriber took them, by view",
            ["view"],
            registry=registry,
        )

    def register(self, collector: Collector) -> None:
        """Add figures read at each scrape (``api.runtime.position_metrics``)."""
        self.registry.register(collector)

    def exposition(self) -> bytes:
        """Every figure, in the Prometheus text format (the scrape-time ones read now: call
        it off the event loop)."""
        return generate_latest(self.registry)

    def operation_answered(self, operation_type: str, name: str, seconds: float) -> None:
        """A GraphQL operation answered (``api.graphql.operation_metrics`` names it)."""
        label = self._operation_names(name)
        self._operations.labels(operation_type, label).observe(seconds)

    def request_served(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.labels(method, route, str(status)).observe(seconds)

    def mutation_answered(self, mutation: str, outcome: str) -> None:
        self._mutations.labels(mutation, outcome).inc()

    def subscription_opened(self, view: str) -> None:
        self._subscriptions.labels(view).inc()

    def subscription_closed(self, view: str) -> None:
        self._subscriptions.labels(view).dec()

    def view_computed(self, view: str, seconds: float) -> None:
        self._computed.labels(view).observe(seconds)

    def fanned_out(self, view: str, seconds: float, subscribers: int) -> None:
        """A view's new snapshot queued for ``subscribers`` subscribers, the last of them
        ``seconds`` after the projections advanced."""
        self._fanned_out.labels(view).observe(seconds)
        self._queued.labels(view).inc(subscribers)

    def snapshot_dropped(self, view: str) -> None:
        self._dropped.labels(view).inc()
