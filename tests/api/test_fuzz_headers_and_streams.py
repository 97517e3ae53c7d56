"""Fuzzing the rest of the HTTP surface: hostile headers and X-Ledger-Position values, GET
requests with junk parameters, the event stream endpoint, and raw HTTP/1.1 requests with
lying Content-Length claims (a real server: the bytes go over a socket). Every answer passes
the harness's checks (tests/api/fuzz_harness.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.conftest import LiveServer
from tests.api.fuzz_documents import (
    bodies,
    envelopes,
    mutation_document,
    schema_query,
    selection,
    soup,
)
from tests.api.fuzz_harness import (
    MAX_BODY_BYTES,
    SUBSCRIPTION_TYPE,
    Fuzzed,
    Sent,
    encode,
    fuzz,
    fuzzing,
    post,
)
from tests.api.fuzz_values import PLAUSIBLE, SURROGATE_CHAR, json_values, small_text, strings

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


TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VISIBLE = [*range(0x21, 0x7F), *range(0x80, 0x100)]
header_values = st.lists(st.sampled_from([*VISIBLE, 0x20, 0x09]), max_size=60).map(
    lambda b: bytes(b).strip(b" \t")
)
"""Any value HTTP/1.1 lets a header carry (obs-text included)."""


@pytest.fixture
def fuzzed(live: LiveServer) -> Iterator[Fuzzed]:
    """The harness on a server of this test's own (shared by all its examples)."""
    with fuzzing(live) as harness:
        yield harness


def header_bytes(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


positions = st.one_of(
    st.integers(0, 3).map(str).map(header_bytes),  # up to the head: no wait
    st.sampled_from(
        [
            "-1",
            "+1",
            "1.0",
            "1e3",
            "0x10",
            "",
            "NaN",
            "1,2",
            "١",
            "²",
            "¹",
            "9" * 4301,
            "9" * 20,
            "1 2",
        ]
    ).map(header_bytes),
    header_values,
)
"""X-Ledger-Position values; a position past the head is left out (it waits 5 s)."""
header_names = st.one_of(
    st.sampled_from(
        [
            "x-ledger-position",
            "content-type",
            "authorization",
            "origin",
            "accept",
            "accept-encoding",
            "cookie",
            "x-forwarded-for",
            "expect",
            "x-ledger-actor",
            "sec-websocket-protocol",
            "upgrade",
            "range",
        ]
    ),
    st.text(TOKEN_CHARS, min_size=1, max_size=20),
)
hostile_headers = st.dictionaries(header_names, header_values, max_size=5)


@fuzz(100)
@given(
    headers=hostile_headers,
    position=st.one_of(st.none(), positions),
    who=st.sampled_from(["office", "viewer", "nobody"]),
    query=st.sampled_from(
        [
            "{ __typename }",
            'mutation { urgeTask(input: {taskId: "Task:x", reason: "r"}) { __typename } }',
            "{ nope }",
        ]
    ),
)
def test_hostile_headers_get_no_server_error_and_write_nothing(
    fuzzed: Fuzzed, headers: dict[str, bytes], position: bytes | None, who: str, query: str
) -> None:
    sent = post(fuzzed, {"query": query}, who, **{"content-type": "application/json"})
    sent.headers.update(headers)
    if position is not None:
        sent.headers["x-ledger-position"] = position
    response = fuzzed.send(sent)
    if "MutationSuccess" in response.text:
        pytest.fail(f"a junk mutation succeeded: {response.text}")


param_values = st.one_of(
    strings,
    soup,
    json_values.map(lambda v: json.dumps(v, allow_nan=True)),
    st.sampled_from(["{ __typename }", "mutation { __typename }", "{", "[" * 3000, "{}"]),
)
get_params = st.fixed_dictionaries(
    {"query": st.one_of(param_values, schema_query(), mutation_document().map(lambda m: m[0]))},
    optional={
        "variables": param_values,
        "operationName": param_values,
        "extensions": param_values,
        "x": param_values,
    },
)


@fuzz(75)
@given(
    params=st.one_of(get_params, st.dictionaries(small_text, param_values, max_size=3)),
    raw=st.text("%0123456789abcdefABCDEF&=+;?#/query", max_size=40),
    who=st.sampled_from(["office", "viewer", "unit", "nobody"]),
    path=st.one_of(st.just("/graphql"), st.sampled_from(["/graphql/", "/graphql//", "/GRAPHQL"])),
)
def test_get_requests_with_junk_parameters_get_no_server_error_and_write_nothing(
    fuzzed: Fuzzed, params: dict[str, str], raw: str, who: str, path: str
) -> None:
    clean = {k: SURROGATE_CHAR.sub("?", v) for k, v in params.items()}
    fuzzed.send(Sent("GET", path, fuzzed.auth(who), params=clean))
    fuzzed.send(Sent("GET", f"/graphql?{raw}", fuzzed.auth(who)))


@st.composite
def subscription_document(draw: st.DrawFn) -> str:
    """One subscription field (two, sometimes: refused) with hostile arguments."""
    wild = draw(st.sampled_from([PLAUSIBLE, 0, 5, 30]))
    return "subscription " + draw(selection(SUBSCRIPTION_TYPE, 0, wild))


@fuzz(30)
@given(
    query=st.one_of(subscription_document(), strings, soup, schema_query()),
    extra=st.fixed_dictionaries(
        {}, optional={"variables": json_values, "operationName": json_values}
    ),
    how=st.sampled_from(["POST", "GET", "POST junk"]),
    body=bodies,
    who=st.sampled_from(["office", "viewer", "unit", "nobody"]),
    position=st.one_of(st.none(), st.sampled_from([b"abc", b"-1", b"1.5", b"\xb2", b"0"])),
)
def test_the_event_stream_endpoint_answers_hostile_requests_without_a_server_error(
    fuzzed: Fuzzed,
    query: str,
    extra: dict[str, Any],
    how: str,
    body: bytes,
    who: str,
    position: bytes | None,
) -> None:
    headers: dict[str, Any] = {"content-type": "application/json", **fuzzed.auth(who)}
    if position is not None:
        headers["x-ledger-position"] = position
    if how == "GET":
        params = {k: json.dumps(v) for k, v in extra.items()}
        params = {k: SURROGATE_CHAR.sub("?", v) for k, v in {**params, "query": query}.items()}
        sent = Sent("GET", "/graphql/stream", headers, params=params)
    else:
        payload = encode({"query": query, **extra}) if how == "POST" else body
        sent = Sent("POST", "/graphql/stream", headers, payload)
    fuzzed.send_stream(sent)


TOKEN = b"<token>"
"""Where a raw request carries a valid token (known only once the server runs)."""


@st.composite
def raw_requests(draw: st.DrawFn) -> bytes:
    """An HTTP/1.1 request written by hand: a lying or junk ``Content-Length``, framing
    that leaves bytes over for a next request."""
    body = draw(st.one_of(bodies, envelopes.map(encode), st.just(b'{"query": "{ __typename }"}')))
    claim = draw(
        st.one_of(
            st.integers(MAX_BODY_BYTES + 1, 10**15).map(str),  # huge: refused unread
            st.integers(0, max(len(body) - 1, 0)).map(str),  # less than sent
            st.integers(len(body) + 1, MAX_BODY_BYTES).map(str),  # more than sent
            st.sampled_from(["-1", "abc", "1e9", " 5", "+5", "0x10", "١", "9" * 30, ""]),
            st.just(str(len(body))),
        )
    )
    method = draw(st.sampled_from([b"POST", b"GET", b"PUT", b"DELETE", b"FUZZ", b"OPTIONS"]))
    path = draw(
        st.sampled_from(
            [
                b"/graphql",
                b"/graphql?query=%7B__typename%7D",
                b"/graphql?query=%ff%00",
                b"/%00",
                b"/graphql/../healthz",
                b"*",
                b"/" + b"a" * 10_000,
                b"/graphql/stream",
            ]
        )
    )
    auth = draw(st.sampled_from([b"", b"Bearer junk", b"Bearer " + TOKEN]))
    content_type = draw(st.sampled_from([b"application/json", b"text/plain", b"\xff", b""]))
    connection = draw(st.sampled_from([b"close", b"keep-alive", b"upgrade", b"\x00"]))
    lines = [
        method + b" " + path + b" HTTP/1.1",
        b"Host: fuzz",
        b"Connection: " + connection,
        b"Content-Type: " + content_type,
        b"Content-Length: " + claim.encode("utf-8"),
    ]
    if auth:
        lines.append(b"Authorization: " + auth)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@fuzz(50)
@given(raw=raw_requests())
def test_raw_requests_with_lying_content_length_get_no_server_error(
    fuzzed: Fuzzed, raw: bytes
) -> None:
    head, _, body = raw.partition(b"\r\n\r\n")
    signed = TOKEN in head
    if signed:
        raw = raw.replace(TOKEN, fuzzed.office_auth()["authorization"][7:].encode())
    claim = re.search(rb"Content-Length: (\d+)\r\n", raw)
    claimed = int(claim.group(1)) if claim else None
    huge = claimed is not None and claimed > MAX_BODY_BYTES
    waits = claimed is not None and len(body) < claimed <= MAX_BODY_BYTES
    answer = fuzzed.send_raw(raw, waits=waits, more=claimed is not None and claimed < len(body))
    framed = raw.startswith(b"POST /graphql ") and b"\x00" not in head and len(body) < 60_000
    if huge and framed and signed:
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
