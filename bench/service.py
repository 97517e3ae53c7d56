"""Benchmark: the GraphQL API's query latency and mutation rate beside ``{ __typename }``.

    make bench-api [BENCH_DATABASE_URL=... BENCH_KEY_DIR=... BENCH_BASELINE_REF=...]
    .venv/bin/python bench/service.py --clients 32 --view-clients 1 --seconds 10 \\
        [--database-url URL --key-dir DIR] [--baseline-ref GITREF]

Serves a ledger with ``ledger serve`` (a subprocess on a free loopback port): the one
``--database-url`` names, else a fresh SQLite file with the 2021 plan seeded (bench/servers.py
says which keys, which copies, and what the bench writes). After ``/readyz`` (the time it
took is printed: a server rebuilds on start the projections whose versions changed), it
drives the server, one phase after another, each for --seconds or --requests, in two parts:

views, with --view-clients clients (1: each query's own latency, nothing queued behind it):
  ``{ __typename }`` (the cost of HTTP, Starlette and strawberry alone: the baseline), the
  5+1+1 overview with the big screen's selection and the legacy-problem totals in full
  (both read from api/web/src/screen/queries.js), every unit's scorecard for this year,
  the first 50 tasks with their units (the task board's query), ``{ __typename }`` again;
load, with --clients concurrent clients (asyncio tasks, each with its own connection):
  ``{ __typename }``; a dashboard query (20 tasks with their lead units, the overview's
  channel figures); mutations: each client registers a task, assigns it, urges it twice
  and receives a complaint, over and over (typed errors, there should be none, are counted
  apart; then, not timed, the wait until the projections include the last write is
  printed); ``{ __typename }`` again.

Each part prints requests, requests/s, p50 and p99 per phase (and per mutation), and each
phase's p50 and rate divided by those of its part's baseline (the mean of its two
``{ __typename }`` phases). Machines here are noisy: the ratios are the figures to compare.

``--baseline-ref GITREF`` serves the same ledger from that commit too (the old server,
beside this checkout's, the new), each on its own copy, and runs every phase on one then
the other (their order swapped each phase), so that both see the same machine; the tables
show each figure for old and new side by side. ``--parts views`` or ``--parts load`` runs
one part. An HTTP or GraphQL error stops the run and is printed; the servers are always
stopped, the copies dropped and the temporary directory deleted.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Column, percentile, table
from servers import Server, ServerError, screen_subscription
from serving import Serving, serving_options

CHINA_TIME = timezone(timedelta(hours=8))
CATCH_UP_SECONDS = 120.0
REQUEST_TIMEOUT = 120.0
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
SCORECARDS = """
query Scorecards($period: String!) {
  unitScorecards(period: $period) {
    period name figures overdueTasks overdueSignFors assessments unit { id }
  }
}
"""
TASKS = """
query Tasks {
  tasks(first: 50) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id planYear number title state progress deadline light tier leadUnits { id name } }
  }
  units { id name }
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


def screen_query(name: str) -> str:
    """The big screen's subscription ``name`` as a query: the same selection."""
    return "query" + screen_subscription(name).removeprefix("subscription")


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


Workload = Callable[[Client, int, Budget], Coroutine[Any, Any, None]]


def query_workload(kind: str, query: str, year: int | None = None) -> Workload:
    """``query`` over and over (with ``$period`` the year, if given)."""
    variables = None if year is None else {"period": str(year)}

    async def run(client: Client, number: int, budget: Budget) -> None:
        while budget.take():
            await client.graphql(kind, query, variables)

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


async def catch_up(http: httpx.AsyncClient, url: str, position: int) -> float:
    """Seconds until a read naming ``position`` (``X-Ledger-Position``, as a client reading
    its own writes does) is answered: the projections include it (not timed as a phase:
    the next phase starts on a server that is no longer projecting). ``/readyz`` says only
    ready or not."""
    started = time.perf_counter()
    query = {"query": "{ supervisionOverview { __typename } }"}
    while time.perf_counter() - started < CATCH_UP_SECONDS:
        answer = await http.post(url, json=query, headers={"X-Ledger-Position": str(position)})
        if answer.status_code == 200 and "errors" not in answer.json():
            return time.perf_counter() - started
        await asyncio.sleep(0.05)
    raise ServerError(f"the projections did not reach position {position} in {CATCH_UP_SECONDS} s")


@dataclass
class Target:
    """One server and its clients: a few for the views, more for the load."""

    server: Server
    view_clients: list[Client]
    load_clients: list[Client]

    @property
    def label(self) -> str:
        return self.server.label

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.view_clients + self.load_clients))


Results = dict[str, list[Phase]]  # by server, its phases in order


def view_steps() -> list[tuple[str, Callable[[Target], Workload]]]:
    year = datetime.now(CHINA_TIME).year
    overview, legacy = screen_query("OVERVIEW"), screen_query("LEGACY")
    return [
        (TYPENAME, lambda _: query_workload("typename", TYPENAME)),
        ("supervisionOverview", lambda _: query_workload("overview", overview)),
        ("legacyIssueTotals", lambda _: query_workload("legacy", legacy)),
        (f"unitScorecards {year}", lambda _: query_workload("scorecards", SCORECARDS, year)),
        ("tasks(first: 50)", lambda _: query_workload("tasks", TASKS)),
        (TYPENAME + " again", lambda _: query_workload("typename", TYPENAME)),
    ]


def load_steps(units: dict[str, list[str]]) -> list[tuple[str, Callable[[Target], Workload]]]:
    return [
        (TYPENAME, lambda _: query_workload("typename", TYPENAME)),
        ("tasks + overview", lambda _: query_workload("dashboard", DASHBOARD)),
        ("mutations", lambda target: mutation_workload(units[target.label])),
        (TYPENAME + " again", lambda _: query_workload("typename", TYPENAME)),
    ]


async def run_part(
    targets: list[Target],
    steps: list[tuple[str, Callable[[Target], Workload]]],
    clients: Callable[[Target], list[Client]],
    budget: Budget,
) -> Results:
    """Each step on each server in turn, the servers' order swapped every step."""
    results: Results = {t.label: [] for t in targets}
    for index, (name, workload) in enumerate(steps):
        for target in targets if index % 2 == 0 else targets[::-1]:
            phase = await run_phase(name, clients(target), workload(target), budget)
            results[target.label].append(phase)
            target.server.check_running()
    return results


async def drive(servers: list[Server], tokens: dict[str, list[str]], args: Any) -> list[Results]:
    targets = [
        Target(
            server,
            [Client(server.graphql_url, t) for t in tokens[server.label][: args.view_clients]],
            [Client(server.graphql_url, t) for t in tokens[server.label][: args.clients]],
        )
        for server in servers
    ]
    budget = Budget(args.seconds, args.requests)
    parts: list[Results] = []
    try:
        if "views" in args.parts:
            parts.append(await run_part(targets, view_steps(), lambda t: t.view_clients, budget))
        if "load" in args.parts:
            units = {t.label: await unit_ids(t.load_clients[0]) for t in targets}
            load = await run_part(targets, load_steps(units), lambda t: t.load_clients, budget)
            for target in targets:
                mutations = load[target.label][2]
                mutations.catch_up_seconds = await catch_up(
                    target.load_clients[0].http, target.server.graphql_url, mutations.last_position
                )
            parts.append(load)
    finally:
        await asyncio.gather(*(t.close() for t in targets))
    return parts


async def unit_ids(client: Client) -> list[str]:
    units = [u["id"] for u in (await client.graphql("units", UNITS))["units"]]
    if not units:
        raise ServerError("the ledger has no units")
    return units


COLUMNS = (
    Column("requests", ",.0f"),
    Column("req/s", ",.0f", 8),
    Column("p50 ms", ",.1f", 8),
    Column("p99 ms", ",.1f", 8),
    Column("p50/base", ".2f"),
    Column("rate/base", ".3f", 10),
)


SIDE_BY_SIDE = (  # fewer figures, for each twice: old, new
    Column("p50 ms", ",.1f", 8),
    Column("p99 ms", ",.1f", 8),
    Column("p50/base", ".2f"),
    Column("req/s", ",.0f", 8),
    Column("rate/base", ".3f", 9),
)


def report(results: Results, header: str) -> None:
    labels = list(results)
    bases = {}
    for label, phases in results.items():
        before, after = phases[0], phases[-1]
        bases[label] = ((before.p50 + after.p50) / 2, (before.rate + after.rate) / 2)

    def figures(label: str, latencies: list[float], seconds: float) -> dict[str, float]:
        rate = len(latencies) / seconds if seconds else 0.0
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        base_p50, base_rate = bases[label]
        return {
            "requests": len(latencies),
            "req/s": rate,
            "p50 ms": p50 * 1000,
            "p99 ms": p99 * 1000,
            "p50/base": p50 / base_p50,
            "rate/base": rate / base_rate,
        }

    rows: list[tuple[str, list[dict[str, float]]]] = []
    for index, phase in enumerate(results[labels[0]]):
        each = [results[label][index] for label in labels]
        rows.append(
            (
                phase.name,
                [
                    figures(lb, p.all_latencies, p.seconds)
                    for lb, p in zip(labels, each, strict=True)
                ],
            )
        )
        if len(phase.latencies) > 1:
            for kind in phase.latencies:
                rows.append(
                    (
                        f"  {kind}",
                        [
                            figures(lb, p.latencies[kind], p.seconds)
                            for lb, p in zip(labels, each, strict=True)
                        ],
                    )
                )
    print(header)
    print("\n".join(table(COLUMNS if len(labels) == 1 else SIDE_BY_SIDE, labels, rows)))
    print("  base: the mean of the two { __typename } phases")
    for label, phases in results.items():
        for phase in phases:
            if phase.catch_up_seconds is not None:
                print(
                    f"  {label}: projections caught up with the {phase.name} (log position "
                    f"{phase.last_position:,}) {phase.catch_up_seconds:.1f} s after the phase"
                )
    report_typed_errors([p for phases in results.values() for p in phases])


def report_typed_errors(phases: list[Phase]) -> None:
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


def bench(args: argparse.Namespace) -> int:
    try:
        tokens = max(args.clients, args.view_clients)
        with Serving(args, tokens, "ledger-bench-api-") as serving:
            parts = asyncio.run(drive(serving.servers, serving.tokens, args))
            each = f"{args.requests:,} requests" if args.requests else f"{args.seconds:g} s"
            names = [p for p in ("views", "load") if p in args.parts]
            for name, results in zip(names, parts, strict=True):
                clients = args.view_clients if name == "views" else args.clients
                report(results, f"{name}: {clients} clients, {each} per phase, {serving.ledger}")
        return 0
    except ServerError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="clients of the load (32)")
    parser.add_argument("--view-clients", type=int, default=1, help="clients of the views (1)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (10)")
    parser.add_argument(
        "--requests", type=int, help="requests per phase, in all (instead of --seconds)"
    )
    parser.add_argument(
        "--parts", default="views,load", help="views, load or both (views,load: the default)"
    )
    serving_options(parser)
    args = parser.parse_args()
    args.parts = set(args.parts.split(","))
    if not args.parts or not args.parts <= {"views", "load"}:
        parser.error("--parts: views, load, or views,load")
    if min(args.clients, args.view_clients) < 1 or args.seconds <= 0:
        parser.error("--clients and --view-clients must be 1 or more, --seconds more than 0")
    if args.requests is not None and args.requests < 1:
        parser.error("--requests must be 1 or more")
    raise SystemExit(bench(args))


if __name__ == "__main__":
    main()
