"""Helpers shared by the API tests: a mutation sent by name through the real HTTP API, acts
entered straight into the server's ledger (as imports, on business dates of the tests' own
choosing), waiting for the read models, and walking a list page by page."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import httpx
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.calendar import CHINA_TIME
from domain.ledger_base import CommandContext
from domain.log_tables import events_table, run_sql
from domain.meta import Actor, Role
from tests.api.conftest import OFFICE, LiveServer

SEEDER = Actor("office-seed", Role.OFFICE)
"""Who enters the tests' earlier records straight into the ledger."""

RESULT = """
    __typename
    ... on UserError { message }
    ... on MutationSuccess { itemId version position replayed item { __typename id version %s } }
    ... on ValidationError { field }
    ... on NotFound { itemType missingId: itemId }
    ... on ConcurrencyConflict { conflictItemId: itemId expectedVersion currentVersion }
    ... on InvalidTransition { itemType state step }
    ... on Forbidden { action role }
    ... on AlreadyExists { itemType key }
    ... on IdempotencyKeyReused { key }
    ... on RateLimited { retryAfterSeconds }
"""
"""Every member of ``MutationResult`` with all its fields (``itemId`` is aliased where its
type differs from the success payload's)."""


def mutation_document(name: str, item_fields: str = "") -> str:
    """``mutation($input: NameInput!) { name(input: $input) { ...every result... } }``."""
    input_type = name[0].upper() + name[1:] + "Input"
    return (
        f"mutation Run($input: {input_type}!) {{ {name}(input: $input) {{"
        + RESULT % item_fields
        + "} }"
    )


def mutate(
    live: LiveServer,
    name: str,
    given: dict[str, Any],
    *,
    actor: str | None = OFFICE,
    item_fields: str = "",
) -> dict[str, Any]:
    """The ``MutationResult`` of mutation ``name`` with ``input: given``."""
    data = live.gql(mutation_document(name, item_fields), {"input": given}, actor=actor)
    result: dict[str, Any] = data[name]
    return result


def mutate_with(
    client: httpx.Client, name: str, given: dict[str, Any], *, auth: dict[str, str]
) -> dict[str, Any]:
    """The same through another HTTP client (a second user of the service), sending the
    ``Authorization`` header ``auth`` (``live.auth(actor)``)."""
    response = client.post(
        "/graphql",
        json={"query": mutation_document(name), "variables": {"input": given}},
        headers=auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"][name]
    return result


ACCESS_TOPICS = "domain.access:%"
"""The topics of the service's own records (AccessToken and Disclosure events): issuing a
token or showing personal data in clear writes them, whatever else a request does."""


def head(live: LiveServer) -> int:
    """The position of the newest entry of the log that is neither an AccessToken nor a
    Disclosure event (0 when there is none): what a refused request must leave as it was."""
    recorder = live.services.ledger.recorder
    position = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    rows = run_sql(
        recorder,
        f"SELECT MAX({position}) FROM {events_table(recorder)} WHERE topic NOT LIKE ?",
        (ACCESS_TOPICS,),
    )
    return int(rows[0][0] or 0)


def last(live: LiveServer) -> int:
    """The position of the newest entry of the log, whatever it is (0 when it is empty)."""
    return live.services.ledger.recorder.max_notification_id() or 0


def caught_up(live: LiveServer, actor: str = OFFICE) -> int:
    """Wait until the read models include everything in the log (``actor``'s token issued
    first); return the position of the newest entry other than the service's own records."""
    live.token(actor)
    live.gql("{ units(includeMerged: true) { id } }", actor=actor, position=last(live))
    return head(live)


def gid(item_type: str, item_id: UUID | str) -> str:
    """The global id of an item, as ``Task:<uuid>``."""
    return f"{item_type}:{item_id}"


def beijing(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day``, Beijing time."""
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA_TIME)


def on(
    day: date, *, actor: Actor = SEEDER, hour: int = 10, key: str | None = None
) -> CommandContext:
    """An act entered from an earlier record, as happening at ``hour`` (Beijing) on ``day``."""
    return CommandContext(actor, occurred_at=beijing(day, hour), imported=True, idempotency_key=key)


def now() -> CommandContext:
    """An act happening now, entered by the office."""
    return CommandContext(SEEDER)


def walk(
    live: LiveServer,
    field: str,
    *,
    first: int,
    selection: str = "id",
    filter_type: str | None = None,
    given_filter: dict[str, Any] | None = None,
    after: str | None = None,
    position: int | None = None,
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Every node of list ``field``, following ``endCursor`` page by page from ``after``;
    with each page's ``pageInfo`` and ``totalCount``."""
    filter_variable = f", $filter: {filter_type}" if filter_type else ""
    filter_argument = ", filter: $filter" if filter_type else ""
    query = (
        f"query Page($first: Int, $after: String{filter_variable}) {{"
        f" {field}(first: $first, after: $after{filter_argument}) {{"
        f" totalCount edges {{ cursor node {{ {selection} }} }}"
        " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
    )
    nodes: list[Any] = []
    pages: list[dict[str, Any]] = []
    while True:
        variables: dict[str, Any] = {"first": first, "after": after}
        if filter_type:
            variables["filter"] = given_filter or {}
        page = live.gql(query, variables, position=position)[field]
        nodes += [edge["node"] for edge in page["edges"]]
        pages.append({"totalCount": page["totalCount"], **page["pageInfo"]})
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, pages
        after = page["pageInfo"]["endCursor"]
