"""Two ``ledger serve`` processes on one PostgreSQL schema, as replicas behind a load balancer:
each running its projections and the ledger's clock, as by default, or neither, with one
``ledger project`` running both. Subscribers on both hear every event once and in order,
written through either process (LISTEN/NOTIFY wakes the other), and see the overview count
every complaint, those written through the other process included; the projections of both
end at the log's end, no read model counts a write twice, a token revoked elsewhere ends the
subscriptions of both, and the two clocks record each timed act once.

Real child processes (the command line, an interpreter each), real sockets, real
graphql-transport-ws clients. Needs LEDGER_TEST_POSTGRES_URL: without it these are skipped,
saying so, as every PostgreSQL test is (``tests/conftest.py``); an unreachable server fails them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import Notification

from api.bootstrap import open_ledger, open_read_models
from api.cli.tokens import create_token, revoke
from domain.meta import Role
from projections.status import statuses
from tests.api.subscription_helpers import (
    LEDGER_EVENTS,
    OFFICE,
    OVERVIEW,
    end_of,
    received_on,
)
from tests.api.ws_client import TIMEOUT, GraphQLWS
from tests.clock import SETTING as TEST_NOW
from tests.clock import now
from tests.conftest import settings_for
from tests.integration.ledger_runs import ROOT, command_environ
from tests.pages.ports import port_outside_ephemeral_range

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

READY_SECONDS = 60.0
PER_REPLICA = 12
"""Complaints written through each replica."""
CHANNELS = ("HOTLINE_12345", "MEDIA")
"""The channel of the complaints written through the first replica, and through the second:
so a replica's overview shows which of its counts came through the other."""
CLOCK_TICK_SECONDS = 0.2
"""How often each replica's clock looks for timed acts due (30 s by default)."""
POLL_SECONDS = 120.0
"""How often a replica would look at the log unwoken (0.5 s by default)."""
SUCCESS = "__typename ... on MutationSuccess { itemId position } ... on UserError { message }"


@dataclass
class Replica:
    """One ``ledger serve`` child process, and an HTTP client of it."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    client: httpx.Client

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()}"
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.1)
        pytest.fail(f"{self.name} not ready within {READY_SECONDS} s:\n{self.output()}")

    def gql(self, query: str, variables: dict[str, Any], token: str, position: int = 0) -> Any:
        headers = {"authorization": f"Bearer {token}", "x-ledger-position": str(position)}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, f"{self.name}: {response.text}"
        body = response.json()
        assert "errors" not in body, f"{self.name}: {body['errors']}"
        return body["data"]


PROJECTIONS_IN_EACH = "projections-in-each"
"""Each replica runs the projections and the clock (the default)."""
ONE_LEDGER_PROJECT = "one-ledger-project"
"""The replicas run neither (``--no-projections --no-timed-acts``); one ``ledger project``
runs both, and the replicas follow the positions it records."""


def serve_options(port: int, topology: str) -> list[str]:
    """The address and the topology's options. With projections in each: the clock's tick,
    and a poll interval longer than any wait of the tests, so that a write through the
    other replica is heard in time only through LISTEN/NOTIFY. Without (the replicas poll
    the positions ``ledger project`` records): the default interval."""
    address = ["--host", "127.0.0.1", "--port", str(port)]
    if topology == ONE_LEDGER_PROJECT:
        return [*address, "--no-projections", "--no-timed-acts"]
    tick, poll = str(CLOCK_TICK_SECONDS), str(POLL_SECONDS)
    return [*address, "--timed-act-seconds", tick, "--poll-seconds", poll]


@contextmanager
def ledger_process(database_url: str, log: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``ledger ARGS`` on ``database_url``, a child process writing to ``log``; stopped
    (SIGTERM) afterwards."""
    settings = {TEST_NOW: os.environ[TEST_NOW]} if os.environ.get(TEST_NOW) else {}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", *args],
            cwd=ROOT,
            env=command_environ(database_url, settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def ledger_serve(
    database_url: str, home: Path, name: str, port: int, topology: str
) -> Iterator[Replica]:
    """``ledger serve`` on ``database_url`` listening on ``port``, in ``topology``."""
    log = home / f"{name}.log"
    options = serve_options(port, topology)
    with (
        ledger_process(database_url, log, "serve", *options) as process,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, trust_env=False) as client,
    ):
        yield Replica(name, port, process, log, client)


@pytest.fixture(params=[PROJECTIONS_IN_EACH])
def replicas(
    request: pytest.FixtureRequest, postgres_url: str, tmp_path: Path
) -> Iterator[tuple[Replica, Replica]]:
    """Two replicas on one fresh schema, started at once (each sets the schema up, one at a
    time under the database's set-up lock), in the topology the test names (else each
    running the projections), both ready."""
    topology: str = request.param
    first = port_outside_ephemeral_range()
    ports = {"A": first, "B": port_outside_ephemeral_range(handed_out=[first])}
    with ExitStack() as stack:
        if topology == ONE_LEDGER_PROJECT:
            tick = str(CLOCK_TICK_SECONDS)
            log = tmp_path / "project.log"
            stack.enter_context(
                ledger_process(postgres_url, log, "project", "--timed-act-seconds", tick)
            )
        pair = [
            stack.enter_context(ledger_serve(postgres_url, tmp_path, n, port, topology))
            for n, port in ports.items()
        ]
        for replica in pair:
            replica.wait_ready()
        yield pair[0], pair[1]
        for replica in pair:
            assert replica.process.poll() is None, f"{replica.name} exited:\n{replica.output()}"


TOPOLOGIES = pytest.mark.parametrize(
    "replicas", [PROJECTIONS_IN_EACH, ONE_LEDGER_PROJECT], indirect=True
)


def office_token(database_url: str) -> str:
    with closing(open_ledger(settings_for(database_url))) as ledger:
        return create_token(ledger, role=Role.OFFICE, unit=None, name="office-zhang").secret


def revoke_elsewhere(database_url: str, token: str) -> None:
    """Revoke ``token`` from a process of its own (``ledger token revoke`` does the same)."""
    with closing(open_ledger(settings_for(database_url))) as ledger:
        revoke(ledger, token, "moved to another post", OFFICE)


def logged(database_url: str, after: int = 0) -> list[Notification]:
    """The ledger's events after ``after`` (its receipts left out)."""
    with closing(open_ledger(settings_for(database_url))) as ledger:
        notifications = ledger.recorder.select_notifications(start=after + 1, limit=1_000_000)
    return [n for n in notifications if not n.topic.startswith("domain.receipt:")]


def logged_positions(database_url: str, after: int) -> list[int]:
    return [n.id for n in logged(database_url, after)]


def register_unit(replica: Replica, token: str) -> str:
    query = (
        f'mutation {{ registerUnit(input: {{name: "区住建局", kind: DEPARTMENT}}) '
        f"{{ {SUCCESS} }} }}"
    )
    written = replica.gql(query, {}, token)["registerUnit"]
    assert written["__typename"] == "MutationSuccess", written
    unit: str = written["itemId"]
    return unit


def receive_complaints(
    replica: Replica,
    token: str,
    unit: str,
    channel: str,
    *,
    count: int = PER_REPLICA,
    occurred: datetime | None = None,
) -> list[int]:
    """``count`` complaints on ``channel`` through ``replica`` (received at ``occurred``,
    else now): their positions."""
    query = (
        "mutation($c: Channel!, $u: ID!, $at: DateTime) { receiveComplaint(input: {channel: $c, "
        f'summary: "road blocked", firstResponder: $u, occurredAt: $at}}) {{ {SUCCESS} }} }}'
    )
    at = occurred.isoformat() if occurred else None
    positions = []
    for _ in range(count):
        written = replica.gql(query, {"c": channel, "u": unit, "at": at}, token)["receiveComplaint"]
        assert written["__typename"] == "MutationSuccess", written
        positions.append(written["position"])
    return positions


def write_through_both(replicas: tuple[Replica, ...], token: str, unit: str) -> list[int]:
    """Complaints written through both replicas at once: every position written."""
    written: list[list[int]] = [[] for _ in replicas]
    failures: list[BaseException] = []

    def write(index: int) -> None:
        try:
            written[index] = receive_complaints(replicas[index], token, unit, CHANNELS[index])
        except BaseException as error:  # reported by the test
            failures.append(error)

    writers = [threading.Thread(target=write, args=(i,)) for i in range(len(replicas))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert not failures, failures
    return sorted(p for positions in written for p in positions)


def overview_counting(client: GraphQLWS, op: str, expected: dict[str, int]) -> dict[str, Any]:
    """The overview's snapshots until one counts ``expected`` received on each channel (none
    may count more on the way); that one."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        overview = client.next(op)["supervisionOverview"]
        counts = {channel: received_on(overview, channel) for channel in expected}
        assert all(counts[c] <= expected[c] for c in expected), counts
        if counts == expected:
            return overview
        assert time.monotonic() < deadline, f"the overview never counted {expected}: {counts}"


def both_projected_once(
    replicas: tuple[Replica, ...], token: str, database_url: str, counts: dict[str, int]
) -> None:
    """The projections of both replicas reach the log's end (each answers a read at that
    position only once its own do), count every complaint once (by channel, and in all),
    and stopped at no event; the positions they stored are the end."""
    end = logged_positions(database_url, 0)[-1]
    query = """{ supervisionOverview { channels { channel received open } }
                 complaints(first: 1) { totalCount } }"""
    for replica in replicas:
        answer = replica.gql(query, {}, token, position=end)
        found = {c: received_on(answer["supervisionOverview"], c) for c in counts}
        assert found == counts, replica.name
        assert answer["complaints"]["totalCount"] == sum(counts.values()), replica.name
        assert replica.client.get("/readyz").status_code == 200, replica.output()
    engine = open_read_models(settings_for(database_url))
    try:
        stored = statuses(engine)
    finally:
        engine.dispose()
    assert stored, "the projections' statuses"
    assert {(s.name, s.position, s.failed_position) for s in stored} == {
        (s.name, end, None) for s in stored
    }


@TOPOLOGIES
def test_two_replicas_tell_every_subscriber_every_write_once_in_order_and_count_each_once(
    replicas: tuple[Replica, Replica], postgres_url: str
) -> None:
    token = office_token(postgres_url)
    unit = register_unit(replicas[1], token)
    start = logged_positions(postgres_url, 0)[-1]
    counts = dict.fromkeys(CHANNELS, PER_REPLICA)
    with ExitStack() as stack:
        subscribers = []
        for replica in replicas:
            for _ in range(2):  # two connections to each, each following the log and the view
                client = stack.enter_context(
                    GraphQLWS(replica.ws_url, payload={"authorization": f"Bearer {token}"})
                )
                log = client.subscribe(LEDGER_EVENTS, {"after": start})
                overview = client.subscribe(OVERVIEW)
                assert client.next(overview)["supervisionOverview"]["channels"]
                subscribers.append((replica, client, log, overview))

        written = write_through_both(replicas, token, unit)
        expected = logged_positions(postgres_url, start)
        assert expected == written, "the log holds the complaints and nothing else"
        for replica, client, log, overview in subscribers:
            got = [d["ledgerEvents"]["position"] for d in client.nexts(log, len(expected))]
            assert got == expected, f"the log as a subscriber of {replica.name} received it"
            overview_counting(client, overview, counts)

        (marker,) = receive_complaints(replicas[0], token, unit, CHANNELS[0], count=1)
        for replica, client, log, _ in subscribers:  # nothing came in between, nothing twice
            following = client.next(log)["ledgerEvents"]["position"]
            assert following == marker, f"after the writes, a subscriber of {replica.name}"
        both_projected_once(replicas, token, postgres_url, {**counts, CHANNELS[0]: PER_REPLICA + 1})

        revoke_elsewhere(postgres_url, token)
        for replica, client, log, overview in subscribers:
            for op in (log, overview):
                ending = end_of(client, op)
                assert any("revoked" in m for m in ending), (replica.name, ending)


def test_two_replicas_clocks_urge_each_overdue_complaint_once(
    replicas: tuple[Replica, Replica], postgres_url: str
) -> None:
    token = office_token(postgres_url)
    unit = register_unit(replicas[0], token)
    weeks_ago = now() - timedelta(days=20)  # 12345 cases close within 5 working days
    overdue = [
        receive_complaints(replica, token, unit, "HOTLINE_12345", count=3, occurred=weeks_ago)
        for replica in replicas
    ]

    def urged() -> list[Notification]:
        return [n for n in logged(postgres_url) if n.topic.endswith(".OverdueUrged")]

    deadline = time.monotonic() + TIMEOUT
    while len(urged()) < 6:
        assert time.monotonic() < deadline, f"urged {len(urged())} of 6 overdue complaints"
        time.sleep(CLOCK_TICK_SECONDS)
    end = logged_positions(postgres_url, 0)[-1]
    for replica in replicas:  # the read models of both hold the urges: neither urges again
        replica.gql("{ complaints(first: 1) { totalCount } }", {}, token, position=end)
    assert len(overdue[0] + overdue[1]) == 6
    assert sorted(n.originator_version for n in urged()) == [2] * 6
    assert len({n.originator_id for n in urged()}) == 6
