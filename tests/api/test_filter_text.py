"""Text in a list's filter that the ledger never records, through the real HTTP API.

Found by probing: a lone surrogate in ``events(filter: {actorId})`` (or any other text of a
filter) reached the database, which cannot encode it, and the answer was "Unexpected error.";
PostgreSQL cannot take a NUL either. Every such text is ``BAD_USER_INPUT`` naming the field,
on SQLite and PostgreSQL, sent as a variable (a GraphQL literal cannot hold a lone surrogate:
the parser refuses it as a syntax error).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import LiveServer, start_server, stop_server
from tests.conftest import _fresh_schema, settings_for

INTERNAL = "Unexpected error."

# (list, its filter's input type, the field): every text and id field of every list's filter.
TEXT_FIELDS = [
    ("events", "EventFilter", "actorId"),
    ("events", "EventFilter", "itemType"),
    ("events", "EventFilter", "eventType"),
    ("events", "EventFilter", "itemId"),
    ("events", "EventFilter", "unit"),
    ("assessments", "AssessmentFilter", "period"),
    ("tasks", "TaskFilter", "unit"),
    ("complaints", "ComplaintFilter", "unit"),
    ("legacyIssues", "LegacyIssueFilter", "unit"),
    ("interviews", "InterviewFilter", "unit"),
    ("referrals", "ReferralFilter", "unit"),
    ("assessments", "AssessmentFilter", "unit"),
    ("measures", "MeasureFilter", "unit"),
]
UNRECORDABLE = {
    "lone-surrogate": "a\ud800b",
    "low-surrogate": "\udfff",
    "nul": "a\x00b",
    "escape": "a\x1bb",
}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server per database for the module."""
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("filter-text")
        live = start_server(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"))
        yield live
        stop_server(live)
        return
    schemas = _fresh_schema()
    live = start_server(settings_for(next(schemas)))
    yield live
    stop_server(live)
    next(schemas, None)  # drops the schema


def post(server: LiveServer, query: str, variables: dict[str, Any]) -> httpx.Response:
    """A request whose JSON escapes what is not ASCII (as ``\\ud800``): a lone surrogate
    cannot be sent as UTF-8."""
    body = json.dumps({"query": query, "variables": variables})
    headers = {**server.auth(), "content-type": "application/json"}
    return server.client.post("/graphql", content=body, headers=headers)


@pytest.mark.parametrize("text", UNRECORDABLE.values(), ids=UNRECORDABLE.keys())
@pytest.mark.parametrize(("listing", "input_type", "field"), TEXT_FIELDS)
def test_a_filter_text_the_ledger_never_records_is_bad_input_naming_the_field(
    server: LiveServer, listing: str, input_type: str, field: str, text: str
) -> None:
    query = f"query($f: {input_type}) {{ {listing}(filter: $f, first: 5) {{ totalCount }} }}"

    response = post(server, query, {"f": {field: text}})

    assert response.status_code == 200, response.text
    (error,) = response.json()["errors"]
    assert error["message"] != INTERNAL, error
    assert error.get("extensions") == {"code": "BAD_USER_INPUT", "field": f"filter.{field}"}
    assert error["message"].startswith(f"filter.{field}: contains the character U+"), error


@pytest.mark.parametrize(
    "text", ["a\tb", "a\nb", "受理 · 区住建局 🏛"], ids=["tab", "newline", "cjk"]
)
def test_a_filter_text_the_ledger_records_is_still_answered(server: LiveServer, text: str) -> None:
    query = "query($f: EventFilter) { events(filter: $f, first: 5) { totalCount } }"

    response = post(server, query, {"f": {"actorId": text, "eventType": text}})

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"events": {"totalCount": 0}}}
