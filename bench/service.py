"""Benchmark: the GraphQL API's query latency and mutation rate beside ``{ __typename }``.

    make bench-api
    .venv/bin/python bench/service.py --clients 32 --seconds 10

Seeds the 2021 plan (``ledger seed changxing-2021``) into a fresh SQLite file in a
temporary directory (not timed), starts ``ledger serve`` on it as a subprocess on a free
loopback port, waits for ``/readyz``, then drives it with --clients concurrent clients
(asyncio tasks, each with its own HTTP connection), one phase after another, each for
--seconds or --requests:

1. ``{ __typename }``: the cost of HTTP, Starlette and strawberry alone (the baseline);
2. a dashboard query: the first 20 tasks with their lights and lead units, and the
   5+1+1 overview's channel figures (read models);
3. mutations: each client registers a task, assigns it, urges it twice and receives a
   complaint, over and over (the event log, one SQLite writer, while the server's
   projections thread follows it); typed errors (there should be none) are counted apart
   from successes; then, not timed, the wait until ``/readyz`` says the projections
   include the last write is printed;
4. ``{ __typename }`` again, to see how far the machine drifted during the run.

It prints requests, requests/s, p50 and p99 latency per phase (and per mutation), and
each phase's p50 and rate divided by those of the baseline (the mean of phases 1 and 4).
Machines here are noisy: the ratios are the figures to compare, not the absolute rates.
An HTTP error or a GraphQL error stops the run and is printed; the server is always
stopped and the temporary directory deleted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHINA_TIME = timezone(timedelta(hours=8))
READY_SECONDS = 120.0
STOP_SECONDS = 10.0
REQUEST_TIMEOUT = 60.0
WARMUP_PER_CLIENT = 3

TYPENAME = "{ __typename }"
DASHBOARD = """
query Dashboard {
  tasks(first: 20) {
    edges { node { id title light deadline leadUnits { name } } }
  }
  supervisionOverview { channels { channel received open } }
}
"""
UNITS = "{ units { id name } }"
RESULT = """
  __typename
  ... on MutationSuccess { itemId version position }
  ... on UserError { message }
"""
REGISTER_TASK = f"""
mutation Register($input: RegisterTaskInput!) {{ registerTask(input: $input) {{ {RESULT} }} }}
"""
ASSIGN_TASK = f"""
mutation Assign($input: AssignTaskInput!) {{ assignTask(input: $input) {{ {RESULT} }} }}
"""
URGE_TASK = f"""
mutation Urge($input: UrgeTaskInput!) {{ urgeTask(input: $input) {{ {RESULT} }} }}
"""
RECEIVE_COMPLAINT = f"""
mutation Receive($input: ReceiveComplaintInput!) {{
  receiveComplaint(input: $input) {{ {RESULT} }}
}}
"""


class ServerError(RuntimeError):
    """The server answered with an HTTP error or a GraphQL error: the run stops."""


@dataclass
class Phase:
    """What one phase measured: every request's latency, by kind, and its duration."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    typed_errors: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    last_position: int = 0  # the log position of the last write
    catch_up_seconds: float | None = None  # the projections' lag after the phase

    @property
    def all_latencies(self) -> list[float]:
        return [s for kind in self.latencies.values() for s in kind]

    @property
    def count(self) -> int:
        return len(self.all_latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.all_latencies, 50)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of ``values`` (seconds); NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class Budget:
    """When a phase's clients stop: after --seconds, or after --requests in all."""

    def __init__(self, seconds: float, requests: int | None) -> None:
        self.requests, self.seconds = requests, seconds
        self.issued = 0
        self.deadline = math.inf

    def start(self) -> None:
        self.issued = 0
        self.deadline = time.perf_counter() + self.seconds if self.requests is None else math.inf

    def take(self) -> bool:
        """True if one more request may start."""
        if self.requests is not None:
            if self.issued >= self.requests:
                return False
            self.issued += 1
            return True
        return time.perf_counter() < self.deadline


class Client:
    """One client: its own connection to the server, and the phase it records into."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(
            timeout=REQUEST_TIMEOUT,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            headers={"Authorization": f"Bearer {token}"},
        )
        self.phase: Phase | None = None

    async def close(self) -> None:
        await self.http.aclose()

    async def graphql(
        self, kind: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST one operation; record its latency under ``kind``; raise on any error."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        started = time.perf_counter()
        response = await self.http.post(self.url, json=body)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise ServerError(f"{kind}: HTTP {response.status_code}: {response.text[:500]}")
        answer: dict[str, Any] = response.json()
        if answer.get("errors"):
            raise ServerError(f"{kind}: GraphQL errors: {answer['errors']}")
        if self.phase is not None:
            self.phase.latencies[kind].append(elapsed)
        data: dict[str, Any] = answer["data"]
        return data

    async def mutate(self, kind: str, query: str, given: dict[str, Any]) -> str | None:
        """Run a mutation; the written item's id, or None (counted) on a typed error."""
        result = (await self.graphql(kind, query, {"input": given}))[kind]
        if result["__typename"] == "MutationSuccess":
            assert self.phase is not None
            self.phase.last_position = max(self.phase.last_position, result["position"])
            item_id: str = result["itemId"]
            return item_id
        assert self.phase is not None  # a typed error is not a mutation done: set apart
        self.phase.typed_errors[f"{kind}: {result['__typename']}"] += 1
        self.phase.latencies[kind].pop()
        if len(self.phase.error_examples) < 5:
            self.phase.error_examples.append(f"{kind}: {result['__typename']}: {result}")
        return None


Workload = Callable[[Client, int, Budget], Awaitable[None]]


def query_workload(kind: str, query: str) -> Workload:
    async def run(client: Client, number: int, budget: Budget) -> None:
        while budget.take():
            await client.graphql(kind, query)

    return run


def mutation_workload(units: list[str]) -> Workload:
    """Register, assign, urge twice, receive a complaint; again, until the budget ends."""
    today = datetime.now(CHINA_TIME).date()
    deadline = (today + timedelta(days=90)).isoformat()

    async def run(client: Client, number: int, budget: Budget) -> None:
        cycle = 0
        while True:
            cycle += 1
            unit = units[(number + cycle) % len(units)]
            if not budget.take():
                return
            title = f"bench task {number}-{cycle}"
            task = await client.mutate(
                "registerTask", REGISTER_TASK, {"planYear": today.year, "title": title}
            )
            if task is None:
                continue
            if not budget.take():
                return
            assigned = await client.mutate(
                "assignTask",
                ASSIGN_TASK,
                {"taskId": task, "leadUnits": [unit], "deadline": deadline},
            )
            for urge in (1, 2):
                if assigned is None or not budget.take():
                    break
                await client.mutate(
                    "urgeTask", URGE_TASK, {"taskId": task, "reason": f"bench urge {urge}"}
                )
            if not budget.take():
                return
            await client.mutate(
                "receiveComplaint",
                RECEIVE_COMPLAINT,
                {
                    "channel": "HOTLINE_12345",
                    "summary": f"bench complaint {number}-{cycle}",
                    "firstResponder": unit,
                },
            )

    return run


async def run_phase(name: str, clients: list[Client], workload: Workload, budget: Budget) -> Phase:
    """Warm each connection up (not timed), then run ``workload`` on every client at once."""
    await asyncio.gather(
        *(c.graphql("warm-up", TYPENAME) for c in clients for _ in range(WARMUP_PER_CLIENT))
    )
    phase = Phase(name)
    for client in clients:
        client.phase = phase
    budget.start()
    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:  # the first error cancels the other clients
        for number, client in enumerate(clients):
            group.create_task(workload(client, number, budget))
    phase.seconds = time.perf_counter() - started
    for client in clients:
        client.phase = None
    return phase


async def drive(url: str, tokens: list[str], budget: Budget) -> list[Phase]:
    clients = [Client(url, token) for token in tokens]
    try:
        units = [u["id"] for u in (await clients[0].graphql("units", UNITS))["units"]]
        if not units:
            raise ServerError("the seeded ledger has no units")
        before = await run_phase(TYPENAME, clients, query_workload("typename", TYPENAME), budget)
        dashboard = await run_phase(
            "tasks + overview", clients, query_workload("dashboard", DASHBOARD), budget
        )
        mutations = await run_phase("mutations", clients, mutation_workload(units), budget)
        mutations.catch_up_seconds = await catch_up(clients[0].http, url, mutations.last_position)
        after = await run_phase(
            TYPENAME + " again", clients, query_workload("typename", TYPENAME), budget
        )
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    return [before, dashboard, mutations, after]


async def catch_up(http: httpx.AsyncClient, url: str, position: int) -> float:
    """Seconds until a read naming ``position`` (``X-Ledger-Position``, as a client reading
    its own writes does) is answered: the projections include it (not timed as a phase:
    the next phase starts on a server that is no longer projecting). ``/readyz`` says only
    ready or not."""
    started = time.perf_counter()
    query = {"query": "{ supervisionOverview { __typename } }"}
    while time.perf_counter() - started < READY_SECONDS:
        answer = await http.post(url, json=query, headers={"X-Ledger-Position": str(position)})
        if answer.status_code == 200 and "errors" not in answer.json():
            return time.perf_counter() - started
        await asyncio.sleep(0.05)
    raise ServerError(f"the projections did not reach position {position} in {READY_SECONDS} s")


def report(phases: list[Phase], header: str) -> None:
    before, after = phases[0], phases[-1]
    base_p50 = (before.p50 + after.p50) / 2
    base_rate = (before.rate + after.rate) / 2
    print(header)
    print(
        f"  {'phase':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p50/base':>9} {'rate/base':>10}"
    )

    def row(label: str, latencies: list[float], seconds: float) -> None:
        rate = len(latencies) / seconds if seconds else 0.0
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        print(
            f"  {label:<22} {len(latencies):>9,} {rate:>8,.0f} {p50 * 1000:>8.1f} "
            f"{p99 * 1000:>8.1f} {p50 / base_p50:>9.2f} {rate / base_rate:>10.3f}"
        )

    for phase in phases:
        row(phase.name, phase.all_latencies, phase.seconds)
        if len(phase.latencies) > 1:
            for kind, latencies in phase.latencies.items():
                if latencies:  # none when every one was a typed error
                    row(f"  {kind}", latencies, phase.seconds)
    print("  base: the mean of the two { __typename } phases")
    for phase in phases:
        if phase.catch_up_seconds is not None:
            print(
                f"  projections caught up with the {phase.name} (log position "
                f"{phase.last_position:,}) {phase.catch_up_seconds:.1f} s after the phase"
            )
    typed = sum((p.typed_errors for p in phases), Counter[str]())
    if not typed:
        print("  typed errors: none")
        return
    print(f"  typed errors (not counted above): {sum(typed.values())}")
    for kind, count in typed.most_common():
        print(f"    {kind}: {count}")
    for phase in phases:
        for example in phase.error_examples:
            print(f"    e.g. {example}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ledger_command() -> list[str]:
    """The installed ``ledger`` script beside this interpreter, else ``python -m api.cli.main``."""
    script = Path(sys.executable).parent / "ledger"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "api.cli"]


def wait_until_ready(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    last = "no answer"
    with httpx.Client(timeout=5.0) as http:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise ServerError(f"ledger serve exited with status {server.returncode}")
            try:
                answer = http.get(f"{base}/readyz")
            except httpx.TransportError as error:
                last = f"{type(error).__name__}: {error}"
            else:
                if answer.status_code == 200:
                    return
                last = f"HTTP {answer.status_code}: {answer.text[:300]}"
            time.sleep(0.2)
    raise ServerError(f"ledger serve not ready after {READY_SECONDS:.0f} s ({last})")


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(server: subprocess.Popen[bytes]) -> None:
    """Terminate the server; kill it if it has not stopped after STOP_SECONDS."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        print(f"bench: ledger serve ignored SIGTERM for {STOP_SECONDS:.0f} s; killing it")
        server.kill()
        server.wait()


def office_tokens(env: dict[str, str], count: int) -> list[str]:
    """One office token per client (each has its own rate limit), issued in-process."""
    from api.bootstrap import open_ledger
    from api.cli.tokens import create_token
    from api.settings import Settings
    from domain.meta import Role

    ledger = open_ledger(Settings.from_environ(env), create=False)
    try:
        return [
            create_token(ledger, role=Role.OFFICE, unit=None, name=f"bench client {i}").secret
            for i in range(count)
        ]
    finally:
        ledger.close()


def bench(clients: int, seconds: float, requests: int | None, port: int | None) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-api-"))
    server: subprocess.Popen[bytes] | None = None
    log = workdir / "serve.log"
    try:
        database = workdir / "ledger.sqlite"
        env = {
            **os.environ,
            "LEDGER_DATABASE_URL": f"sqlite:///{database}",
            "LEDGER_PERSONAL_DATA_KEY_FILE": str(workdir / "ledger.key"),
        }
        seeded = subprocess.run(
            [*ledger_command(), "seed", "changxing-2021"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if seeded.returncode != 0:
            raise ServerError(f"ledger seed failed ({seeded.returncode}): {seeded.stderr}")
        tokens = office_tokens(env, clients)
        port = port or free_port()
        base = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [*ledger_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until_ready(server, base, log)
        budget = Budget(seconds, requests)
        phases = asyncio.run(drive(f"{base}/graphql", tokens, budget))
        if server.poll() is not None:
            raise ServerError(f"ledger serve exited during the run ({server.returncode})")
        each = f"{requests:,} requests" if requests is not None else f"{seconds:g} s"
        report(
            phases,
            f"ledger serve on SQLite at {base}, {clients} clients, {each} per phase "
            f"({seeded.stdout.strip()})",
        )
        return 0
    except ServerError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        if server is not None:
            print(f"bench: the server's log:\n{tail(log)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop(server)
        with contextlib.suppress(OSError):
            shutil.rmtree(workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (10)")
    parser.add_argument(
        "--requests", type=int, help="requests per phase, in all (instead of --seconds)"
    )
    parser.add_argument("--port", type=int, help="port for ledger serve (default: a free one)")
    args = parser.parse_args()
    if args.clients < 1 or args.seconds <= 0 or (args.requests is not None and args.requests < 1):
        parser.error("--clients and --requests must be 1 or more, --seconds more than 0")
    raise SystemExit(bench(args.clients, args.seconds, args.requests, args.port))


if __name__ == "__main__":
    main()
