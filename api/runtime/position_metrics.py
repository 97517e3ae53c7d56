"""Where the log and its readers stand, read when Prometheus scrapes: the log's head, each
projection's recorded position and how many events it is behind, the projections this
process runs (or watches), the live feed with its subscribers, and the shared live views.

A scrape reads the database (the head, the projections' status rows): ``Metrics.exposition``
runs off the event loop. A database that cannot be read says so in
``ledger_positions_readable`` (0) instead of failing the scrape, so the request figures
still reach Prometheus while it is down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from eventsourcing.persistence import PersistenceError
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.exc import SQLAlchemyError

from api.runtime.live_feeds import LiveFeeds
from api.runtime.live_views import LiveViews
from api.runtime.log_tail import LogTail
from api.runtime.projector import Projector
from domain.drivers import postgres_connection_errors
from projections.status import Status

LOG = logging.getLogger("ledger.metrics")


READABLE = "1: the log's head and the projections' positions were read; 0: they could not be"


def _unreadable() -> tuple[type[Exception], ...]:
    """The errors of a database that cannot be read now: the log's, the read models', and
    psycopg's where it was loaded."""
    return (PersistenceError, SQLAlchemyError, *postgres_connection_errors())


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


class LogPositions:
    """A prometheus_client collector of the positions (``Collector.collect``)."""

    def __init__(
        self, projector: Projector, tail: LogTail, live_views: LiveViews, live_feeds: LiveFeeds
    ) -> None:
        self.projector, self.tail = projector, tail
        self.live_views, self.live_feeds = live_views, live_feeds

    def collect(self) -> Iterator[Metric]:
        yield from self._in_process(self.projector.position)
        try:
            head = self.projector.runner.head()
            statuses = self.projector.runner.status()
        except _unreadable() as error:
            LOG.warning("reading the positions for /metrics failed: %s", error)
            yield _gauge("ledger_positions_readable", READABLE, 0)
            return
        yield _gauge("ledger_positions_readable", READABLE, 1)
        yield _gauge("ledger_log_head_position", "The log's last position", head)
        yield _gauge(
            "ledger_projector_lag_events",
            "Events the projections this process runs (or watches) are behind the head",
            max(head - self.projector.position, 0),
        )
        yield _gauge(
            "ledger_live_feed_lag_events",
            "Events the live feed is behind the head",
            max(head - self.tail.position, 0),
        )
        yield from self._projections(head, statuses)

    def _in_process(self, projector_position: int) -> Iterator[Metric]:
        yield _gauge(
            "ledger_projector_position",
            "The position every projection this process runs (or watches) has reached",
            projector_position,
        )
        yield _gauge(
            "ledger_live_feed_position",
            "The last position the live feed handed out",
            self.tail.position,
        )
        yield _gauge(
            "ledger_live_feed_subscribers",
            "Subscribers to the live feed of the log (one for each ledgerEvents subscription, "
            "on its own or through a shared feed)",
            self.tail.subscriber_count + self.live_feeds.members,
        )
        yield _gauge(
            "ledger_live_feeds_shared",
            "Distinct ledgerEvents feeds followed, each event answered once for their subscribers",
            self.live_feeds.feeds,
        )
        yield _gauge(
            "ledger_live_views_shared",
            "Distinct live views followed, each worked out once per change for its subscribers",
            self.live_views.views,
        )

    @staticmethod
    def _projections(head: int, statuses: Sequence[Status]) -> Iterator[Metric]:
        position = GaugeMetricFamily(
            "ledger_projection_position",
            "The last position each projection applied, as its status row records it",
            labels=["projection"],
        )
        lag = GaugeMetricFamily(
            "ledger_projection_lag_events",
            "Events each projection is behind the log's head",
            labels=["projection"],
        )
        stopped = GaugeMetricFamily(
            "ledger_projection_stopped",
            "1: the projection stopped on an event (`ledger projections` says why)",
            labels=["projection"],
        )
        for status in statuses:
            position.add_metric([status.name], status.position)
            lag.add_metric([status.name], max(head - status.position, 0))
            stopped.add_metric([status.name], int(status.failed_position is not None))
        yield from (position, lag, stopped)
