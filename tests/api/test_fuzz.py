"""Fuzzing the running service with malformed and hostile requests.

Hypothesis sends random bytes and JSON, random query strings, queries and mutations
built from the schema's own names with arguments of every wrong kind, requests over
the limits, hostile headers, lying ``Content-Length`` claims and junk ``GET``
parameters to a real server (the ``live`` fixture: one server per test, shared by all
the examples of the test). For every request:

- the status is never 5xx, and the answer is JSON with ``data`` or ``errors`` (or a 4xx
  with an error body);
- no answer shows a traceback, a source path, or an internal error ("Unexpected
  error.", the mask over an exception the service did not expect);
- nothing is written unless the answer holds a ``MutationSuccess`` that is not a replay
  (a query that shows the office personal data records a ``Disclosure``, which is
  allowed); every token is issued before the first example, so the log head is the
  witness;
- the server still answers ``GET /healthz``, within ``TIMEOUT`` like every answer.

The cases found failing are kept at the end as minimal requests: every one is fixed, and
they are plain tests. ``known_issue`` (which let the fuzz tests tolerate exactly the open
cases while they were open) excuses nothing now.
``make fuzz`` (the "fuzz" Hypothesis profile of tests/conftest.py) runs ten times the examples,
from random seeds; ``LEDGER_FUZZ_SCALE=10`` multiplies them again;
``--hypothesis-show-statistics`` shows what kinds of answers they got.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from eventsourcing.utils import get_topic
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    build_schema,
    get_named_type,
    parse,
)
from hypothesis import (
    HealthCheck,
    assume,
    currently_in_test_context,
    event,
    given,
    settings,
)
from hypothesis import strategies as st

from domain.access import Disclosure
from tests.api.conftest import LiveServer, start_server, stop_server
from tests.clock import now, today
from tests.conftest import examples as profile_examples
from tests.conftest import settings_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))


def root(of: GraphQLObjectType | None) -> GraphQLObjectType:
    assert of is not None
    return of


QUERY_TYPE = root(SCHEMA.query_type)
MUTATION_TYPE = root(SCHEMA.mutation_type)
SUBSCRIPTION_TYPE = root(SCHEMA.subscription_type)
MUTATIONS = sorted(MUTATION_TYPE.fields)
ITEM_TYPES = ["Unit", "Task", "Complaint", "LegacyIssue", "LegacyTarget", "Interview"]
ITEM_TYPES += ["Referral", "Assessment"]
DISCLOSURE = get_topic(Disclosure.Recorded)

FUZZ = settings(
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
"""One server per test (the fixture is reused by every example); the profile does the rest."""
SCALE = float(os.environ.get("LEDGER_FUZZ_SCALE", "1"))
"""More examples for a longer hunt: ``LEDGER_FUZZ_SCALE=10 pytest tests/api/test_fuzz.py``."""


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=max(1, round(profile_examples(examples) * SCALE)))


MAX_BODY_BYTES = 1_000_000
"""The service's limit on a request body (README: "request body 1 MB")."""
TIMEOUT = 15.0
"""Seconds an answer may take: a request that hangs the service fails the test."""
STREAM_WAIT = 1.0
"""Seconds to wait for a stream's first event (a live subscription may have none)."""
OFFICE_TOKENS = 4
"""Office tokens the mutations take turns with: each has its own rate limit."""

LEAKS = ("Traceback", 'File "', "site-packages", '.py", line', str(ROOT))
"""What an answer must never show: a traceback or a path of the service's own."""
INTERNAL = "Unexpected error."
"""The mask over an error the service did not expect."""

RESULT = """
    __typename
    ... on UserError { message }
    ... on MutationSuccess { itemId version position replayed }
    ... on ValidationError { field }
    ... on NotFound { itemType missingId: itemId }
    ... on ConcurrencyConflict { expectedVersion currentVersion }
    ... on InvalidTransition { state step }
    ... on Forbidden { action role }
    ... on AlreadyExists { key }
    ... on IdempotencyKeyReused { key }
    ... on RateLimited { retryAfterSeconds }
"""
"""Every member of ``MutationResult`` (``__typename`` always: a success must show)."""


# -- the server and what every answer must satisfy --------------------------------------


@dataclass
class Sent:
    """A request as sent, for the checks and the known cases."""

    method: str
    path: str
    headers: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""
    params: dict[str, str] | None = None

    def text(self) -> str:
        """Everything the client said, to tell an echo of it from a leak."""
        parts = [self.path, self.body.decode("utf-8", "replace"), repr(self.params)]
        parts += [str(v) for v in self.headers.values()]
        return "\n".join(parts)


class Fuzzed:
    """The live server with its tokens issued and a few items registered, and the
    checks run on every answer."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.http = httpx.Client(base_url=live.url, timeout=TIMEOUT)
        self.office = [live.auth(f"office:fuzzer-{i}") for i in range(OFFICE_TOKENS)]
        self.turn = 0
        self.seeded: list[str] = []
        self.seed()
        unit = self.seeded[0].split(":")[1]
        self.actors: dict[str, dict[str, str]] = {
            "viewer": live.auth("viewer:fuzzer"),
            "leader": live.auth("leader:fuzzer"),
            "inspector": live.auth("inspector:fuzzer"),
            "unit": live.auth(f"unit:fuzzer:{unit}"),
        }

    def close(self) -> None:
        self.http.close()

    def office_auth(self) -> dict[str, str]:
        self.turn += 1
        return self.office[self.turn % OFFICE_TOKENS]

    def auth(self, who: str) -> dict[str, Any]:
        if who == "office":
            return self.office_auth()
        if who == "nobody":
            return {}
        return self.actors[who]

    def head(self) -> int:
        return self.live.services.ledger.recorder.max_notification_id() or 0

    def seed(self) -> None:
        """A unit, a task assigned to it, a complaint with personal data, an assessment:
        real ids for the mutations to hit, and personal data for a query to disclose."""

        def run(name: str, given: dict[str, Any]) -> str:
            document = f"mutation($i: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $i) "
            response = self.http.post(
                "/graphql",
                json={
                    "query": document + "{ __typename ... on MutationSuccess { itemId } } }",
                    "variables": {"i": given},
                },
                headers=self.office[0],
            )
            result = response.json()["data"][name]
            assert result["__typename"] == "MutationSuccess", result
            item_id: str = result["itemId"]
            self.seeded.append(item_id)
            return item_id

        unit = run("registerUnit", {"name": "模糊测试局", "kind": "DEPARTMENT"})
        other = run("registerUnit", {"name": "另一个局", "kind": "SUBDISTRICT"})
        task = run("registerTask", {"planYear": 2026, "number": 1, "title": "模糊测试"})
        deadline = (today() + timedelta(days=60)).isoformat()
        run("assignTask", {"taskId": task, "leadUnits": [unit], "deadline": deadline})
        self.seeded.pop()  # the same task again
        run(
            "receiveComplaint",
            {
                "channel": "HOTLINE_12345",
                "summary": "报装超时",
                "firstResponder": other,
                "complainantName": "张三",
                "complainantPhone": "13812341234",
            },
        )
        run(
            "recordAssessment",
            {"unit": unit, "period": "2026-Q1", "kind": "UNIT_ASSESSMENT", "score": "88.5"},
        )

    # -- sending ------------------------------------------------------------------------

    def send(self, sent: Sent) -> httpx.Response:
        """Send ``sent`` and check the answer, the log and the server's health."""
        before = self.head()
        known = known_issue(sent)
        client = (
            self.http if known is None else httpx.Client(base_url=self.live.url, timeout=TIMEOUT)
        )
        try:
            response = client.request(
                sent.method,
                sent.path,
                content=sent.body,
                headers=sent.headers,
                params=sent.params,
            )
        finally:
            if client is not self.http:
                client.close()  # a 500 closes its connection: do not reuse it
        self.check(sent, response, known)
        if currently_in_test_context():
            event(outcome(response) + (f" (known: {known})" if known else ""))
        self.check_log(sent, response.text, before)
        self.check_alive()
        return response

    def send_stream(self, sent: Sent) -> None:
        """Open the event stream, read its first event, close it; check as ``send``."""
        before = self.head()
        known = known_issue(sent)
        timeout = httpx.Timeout(10, read=STREAM_WAIT)
        with (
            httpx.Client(base_url=self.live.url, timeout=timeout) as client,
            client.stream(
                sent.method,
                sent.path,
                content=sent.body,
                headers=sent.headers,
                params=sent.params,
            ) as response,
        ):
            first = ""
            if response.status_code == 200:
                try:
                    for line in response.iter_lines():
                        first += line + "\n"
                        if first.endswith("\n\n") and "data:" in first:
                            break
                except httpx.ReadTimeout:
                    pass  # a live subscription with nothing to say yet
            else:
                first = response.read().decode("utf-8", "replace")
        if currently_in_test_context():
            event(f"stream {response.status_code} {known or ''}".strip())
        where = f"{sent.method} {sent.path} {sent.params} {sent.body[:300]!r}"
        if known not in ANSWERED_500 or response.status_code != 500:
            assert response.status_code < 500, (response.status_code, first, where)
            leak = leaked(first, sent.text())
            assert leak is None, (leak, first[:2000], where)
            if response.status_code == 200 and "data:" in first:
                data = json.loads(first.split("data:", 1)[1].split("\n", 1)[0])
                assert "data" in data or "errors" in data, (first, where)
                messages = [e.get("message") for e in data.get("errors") or []]
                assert known in ANSWERED_INTERNAL or INTERNAL not in messages, (first, where)
            elif response.status_code != 200:
                assert 400 <= response.status_code < 500 and first.strip(), (first, where)
        self.check_log(sent, first, before)
        self.check_alive()

    def send_raw(self, raw: bytes, *, waits: bool, more: bool) -> bytes:
        """Send bytes as they are on a fresh connection; what came back. ``waits``: the
        request claims more body than it sends (the server waits for it: the connection
        is half-closed so it sees the end); ``more``: bytes follow the claimed body, so a
        second answer may come."""
        before = self.head()
        host, port = self.live.url.removeprefix("http://").split(":")
        answer = b""
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as conn:
            try:
                conn.sendall(raw)
                if waits:
                    conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # answered and closed before reading it all (as for a 413)
            try:
                while not (answered(answer) and not more):
                    if answered(answer):
                        conn.settimeout(0.3)  # for a second answer, if any
                        more = False
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except (TimeoutError, ConnectionResetError):
                pass  # what came is the answer
        statuses = [int(s) for s in re.findall(rb"^HTTP/1\.[01] (\d{3})", answer, re.M)]
        if currently_in_test_context():
            event(f"raw {statuses}")
        text = answer.decode("utf-8", "replace")
        assert all(s < 500 for s in statuses), text[:2000]
        leak = leaked(text, raw.decode("utf-8", "replace"))
        assert leak is None, (leak, text[:2000])
        self.check_log(None, text, before)
        self.check_alive()
        return answer

    # -- the checks -----------------------------------------------------------------------

    def check(self, sent: Sent, response: httpx.Response, known: str | None) -> None:
        where = f"{sent.method} {sent.path} {sent.headers} {sent.body[:300]!r}"
        text = response.text
        if known in ANSWERED_500 and response.status_code == 500:
            return  # a known issue (see known_issue): its answer is checked by its xfail test
        assert response.status_code < 500, f"{response.status_code} {text[:500]} for {where}"
        leak = leaked(text, sent.text())
        assert leak is None, f"{leak!r} leaked in {text[:2000]} for {where}"
        if response.status_code == 200:
            body = response.json()
            assert isinstance(body, dict), (body, where)
            assert "data" in body or "errors" in body, (body, where)
            for error in body.get("errors") or []:
                assert isinstance(error["message"], str) and error["message"], (error, where)
                if known not in ANSWERED_INTERNAL:  # else known (see known_issue)
                    assert error["message"] != INTERNAL, (text[:2000], where)
        elif response.is_redirect:
            assert response.headers.get("location"), where
        else:
            assert 400 <= response.status_code < 500, (response.status_code, text, where)
            assert text.strip(), (response.status_code, where)
            if response.headers.get("content-type", "").startswith("application/json"):
                assert response.json()["errors"], (text, where)

    def check_log(self, sent: Sent | None, answer: str, before: int) -> None:
        """Nothing written but by a mutation that succeeded or a read that disclosed."""
        after = self.head()
        if after == before or wrote(answer):
            return
        written = self.live.services.ledger.recorder.select_notifications(
            start=before + 1, limit=after - before, stop=after
        )
        unexpected = [n.topic for n in written if n.topic != DISCLOSURE]
        assert not unexpected, (
            f"a refused request wrote {unexpected}: "
            f"{sent and (sent.path, sent.body[:500])!r} answered {answer[:1000]}"
        )

    def check_alive(self) -> None:
        health = self.http.get("/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}, health.text


def answered(data: bytes) -> bool:
    """Whether ``data`` holds a whole HTTP response (or the head of a streamed one)."""
    head, found, body = data.partition(b"\r\n\r\n")
    if not found:
        return False
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return length is None or len(body) >= int(length.group(1))


def wrote(answer: str) -> bool:
    """Whether the answer says a mutation wrote: a success not replayed (a replay of an
    idempotency key writes nothing)."""
    successes = re.findall(r'"__typename":\s*"MutationSuccess"[^}]*', answer)
    return any('"replayed":true' not in s.replace(" ", "") for s in successes)


def outcome(response: httpx.Response) -> str:
    """What kind of answer it was, for the statistics (``--hypothesis-show-statistics``)."""
    kinds = sorted(set(re.findall(r'"__typename":\s*"(\w+)"', response.text)))
    if response.status_code == 200 and '"errors"' in response.text:
        kinds.append("errors")
    return f"{response.status_code} {' '.join(kinds)}".strip()


def leaked(answer: str, asked: str) -> str | None:
    """A traceback marker or a path in ``answer`` that the request did not contain."""
    return next((m for m in LEAKS if m in answer and m not in asked), None)


@pytest.fixture
def fuzzed(live: LiveServer) -> Iterator[Fuzzed]:
    harness = Fuzzed(live)
    SEEDED[:] = harness.seeded
    yield harness
    harness.close()
    SEEDED.clear()


def post(harness: Fuzzed, payload: Any, who: str = "office", **headers: Any) -> Sent:
    headers = {"content-type": "application/json", **harness.auth(who), **headers}
    return Sent("POST", "/graphql", headers, encode(payload))


def encode(payload: Any, *, ascii_only: bool = True) -> bytes:
    """JSON as a hostile client may write it: NaN and lone surrogates included."""
    text = json.dumps(payload, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


# -- the known issues, each with its xfail test below -----------------------------------

LONE_SURROGATE = re.compile(
    r"\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}",
    re.IGNORECASE,
)
"""A lone UTF-16 surrogate escaped in JSON (a pair is a character; one alone is not)."""
SURROGATE_CHAR = re.compile("[\ud800-\udfff]")


ANSWERED_500 = {
    "deeply nested JSON",
    "a body not in UTF-8",
    "a JSON body not an object",
}
"""Known issues answered 500 (the fuzz tests still check the server stays up)."""
ANSWERED_INTERNAL = {
    "a lone surrogate",
    "a subscription over HTTP",
}
"""Known issues answered 200 with "Unexpected error." (everything else is still checked)."""


def known_issue(sent: Sent) -> str | None:
    """Why the service is known to fail this request, or None. Every case the fuzzing
    found is fixed (the tests below were its xfails): nothing is excused now; the
    recognisers stay, for the next case found."""
    if KNOWN_ISSUES_FIXED:
        return None
    if not sent.path.startswith("/graphql"):
        return None
    texts = [sent.body] if sent.method == "POST" else []
    texts += [v.encode() for k, v in (sent.params or {}).items() if k != "query"]
    for text in texts:
        if nesting(text) > 500:
            return "deeply nested JSON"  # test_deeply_nested_json_is_refused_with_400
    stream = sent.path.startswith("/graphql/stream")
    if sent.method == "POST" and not stream:
        try:
            parsed = json.loads(sent.body)
        except UnicodeDecodeError:
            return "a body not in UTF-8"  # test_a_body_not_in_utf_8_is_refused_with_400
        except ValueError:
            return None
        if not isinstance(parsed, dict | list):
            return "a JSON body not an object"  # test_a_json_body_that_is_not_an_object_...
        if LONE_SURROGATE.search(sent.body.decode("utf-8", "replace")):
            return "a lone surrogate"  # test_a_lone_surrogate_in_a_mutation_input_...
        if isinstance(parsed, dict) and isinstance(parsed.get("query"), str):
            return known_in_document(parsed["query"])
    if sent.method == "GET" and not stream and isinstance((sent.params or {}).get("query"), str):
        return known_in_document((sent.params or {})["query"])
    return None


KNOWN_ISSUES_FIXED = True


def known_in_document(query: str) -> str | None:
    try:
        document = parse(query)
    except (GraphQLError, RecursionError):
        return None
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and definition.operation == OperationType.SUBSCRIPTION
        ):
            return "a subscription over HTTP"  # test_a_subscription_sent_over_http_...
    return None


def nesting(text: bytes) -> int:
    """How deep the arrays and objects of the JSON in ``text`` go (strings skipped)."""
    if text.count(b"[") + text.count(b"{") < 500:
        return 0  # not deep enough to matter
    depth = deepest = 0
    in_string = escaped = False
    for byte in text:
        if in_string:
            if escaped:
                escaped = False
            elif byte == ord("\\"):
                escaped = True
            elif byte == ord('"'):
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


# -- strategies: values -----------------------------------------------------------------

SEEDED: list[str] = []
"""The global ids of the items the harness registered (filled per test)."""

NASTY = [
    "",
    " ",
    "\x00",
    "\t\r\n",
    "\u202e\u200b",
    "\ufeff",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "${jndi:ldap://x/a}",
    "{{7*7}}",
    "%s%n%x",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "null",
    "undefined",
    "NaN",
    "-0",
    "1e309",
    "Task:",
    ":",
    "::",
    "Task:Task:00000000-0000-0000-0000-000000000000",
    "\\",
    '"',
    "😀" * 20,
    "ｔａｓｋ",
    "٣٤",
    "²",
    "Ⅻ",
    "ß" * 100,
    "\U0010ffff",
    "\x7f\x80\x9f",
]
"""Strings known to upset parsers, templates and databases."""

small_text = st.text(max_size=30)
nasty_text = st.sampled_from(NASTY)
unicode_text = st.text(
    st.characters(codec=None, exclude_categories=["Cs"]), max_size=30
)  # control characters, private use, unassigned
surrogates = st.lists(st.characters(categories=["Cs"]), min_size=1, max_size=3).map("".join)
strings = st.one_of(small_text, nasty_text, unicode_text, small_text, surrogates)

ints = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.sampled_from([0, -1, 1, 100, 101, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, 10**30]),
    st.integers(),
)
floats = st.floats(allow_nan=True, allow_infinity=True)

NOW = now()
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.integers(-400, 400).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
    st.sampled_from(
        [
            "2021-02-30",
            "0000-00-00",
            "2021-13-01",
            "20210101",
            "2021-1-1",
            "-0001-01-01",
            "+10000-01-01",
            "2021-01-01T00:00:00Z",
            "today",
        ]
    ),
    strings,
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-14)), None])
datetimes = st.one_of(
    st.datetimes(timezones=zones).map(datetime.isoformat),
    st.integers(-(10**6), 10**5).map(lambda s: (NOW + timedelta(seconds=s)).isoformat()),
    st.sampled_from(
        [
            "2021-01-01T25:00:00+08:00",
            "2021-01-01T00:00:00+99:00",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00",
            "now",
        ]
    ),
    strings,
)
decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["NaN", "sNaN", "-Infinity", "1e999999999", "-0", "88.55", "1_000", "0x10", "1" * 5000]
    ),
    st.integers().map(str),
    floats,
    strings,
)


def seeded_id(pick: int) -> str:
    return seeded_of(None, pick)


ids = st.one_of(
    st.integers(0, 50).map(seeded_id),
    st.integers(0, 50).map(lambda i: seeded_id(i).split(":")[-1]),  # bare UUIDs
    st.builds(
        lambda kind, uuid: f"{kind}:{uuid}",
        st.sampled_from([*ITEM_TYPES, "Disclosure", "AccessToken", "Receipt", "task", ""]),
        st.uuids(),
    ),
    st.uuids().map(str),
    st.integers(0, 50).map(lambda i: seeded_id(i).replace(":", "::")),
    st.integers(0, 50).map(lambda i: seeded_id(i).upper()),
    strings,
)
"""Ids: real global ids, bare UUIDs, ids of other types and of nothing, junk."""

json_values = st.recursive(
    st.none() | st.booleans() | ints | floats | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(small_text, inner, max_size=4),
    max_leaves=12,
)
"""Any JSON value: the wrong type for any argument."""

SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "ID": ids,
    "String": strings,
    "Int": ints,
    "Float": floats,
    "Boolean": st.booleans(),
    "Date": dates,
    "DateTime": datetimes,
    "Decimal": decimals,
    "JSON": json_values,
}


def chance(draw: st.DrawFn, percent: int) -> bool:
    """True about ``percent`` times in a hundred: a number away from the ends Hypothesis
    favours, and False for 0, to which it shrinks."""
    return 40 <= draw(st.integers(0, 99)) < 40 + percent


WELL_TYPED: dict[str, st.SearchStrategy[Any]] = {
    **SCALARS,
    "Int": st.one_of(st.integers(-5, 120), st.integers(-(2**31), 2**31 - 1)),
    "Float": st.floats(allow_nan=False, allow_infinity=False),
    "Date": st.one_of(
        st.integers(-400, 400).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
        st.dates().map(date.isoformat),
    ),
    "DateTime": st.one_of(
        st.integers(-(10**6), 10**5).map(lambda s: (NOW + timedelta(seconds=s)).isoformat()),
        st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))])).map(
            datetime.isoformat
        ),
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.decimals(-1000, 1000, places=1).map(str),
    ),
}
"""Values of the right type (a ``String`` may still say anything)."""


PLAUSIBLE = -1
"""``wild`` for inputs a real client might send: plain words, the ledger's own ids."""

ID_KINDS = {
    "taskId": "Task",
    "complaintId": "Complaint",
    "issueId": "LegacyIssue",
    "interviewId": "Interview",
    "referralId": "Referral",
    "unitId": "Unit",
    "assessmentId": "Assessment",
    "targetId": "LegacyTarget",
    "unit": "Unit",
    "into": "Unit",
    "leadUnits": "Unit",
    "cooperatingUnits": "Unit",
    "firstResponder": "Unit",
    "toUnit": "Unit",
    "responsibleUnit": "Unit",
    "subjectUnit": "Unit",
}
"""The item an id input names, by the input's name (as the mutations read them)."""


def seeded_of(kind: str | None, pick: int) -> str:
    """A registered item's global id, of ``kind`` when one was registered."""
    same = [i for i in SEEDED if kind is None or i.startswith(f"{kind}:")]
    if same:
        return same[pick % len(same)]
    return f"{kind or 'Task'}:{UUID(int=pick)}"


words = st.text("整改督办测试abc xyz-12", min_size=1, max_size=16).map(lambda t: t.strip() or "x")
PLAUSIBLE_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "period": st.sampled_from(["2026", "2026-Q1", "2025-Q4", "2026-Q4"]),
    "complainantPhone": st.sampled_from(["13812345678", "010-12345678"]),
    "planYear": st.integers(2020, 2030),
    "year": st.integers(2020, 2030),
    "targetYear": st.integers(2020, 2030),
    "percent": st.integers(0, 100),
    "requiredResolvedPercent": st.integers(0, 100),
    "workingDays": st.integers(1, 30),
    "amountYuan": st.integers(1, 1000),
    "evidence": st.lists(st.integers(1, 40), min_size=1, max_size=3),
    "expectedVersion": st.integers(1, 5),
    "scheduledFor": st.integers(1, 30).map(lambda d: (NOW + timedelta(days=d)).isoformat()),
    "occurredAt": st.integers(0, 3600).map(lambda s: (NOW - timedelta(seconds=s)).isoformat()),
}
PLAUSIBLE_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": words,
    "Int": st.integers(0, 100),
    "Float": st.floats(0, 100),
    "Boolean": st.booleans(),
    "Date": st.integers(1, 200).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
    "DateTime": st.integers(0, 3600).map(lambda s: (NOW - timedelta(seconds=s)).isoformat()),
    "Decimal": st.decimals(0, 100, places=1).map(str),
    "JSON": json_values,
}


@st.composite
def value_of(
    draw: st.DrawFn,
    of: GraphQLInputType,
    wild: int,
    depth: int = 0,
    nullable: bool = True,
    name: str = "",
) -> Any:
    """A value for an input of type ``of`` (named ``name``). ``wild`` 0: of the right
    type, its content still hostile (junk ids, huge numbers, any text). ``PLAUSIBLE``: as
    a client would send it. Else, ``wild`` percent of the time at each level, any JSON
    value, and enum names, dates, required and unknown fields go wrong too."""
    strict, plausible = wild == 0, wild == PLAUSIBLE
    if wild > 0 and chance(draw, wild):
        return draw(json_values)
    if isinstance(of, GraphQLNonNull):
        return draw(value_of(of.of_type, wild, depth, nullable=False, name=name))
    if plausible and name in PLAUSIBLE_BY_NAME:
        return draw(PLAUSIBLE_BY_NAME[name])
    if (nullable or wild > 0) and chance(draw, 5):
        return None
    if isinstance(of, GraphQLList):
        if depth > 3 or (not plausible and chance(draw, 10)):
            return draw(value_of(of.of_type, wild, depth + 1, name=name))  # one, for a list
        inner = value_of(of.of_type, wild, depth + 1, nullable=False, name=name)
        return draw(st.lists(inner, min_size=int(plausible), max_size=3))
    if isinstance(of, GraphQLEnumType):
        names = st.sampled_from(sorted(of.values))
        return draw(names if wild <= 0 else st.one_of(names, strings))
    if isinstance(of, GraphQLInputObjectType):
        given: dict[str, Any] = {}
        for field_name, input_field in of.fields.items():
            required = (
                isinstance(input_field.type, GraphQLNonNull)
                and input_field.default_value is Undefined
            )
            if (required and (wild <= 0 or not chance(draw, 3))) or (
                not required and (chance(draw, 25) if plausible else draw(st.booleans()))
            ):
                given[field_name] = draw(
                    value_of(input_field.type, wild, depth + 1, name=field_name)
                )
        if wild > 0 and chance(draw, 10):
            given[draw(small_text)] = draw(json_values)  # a field the type does not have
        return given
    assert isinstance(of, GraphQLScalarType), of
    if plausible and of.name == "ID":
        return seeded_of(ID_KINDS.get(name), draw(st.integers(0, 50)))
    table = PLAUSIBLE_SCALARS if plausible else WELL_TYPED if strict else SCALARS
    return draw(table[of.name])


NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


def literal(value: Any, of: Any) -> str:
    """``value`` written inline in a document (a GraphQL literal), as a client would."""
    named = get_named_type(of) if of is not None else None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if isinstance(named, GraphQLEnumType) and NAME.match(value):
            return value
        text = json.dumps(value, ensure_ascii=False)  # a lone surrogate can only be escaped:
        return SURROGATE_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if isinstance(value, list):
        inner = of.of_type if isinstance(of, GraphQLList) else of
        if isinstance(of, GraphQLNonNull) and isinstance(of.of_type, GraphQLList):
            inner = of.of_type.of_type
        return "[" + ", ".join(literal(v, inner) for v in value) + "]"
    fields = named.fields if isinstance(named, GraphQLInputObjectType) else {}
    parts = []
    for key, item in value.items():
        name = key if NAME.match(key) else "_" + re.sub(r"\W", "_", key, flags=re.ASCII)
        given = fields.get(key)
        parts.append(f"{name}: {literal(item, given.type if given else None)}")
    return "{" + ", ".join(parts) + "}"


# -- strategies: documents --------------------------------------------------------------


@st.composite
def selection(draw: st.DrawFn, of: Any, depth: int, wild: int) -> str:
    """A selection set on ``of``: some of its fields with random arguments and aliases,
    fragments on the types an interface or union may be."""
    named = get_named_type(of)
    if isinstance(named, GraphQLUnionType):
        members = draw(st.lists(st.sampled_from(named.types), max_size=2, unique=True))
        inner = [f"... on {m.name} {draw(selection(m, depth + 1, wild))}" for m in members]
        return "{ __typename " + " ".join(inner) + " }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
    names = sorted(named.fields)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    parts = ["__typename"] if draw(st.booleans()) else []
    for i, name in enumerate(chosen):
        definition = named.fields[name]
        args = []
        for arg_name, arg in definition.args.items():
            if isinstance(arg.type, GraphQLNonNull) or draw(st.booleans()):
                args.append(f"{arg_name}: {literal(draw(value_of(arg.type, wild)), arg.type)}")
        head = (f"f{i}: " if draw(st.booleans()) else "") + name
        head += f"({', '.join(args)})" if args else ""
        inner_type = get_named_type(definition.type)
        if isinstance(inner_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            if depth >= 4:
                head += " { __typename }"
            else:
                head += " " + draw(selection(inner_type, depth + 1, wild))
        parts.append(head)
    if isinstance(named, GraphQLInterfaceType):
        possible = SCHEMA.get_possible_types(named)
        member = draw(st.sampled_from(possible))
        parts.append(f"... on {member.name} {{ __typename }}")
    return "{ " + " ".join(parts) + " }"


def cursor_of(value: Any) -> str:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursors = st.one_of(
    strings,
    st.binary(max_size=40).map(lambda b: base64.urlsafe_b64encode(b).decode()),
    st.tuples(
        st.sampled_from(
            [
                "tasks",
                "complaints",
                "legacy_issues",
                "interviews",
                "referrals",
                "assessments",
                "events",
                "units",
                "nope",
            ]
        ),
        st.lists(json_values, max_size=4),
    ).map(lambda t: cursor_of([t[0], *t[1]])),
    json_values.map(cursor_of),
)
"""Garbage cursors: junk, base64 of junk, and cursors of the right form with wrong keys."""


@st.composite
def list_query(draw: st.DrawFn, wild: int) -> str:
    """A list query with hostile paging: huge or negative ``first``, garbage ``after``."""
    name = draw(
        st.sampled_from(
            [
                "tasks",
                "complaints",
                "legacyIssues",
                "interviews",
                "referrals",
                "assessments",
                "events",
            ]
        )
    )
    definition = QUERY_TYPE.fields[name]
    args = [
        f"first: {literal(draw(st.one_of(ints, json_values)), definition.args['first'].type)}",
        f"after: {literal(draw(cursors), None)}",
    ]
    if draw(st.booleans()):
        filter_type = definition.args["filter"].type
        args.append(f"filter: {literal(draw(value_of(filter_type, wild)), filter_type)}")
    picked = draw(st.permutations(args))[: draw(st.integers(1, len(args)))]
    body = draw(selection(definition.type, 1, wild))
    return f"{{ {name}({', '.join(picked)}) {body} }}"


@st.composite
def schema_query(draw: st.DrawFn) -> str:
    wild = draw(st.sampled_from([PLAUSIBLE, 0, 5, 30]))
    if draw(st.integers(0, 2)) == 0:
        return draw(list_query(wild))
    return "query " + draw(selection(QUERY_TYPE, 0, wild))


@st.composite
def mutation_document(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One to three mutations with random inputs, inline or as variables."""
    wild = draw(st.sampled_from([PLAUSIBLE, PLAUSIBLE, 0, 3, 30]))
    names = draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
    inline = draw(st.booleans())
    declared: list[str] = []
    variables: dict[str, Any] = {}
    fields = []
    for i, name in enumerate(names):
        input_type = MUTATION_TYPE.fields[name].args["input"].type
        value = draw(value_of(input_type, wild))
        if inline:
            argument = literal(value, input_type)
        else:
            wrong = chance(draw, 5)
            declared.append(f"$i{i}: {'String' if wrong else input_type}")
            variables[f"i{i}"] = value
            argument = f"$i{i}"
        alias = f"m{i}: " if i or draw(st.booleans()) else ""
        fields.append(f"{alias}{name}(input: {argument}) {{ {RESULT} }}")
    signature = f"({', '.join(declared)})" if declared else ""
    return f"mutation Fuzz{signature} {{ {' '.join(fields)} }}", variables


SOUP = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "...",
    "on",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "F",
    "$x",
    "$x: Int",
    "@skip(if: true)",
    "@include(if: $x)",
    "@deprecated",
    '"s"',
    '"""block"""',
    "1",
    "-1",
    "1.5e308",
    "true",
    "null",
    "=",
    "!",
    "|",
    "&",
    ",",
    "#c\n",
    "__typename",
    "__schema",
    '__type(name: "Task")',
    "types",
    "name",
    "fields",
    "id",
    'node(id: "x")',
    "units",
    "tasks",
    "edges",
    "mergedInto",
    "totalCount",
    "registerUnit",
    "input",
    "ENUM",
    "\u0000",
    "\ufeff",
]
soup = st.lists(st.sampled_from(SOUP), max_size=40).map(" ".join)
"""Token soup: GraphQL's own words in random order."""


# -- the fuzz tests ---------------------------------------------------------------------

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

envelopes = st.fixed_dictionaries(
    {},
    optional={
        "query": st.one_of(json_values, strings, soup),
        "variables": json_values,
        "operationName": json_values,
        "extensions": json_values,
        "id": json_values,
    },
)
"""JSON objects shaped almost like a GraphQL request."""

deep_json = st.tuples(st.sampled_from(["[", '{"a":']), st.sampled_from([3, 50, 2000, 100_000]))
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(encode),
    json_values.map(lambda v: encode(v, ascii_only=False)),
    envelopes.map(encode),
    st.lists(envelopes, max_size=3).map(encode),  # a batch
    deep_json.map(lambda d: d[0].encode() * d[1] + b"1" + (b"]" if d[0] == "[" else b"}") * d[1]),
    strings.map(lambda s: s.encode("utf-16", "surrogatepass")),
)


@fuzz(200)
@given(
    body=bodies,
    content_type=st.one_of(st.just("application/json"), st.sampled_from(CONTENT_TYPES)),
)
def test_random_bodies_get_no_server_error_and_write_nothing(
    fuzzed: Fuzzed, body: bytes, content_type: str
) -> None:
    headers = {**fuzzed.office_auth(), "content-type": content_type}
    fuzzed.send(Sent("POST", "/graphql", headers, body))


@fuzz(200)
@given(
    query=st.one_of(strings, soup, st.text(max_size=300)),
    who=st.sampled_from(["office", "viewer", "unit"]),
)
def test_random_query_strings_are_answered_without_an_internal_error(
    fuzzed: Fuzzed, query: str, who: str
) -> None:
    fuzzed.send(post(fuzzed, {"query": query}, who))


@fuzz(200)
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


@fuzz(100)
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


@fuzz(200)
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


TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VISIBLE = [*range(0x21, 0x7F), *range(0x80, 0x100)]
header_values = st.lists(st.sampled_from([*VISIBLE, 0x20, 0x09]), max_size=60).map(
    lambda b: bytes(b).strip(b" \t")
)
"""Any value HTTP/1.1 lets a header carry (obs-text included)."""


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


@fuzz(200)
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


@fuzz(150)
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


@fuzz(60)
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


@fuzz(100)
@given(raw=raw_requests())
def test_raw_requests_with_lying_content_length_get_no_server_error(
    fuzzed: Fuzzed, raw: bytes
) -> None:
    head, _, body = raw.partition(b"\r\n\r\n")
    signed = TOKEN in head
    if signed:
        assume(known_issue(Sent("POST", "/graphql", {}, body)) is None)  # see the xfails
        raw = raw.replace(TOKEN, fuzzed.office_auth()["authorization"][7:].encode())
    claim = re.search(rb"Content-Length: (\d+)\r\n", raw)
    claimed = int(claim.group(1)) if claim else None
    huge = claimed is not None and claimed > MAX_BODY_BYTES
    waits = claimed is not None and len(body) < claimed <= MAX_BODY_BYTES
    answer = fuzzed.send_raw(raw, waits=waits, more=claimed is not None and claimed < len(body))
    framed = raw.startswith(b"POST /graphql ") and b"\x00" not in head and len(body) < 60_000
    if huge and framed and signed:
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]


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


# -- what the fuzzing found: each a minimal request, and what it should get -------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the known cases below (none of them writes)."""
    folder = tmp_path_factory.mktemp("fuzz-known")
    live = start_server(settings_for(f"sqlite:///{folder / 'ledger.sqlite'}"))
    yield live
    stop_server(live)


def ask(server: LiveServer, method: str, path: str, **given: Any) -> httpx.Response:
    """One request on a connection of its own (a 500 closes it), then: the server is
    still up and the log did not move."""
    recorder = server.services.ledger.recorder
    headers = {"content-type": "application/json", **server.auth("office:fuzzer")}
    headers.update(given.pop("headers", {}))
    before = recorder.max_notification_id()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.request(method, path, headers=headers, **given)
    assert server.client.get("/healthz").status_code == 200
    assert recorder.max_notification_id() == before
    return response


def refused_with_400(response: httpx.Response) -> None:
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.text.strip() and "Traceback" not in response.text


@pytest.mark.parametrize("body", [b"null", b'"{ __typename }"', b"1", b"true"])
def test_a_json_body_that_is_not_an_object_is_refused_with_400(
    server: LiveServer, body: bytes
) -> None:
    refused_with_400(ask(server, "POST", "/graphql", content=body))


@pytest.mark.parametrize("body", [b"\x80", b"\x00\x00\x00\x00\x00"])
def test_a_body_not_in_utf_8_is_refused_with_400(server: LiveServer, body: bytes) -> None:
    refused_with_400(ask(server, "POST", "/graphql", content=body))


@pytest.mark.parametrize(
    ("method", "path", "where"),
    [
        ("POST", "/graphql", "body"),
        ("GET", "/graphql", "variables"),
        ("POST", "/graphql/stream", "body"),
        ("GET", "/graphql/stream", "variables"),
    ],
)
def test_deeply_nested_json_is_refused_with_400(
    server: LiveServer, method: str, path: str, where: str
) -> None:
    deep = "[" * 5000 + "]" * 5000
    given: dict[str, Any] = (
        {"content": deep.encode()}
        if where == "body"
        else {"params": {"query": "subscription { ledgerEvents { position } }", "variables": deep}}
    )
    refused_with_400(ask(server, method, path, **given))


@pytest.mark.parametrize("position", [b"\xb2", b"1\xb9", b"9" * 4301])
@pytest.mark.parametrize("path", ["/graphql", "/graphql/stream"])
def test_an_x_ledger_position_that_is_no_whole_number_is_refused_with_400(
    server: LiveServer, position: bytes, path: str
) -> None:
    """Found by the fuzzing: ``isdigit()`` let through what ``int()`` refuses (superscript
    digits, the byte 0xB2 read as Latin-1, or over 4300 digits), answered 500."""
    response = ask(
        server,
        "POST",
        path,
        content=b'{"query": "subscription { ledgerEvents { position } }"}',
        headers={"x-ledger-position": position},
    )
    refused_with_400(response)
    assert "X-Ledger-Position" in response.json()["errors"][0]["message"], response.text


def test_a_lone_surrogate_in_a_mutation_input_is_a_validation_error(server: LiveServer) -> None:
    body = (
        b'{"query": "mutation($i: RegisterUnitInput!) { registerUnit(input: $i) '
        b'{ __typename ... on ValidationError { field } } }", '
        b'"variables": {"i": {"name": "\\ud800", "kind": "DEPARTMENT"}}}'
    )
    response = ask(server, "POST", "/graphql", content=body)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"registerUnit": {"__typename": "ValidationError", "field": "name"}}
    }


def test_a_subscription_sent_over_http_post_is_refused_as_a_request_error(
    server: LiveServer,
) -> None:
    response = ask(
        server, "POST", "/graphql", json={"query": "subscription { ledgerEvents { position } }"}
    )
    assert response.status_code in (200, 400)
    messages = [e["message"] for e in response.json()["errors"]]
    assert INTERNAL not in messages, messages


def test_an_events_cursor_past_64_bits_is_refused_as_bad_input(server: LiveServer) -> None:
    """Found by the fuzzing: a position past 64 bits reached SQLite (OverflowError),
    masked as "Unexpected error."."""
    after = cursor_of(["events", str(2**63)])
    query = f'{{ events(after: "{after}") {{ totalCount }} }}'
    response = ask(server, "POST", "/graphql", json={"query": query})
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error.get("extensions") == {"code": "BAD_USER_INPUT", "field": "after"}, error


def test_a_chunked_body_over_one_megabyte_is_refused_with_413(server: LiveServer) -> None:
    """Found by the fuzzing: the limit read only Content-Length, and a chunked body has
    none, so any size was read whole and executed."""

    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(12):
            yield b"x" * 100_000
        yield b'"}'

    response = ask(server, "POST", "/graphql", content=chunks())
    assert response.status_code == 413, response.text


def test_a_deadline_centuries_ahead_is_refused_or_its_light_costs_no_walk_to_it(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(mutation: str) -> dict[str, Any]:
        response = live.client.post(
            "/graphql", json={"query": f"mutation {{ {mutation} }}"}, headers=live.auth()
        )
        result: dict[str, Any] = next(iter(response.json()["data"].values()))
        return result

    success = "{ __typename ... on MutationSuccess { itemId } ... on UserError { message } }"
    unit = run(f'registerUnit(input: {{name: "局", kind: DEPARTMENT}}) {success}')["itemId"]
    task = run(f'registerTask(input: {{planYear: 2026, title: "任务"}}) {success}')["itemId"]
    far = "2100-12-31"  # 9999-12-31 costs 81 s; this ~1 s
    assigned = run(
        f'assignTask(input: {{taskId: "{task}", leadUnits: ["{unit}"], deadline: "{far}"}}) '
        + success
    )
    if assigned["__typename"] == "ValidationError":
        return  # refused: no walk to it ever
    assert assigned["__typename"] == "MutationSuccess", assigned
    calendar = live.services.ledger.rules.calendar
    looked_up = 0
    look_up = calendar.is_working_day

    def counted(day: date) -> bool:
        nonlocal looked_up
        looked_up += 1
        return look_up(day)

    monkeypatch.setattr(calendar, "is_working_day", counted)
    position = assigned and live.services.ledger.recorder.max_notification_id()
    listed = live.gql("{ tasks { nodes { light } } }", position=position)
    assert listed["tasks"]["nodes"], listed
    assert looked_up < 3700, f"one task's light looked up {looked_up} days"
