"""The harness of the fuzz tests (test_fuzz_*.py): the schema's own names, the checks every
answer must pass (never 5xx, never a traceback, a path or an internal error, nothing written
unless a mutation succeeded, the server still up), and a client sending requests through them.

``make fuzz`` (the "fuzz" Hypothesis profile of tests/conftest.py) runs ten times the examples,
from random seeds; ``LEDGER_FUZZ_SCALE=10`` multiplies them again;
``--hypothesis-show-statistics`` shows what kinds of answers they got.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from eventsourcing.utils import get_topic
from graphql import GraphQLObjectType, build_schema
from hypothesis import HealthCheck, currently_in_test_context, event, settings

from domain.access import Disclosure
from tests.api.conftest import LiveServer
from tests.clock import today
from tests.conftest import examples as profile_examples

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
"""More examples for a longer hunt: ``LEDGER_FUZZ_SCALE=10 pytest tests/api/test_fuzz_*.py``."""


def fuzz(examples: int) -> settings:
    """``examples`` requests under `make test`: the same ones every run, a sample sized to
    the suite's budget (each is a request over HTTP); `make fuzz` sends ten times as many,
    new ones each run, and LEDGER_FUZZ_SCALE multiplies either."""
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


SEEDED: list[str] = []
"""The global ids of the items the harness registered (filled per test)."""


@dataclass
class Sent:
    """A request as sent, for the checks."""

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
        response = self.http.request(
            sent.method, sent.path, content=sent.body, headers=sent.headers, params=sent.params
        )
        self.check(sent, response)
        if currently_in_test_context():
            event(outcome(response))
        self.check_log(sent, response.text, before)
        self.check_alive()
        return response

    def send_stream(self, sent: Sent) -> None:
        """Open the event stream, read its first event, close it; check as ``send``."""
        before = self.head()
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
            event(f"stream {response.status_code}")
        where = f"{sent.method} {sent.path} {sent.params} {sent.body[:300]!r}"
        assert response.status_code < 500, (response.status_code, first, where)
        leak = leaked(first, sent.text())
        assert leak is None, (leak, first[:2000], where)
        if response.status_code == 200 and "data:" in first:
            data = json.loads(first.split("data:", 1)[1].split("\n", 1)[0])
            assert "data" in data or "errors" in data, (first, where)
            messages = [e.get("message") for e in data.get("errors") or []]
            assert INTERNAL not in messages, (first, where)
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

    def check(self, sent: Sent, response: httpx.Response) -> None:
        where = f"{sent.method} {sent.path} {sent.headers} {sent.body[:300]!r}"
        text = response.text
        assert response.status_code < 500, f"{response.status_code} {text[:500]} for {where}"
        leak = leaked(text, sent.text())
        assert leak is None, f"{leak!r} leaked in {text[:2000]} for {where}"
        if response.status_code == 200:
            body = response.json()
            assert isinstance(body, dict), (body, where)
            assert "data" in body or "errors" in body, (body, where)
            for error in body.get("errors") or []:
                assert isinstance(error["message"], str) and error["message"], (error, where)
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


def post(harness: Fuzzed, payload: Any, who: str = "office", **headers: Any) -> Sent:
    headers = {"content-type": "application/json", **harness.auth(who), **headers}
    return Sent("POST", "/graphql", headers, encode(payload))


def encode(payload: Any, *, ascii_only: bool = True) -> bytes:
    """JSON as a hostile client may write it: NaN and lone surrogates included."""
    text = json.dumps(payload, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


@contextmanager
def fuzzing(live: LiveServer) -> Iterator[Fuzzed]:
    """The harness on ``live``, its items' ids given to the strategies (``SEEDED``)."""
    harness = Fuzzed(live)
    SEEDED[:] = harness.seeded
    try:
        yield harness
    finally:
        harness.close()
        SEEDED.clear()
