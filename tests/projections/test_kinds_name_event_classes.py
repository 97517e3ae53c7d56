"""The projections tell events apart by their classes, the very classes the log's events
are decoded as (an aggregate's own subclass of each event, not the base it inherits:
a table keyed by the base would never match), never by a name written as a string."""

from __future__ import annotations

from eventsourcing.utils import get_topic, resolve_topic

from projections.complaint_kind import DEADLINE_EVENTS
from projections.kinds import TASK_ACTIVITY
from projections.topics import topics_of


def test_the_task_activity_table_is_keyed_by_the_classes_task_events_are_decoded_as() -> None:
    decoded = {resolve_topic(topic) for topic in topics_of(["Task"])}
    assert set(TASK_ACTIVITY) <= decoded
    assert all(resolve_topic(get_topic(event)) is event for event in TASK_ACTIVITY)


def test_the_deadline_events_are_the_classes_complaint_events_are_decoded_as() -> None:
    decoded = {resolve_topic(topic) for topic in topics_of(["Complaint"])}
    assert set(DEADLINE_EVENTS) <= decoded
