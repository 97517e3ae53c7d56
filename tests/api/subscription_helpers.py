"""Helpers for the subscription tests (test_subscription*.py): the documents, writes over HTTP,
reading the log and the audit trail, and graphql-transport-ws connections. Every receive has
a timeout, so a message that never comes fails instead of hanging; nothing asserts how fast a
message comes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from domain.ledger_base import CommandContext
from domain.legacy_issue import LegacyCategory
from domain.meta import Actor, Role
from tests.api.conftest import OFFICE as OFFICE_ACTOR
from tests.api.conftest import LiveServer
from tests.api.ws_client import TIMEOUT, GraphQLWS

EVENT_FIELDS = (
    "position itemId itemType version type occurredAt recordedAt actor { id role unit } data"
)
LEDGER_EVENTS = f"""
subscription($after: Int!, $filter: LiveEventFilter, $purpose: String) {{
  ledgerEvents(after: $after, filter: $filter, purpose: $purpose) {{ {EVENT_FIELDS} }}
}}"""
OVERVIEW = "subscription { supervisionOverview { asOf channels { channel received open } } }"
TOTALS = "subscription { legacyIssueTotals { asOf total baseline newSinceBaseline remaining } }"
ITEM_CHANGED = """
subscription($id: ID!) {
  itemChanged(id: $id) {
    __typename id version
    ... on Unit { name }
    ... on Task { title }
  }
}"""
OFFICE = Actor(id="office-wang", role=Role.OFFICE)
SUCCESS = (
    "__typename ... on MutationSuccess { itemId version position replayed } "
    "... on UserError { message }"
)


# --- writing ----------------------------------------------------------------------------


def _success(live: LiveServer, field: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = live.gql(query, variables)[field]
    assert result["__typename"] == "MutationSuccess", result
    return result


def register_unit(live: LiveServer, name: str | None = None) -> dict[str, Any]:
    return _success(
        live,
        "registerUnit",
        f"mutation($n: String!) {{ registerUnit(input: {{name: $n, kind: DEPARTMENT}}) "
        f"{{ {SUCCESS} }} }}",
        {"n": name or f"unit {uuid.uuid4().hex[:8]}"},
    )


def receive_complaint(
    live: LiveServer,
    unit: str,
    *,
    channel: str = "HOTLINE_12345",
    key: str | None = None,
    complainant: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A complaint; anonymous unless ``complainant`` gives a name and a phone (personal
    data: each clear read of it is recorded in the log as a Disclosure)."""
    name, phone = complainant or (None, None)
    return _success(
        live,
        "receiveComplaint",
        f"mutation($c: Channel!, $u: ID!, $k: String, $n: String, $p: String) {{ "
        f'receiveComplaint(input: {{channel: $c, summary: "road blocked", firstResponder: $u, '
        f"idempotencyKey: $k, complainantName: $n, complainantPhone: $p}}) {{ {SUCCESS} }} }}",
        {"c": channel, "u": unit, "k": key, "n": name, "p": phone},
    )


def register_task(live: LiveServer, title: str, task_id: str | None = None) -> dict[str, Any]:
    return _success(
        live,
        "registerTask",
        f"mutation($t: String!, $id: ID) {{ registerTask(input: "
        f"{{planYear: 2021, title: $t, taskId: $id}}) {{ {SUCCESS} }} }}",
        {"t": title, "id": task_id},
    )


def rename_unit(live: LiveServer, unit: str, name: str) -> dict[str, Any]:
    return _success(
        live,
        "renameUnit",
        f"mutation($u: ID!, $n: String!) {{ renameUnit(input: {{unitId: $u, name: $n}}) "
        f"{{ {SUCCESS} }} }}",
        {"u": unit, "n": name},
    )


def register_legacy_issue(live: LiveServer, unit: str, *, baseline: bool) -> dict[str, Any]:
    """Straight to the server's ledger, entered from an earlier record: the issues of the
    campaign have target years (2021, 2022, 2025) a command of today can no longer name."""
    written = live.services.ledger.register_legacy_issue(
        CommandContext(OFFICE, occurred_at=datetime(2021, 6, 1, 9, tzinfo=UTC), imported=True),
        title="unpaid land transfer",
        category=LegacyCategory.LAND,
        cause="records lost",
        responsible_unit=uuid.UUID(bare(unit)),
        target_year=2021,
        baseline=baseline,
    )
    return {
        "itemId": f"LegacyIssue:{written.item_id}",
        "version": written.version,
        "position": written.position,
        "replayed": written.replayed,
    }


def bare(global_id: str) -> str:
    """``Complaint:<uuid>`` -> ``<uuid>`` (events name items by their bare UUID)."""
    return global_id.rpartition(":")[2]


# --- reading ----------------------------------------------------------------------------


def head(live: LiveServer) -> int:
    return live.services.ledger.recorder.max_notification_id() or 0


def audit_trail(live: LiveServer, fields: str = EVENT_FIELDS) -> list[dict[str, Any]]:
    """Every event of the audit trail (``events``), once the read models hold the head."""
    events: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = live.gql(
            f"query($after: String) {{ events(first: 100, after: $after) {{ "
            f"nodes {{ {fields} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            {"after": after},
            position=head(live),
        )["events"]
        events.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return events
        after = page["pageInfo"]["endCursor"]


def settle(live: LiveServer) -> None:
    """Wait until the read models hold everything written so far (read your writes): a
    view's first snapshot is whatever they hold when it is taken."""
    live.gql("{ units { id } }", position=head(live))


def logged_positions(live: LiveServer, after: int = 0) -> list[int]:
    """The positions of the ledger's events after ``after`` (its receipts left out)."""
    notifications = live.services.ledger.recorder.select_notifications(
        start=after + 1, limit=1_000_000
    )
    return [n.id for n in notifications if not n.topic.startswith("domain.receipt:")]


def events_of(client: GraphQLWS, op_id: str, count: int) -> list[dict[str, Any]]:
    return [data["ledgerEvents"] for data in client.nexts(op_id, count)]


def end_of(client: GraphQLWS, op_id: str) -> list[str]:
    """Skip the results of ``op_id`` until it ends; the error messages it ended with."""
    for _ in range(20):
        message = client.message(op_id)
        if message["type"] == "error":
            return [e["message"] for e in message["payload"]]
        if message["type"] == "complete":
            return []
        if message["payload"].get("errors"):
            messages = [e["message"] for e in message["payload"]["errors"]]
            assert client.message(op_id)["type"] == "complete"
            return messages
    raise AssertionError(f"{op_id} did not end")


def feed_subscribers(live: LiveServer) -> int:
    """How many ledgerEvents subscriptions the server's live feed of the log serves, on
    their own or through shared feeds (a leak shows here)."""
    services = live.services
    return services.tail.subscriber_count + services.live_feeds.members


def eventually(check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.02)


def ws(live: LiveServer, actor: str = OFFICE_ACTOR) -> GraphQLWS:
    """A graphql-transport-ws connection authenticated as ``actor`` (``role:name[:unit]``)
    with a bearer token in its ``connection_init``."""
    server = live.ws_url if live.served is not None else live.client
    return GraphQLWS(server, payload=live.auth(actor))


def received_on(overview: dict[str, Any], channel: str) -> int:
    """How many complaints the overview counts as received on ``channel``."""
    (figures,) = [c for c in overview["channels"] if c["channel"] == channel]
    count: int = figures["received"]
    return count
