"""Fuzzing GraphQL requests over HTTP POST: random bodies and content types, random query
strings, queries and mutations built from the schema's own names with arguments of every
wrong kind, and requests over the limits. Every answer passes the harness's checks
(tests/api/fuzz_harness.py): no 5xx, no traceback or path, no internal error, nothing
written unless a mutation succeeded, the server still up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, get_named_type
from hypothesis import given
from hypothesis import strategies as st

from tests.api.conftest import LiveServer
from tests.api.fuzz_documents import bodies, mutation_document, schema_query, soup
from tests.api.fuzz_harness import (
    MAX_BODY_BYTES,
    MUTATION_TYPE,
    MUTATIONS,
    RESULT,
    Fuzzed,
    Sent,
    encode,
    fuzz,
    fuzzing,
    post,
)
from tests.api.fuzz_values import strings, unicode_text, value_of

pytestmark = pytest.mark.slow
"""End to end: every test here talks to a real uvicorn over a socket."""


@pytest.fixture
def live(served: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on SQLite)."""
    return served


@pytest.fixture
def live_postgres(served_postgres: LiveServer) -> LiveServer:
    """The server, served by uvicorn (on PostgreSQL)."""
    return served_postgres


CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "text/plain",
    "",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "application/graphql",
    "application/x-www-form-urlencoded",
    "application/json;;;",
    "*/*",
    "application/jsonx",
]


@pytest.fixture
def fuzzed(live: LiveServer) -> Iterator[Fuzzed]:
    """The harness on a server of this test's own (shared by all its examples)."""
    with fuzzing(live) as harness:
        yield harness


@fuzz(100)
@given(
    body=bodies,
    content_type=st.one_of(st.just("application/json"), st.sampled_from(CONTENT_TYPES)),
)
def test_random_bodies_get_no_server_error_and_write_nothing(
    fuzzed: Fuzzed, body: bytes, content_type: str
) -> None:
    headers = {**fuzzed.office_auth(), "content-type": content_type}
    fuzzed.send(Sent("POST", "/graphql", headers, body))


@fuzz(100)
@given(
    query=st.one_of(strings, soup, st.text(max_size=300)),
    who=st.sampled_from(["office", "viewer", "unit"]),
)
def test_random_query_strings_are_answered_without_an_internal_error(
    fuzzed: Fuzzed, query: str, who: str
) -> None:
    fuzzed.send(post(fuzzed, {"query": query}, who))


@fuzz(100)
@given(query=schema_query(), who=st.sampled_from(["office", "viewer", "unit", "leader"]))
def test_queries_of_the_schemas_own_fields_with_hostile_arguments_get_no_internal_error(
    fuzzed: Fuzzed, query: str, who: str
) -> None:
    fuzzed.send(post(fuzzed, {"query": query}, who))


def giant(size: int) -> str:
    return ("界" if size % 2 else "x") * size


over_the_limits = st.one_of(
    st.integers(13, 200).map(  # deeper than 12
        lambda n: "{ units { " + "mergedInto { " * n + "id" + " }" * n + " } }"
    ),
    st.integers(1, 80).map(
        lambda n: (
            "{ tasks { edges { node { leadUnits { "
            + "mergedInto { " * n
            + "id"
            + " }" * n
            + " } } } } }"
        )
    ),
    st.integers(31, 600).map(  # more than 30 aliases
        lambda n: "{ " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"
    ),
    st.integers(31, 300).map(
        lambda n: "{ units { " + " ".join(f"a{i}: name" for i in range(n)) + " } }"
    ),
    st.integers(2001, 20_000).map(lambda n: "{ " + "__typename " * n + "}"),  # tokens
    st.integers(1000, 300_000).map(lambda n: "{ " + "a" * n + " }"),  # a long name
    st.integers(5, 100_000).map(lambda n: "{ tasks(first: " + "9" * n + ") { totalCount } }"),
    st.integers(5, 100_000).map(lambda n: '{ node(id: "' + giant(n) + '") { id } }'),
    st.integers(5, 300_000).map(
        lambda n: '{ unitScorecards(period: "' + giant(n) + '") { name } }'
    ),
    st.integers(100, 3000).map(  # nested input literals
        lambda n: "{ tasks(filter: {states: " + "[" * n + "]" * n + "}) { totalCount } }"
    ),
    st.integers(2, 200).map(  # fragments spreading each other
        lambda n: (
            "query { ...F0 } "
            + " ".join(f"fragment F{i} on Query {{ ...F{(i + 1) % n} }}" for i in range(n))
        )
    ),
    st.integers(2, 100).map(
        lambda n: (
            "{ units { ...U0 } } "
            + " ".join(
                f"fragment U{i} on Unit {{ mergedInto {{ ...U{(i + 1) % n} }} }}" for i in range(n)
            )
        )
    ),
    st.integers(1, 20).map(
        lambda n: "{ __schema { types { " + "fields { type { " * n + "name" + " } }" * n + " } } }"
    ),
    unicode_text.map(lambda s: "{ __typename " + s + " }"),
)


@fuzz(50)
@given(query=over_the_limits)
def test_queries_over_the_depth_alias_and_token_limits_are_refused_and_the_server_stays_up(
    fuzzed: Fuzzed, query: str
) -> None:
    response = fuzzed.send(post(fuzzed, {"query": query}))
    assert response.status_code in (200, 400, 413), response.text[:500]


@st.composite
def giant_mutation(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A valid-looking mutation with one huge string in its input."""
    name = draw(st.sampled_from(MUTATIONS))
    input_type = MUTATION_TYPE.fields[name].args["input"].type
    given = draw(value_of(input_type, 0))
    if not isinstance(given, dict):
        given = {}
    named = get_named_type(input_type)
    assert isinstance(named, GraphQLInputObjectType)
    target = draw(st.sampled_from(sorted(named.fields)))
    given[target] = giant(draw(st.integers(10_000, 300_000)))
    document = f"mutation($i: {input_type}) {{ {name}(input: $i) {{ {RESULT} }} }}"
    return document, {"i": given}


@fuzz(100)
@given(
    request=st.one_of(mutation_document(), giant_mutation()),
    who=st.sampled_from(
        ["office", "office", "office", "viewer", "unit", "leader", "inspector", "nobody", "garbage"]
    ),
    garbage=st.one_of(
        st.just("Bearer " + "a" * 64),
        st.just("Bearer"),
        st.just("Basic Zm9vOmJhcg=="),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=80).map(
            lambda s: ("Bearer " + s).strip()
        ),
        st.uuids().map(lambda u: f"Bearer {u}"),
    ),
)
def test_mutations_with_random_inputs_write_only_when_they_succeed(
    fuzzed: Fuzzed, request: tuple[str, dict[str, Any]], who: str, garbage: str
) -> None:
    document, variables = request
    payload = {"query": document, "variables": variables}
    if who == "garbage":
        sent = Sent("POST", "/graphql", {"authorization": garbage}, encode(payload))
    else:
        sent = post(fuzzed, payload, who)
    response = fuzzed.send(sent)
    if who in ("nobody", "garbage"):
        assert response.status_code in (401, 413), response.text
    elif who == "viewer" and response.status_code == 200:
        assert "MutationSuccess" not in response.text, response.text  # viewers only read


def test_a_body_over_one_megabyte_is_refused_with_413_and_writes_nothing(
    fuzzed: Fuzzed,
) -> None:
    name = giant(MAX_BODY_BYTES)
    payload = {
        "query": "mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { __typename } }",
        "variables": {"i": {"name": name, "kind": "DEPARTMENT"}},
    }
    before = fuzzed.head()
    response = fuzzed.send(post(fuzzed, payload))
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert fuzzed.head() == before
