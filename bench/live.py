"""Benchmark: live views at scale: how long N WebSocket subscribers wait for a view's first
snapshot and for a write to reach them, beside one subscriber.

    make bench-live [BENCH_VIEW=... BENCH_SUBSCRIBERS=... BENCH_DATABASE_URL=... ...]
    .venv/bin/python bench/live.py --view supervisionOverview --subscribers 2000 --writes 5 \\
        [--database-url URL --key-dir DIR] [--baseline-ref GITREF]

Serves a ledger as bench/service.py does (bench/servers.py: a given one or a fresh SQLite
one; with --baseline-ref, that commit's server too, each on its own copy), then, for one
subscriber (the baseline) and then for --subscribers, on each server in turn:

1. the server's resident memory (VmRSS) before subscribing;
2. that many WebSockets (graphql-transport-ws, an office token as the ``connection_init``
   payload) spread over --processes client processes (bench/live_clients.py), each
   connected and acknowledged, then all subscribing at once to --view (the big screen's
   subscription for the two views; ``ledgerEvents`` from the log's last event, so that
   its first message is that event): the time from each subscribe to its first message;
3. the server's memory with them all subscribed;
4. --writes times, one after another, a write over HTTP that changes the view (a 12345
   complaint received; for legacyIssueTotals a legacy problem registered) and, for each
   subscriber, the time from the write's response to the first message reflecting it (for
   ledgerEvents the event at the write's position; for a view the first snapshot sent
   after the write), waiting for every one or --timeout;
5. the sockets closed, and the server left to finish what it was doing.

It prints p50, p99 and max of both times, how many subscribers had nothing within
--timeout, each p50 over the one subscriber's, the writes' own round trip, the memory, and
how busy the busiest client process was while the messages arrived (near 100% of a core:
the clients, not the server, were the limit; add --processes). Then the lines of each
server's ``GET /metrics`` on projections and live subscriptions (or that it has none).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import percentile
from servers import LIVE_WORDS, Server, ServerError, metric_lines, screen_subscription
from serving import Serving, serving_options

HERE = Path(__file__).resolve().parent
SUBSCRIBERS_PER_PROCESS = 1000
SETTLE_SECONDS = 1.0  # twice the views' coalescing: a view's last update is out
EVENTS = """subscription Events($after: Int!) {
  ledgerEvents(after: $after) { position itemId itemType type }
}"""
RESULT = "__typename ... on MutationSuccess { position } ... on UserError { message }"
RECEIVE = f"""mutation Receive($input: ReceiveComplaintInput!) {{
  receiveComplaint(input: $input) {{ {RESULT} }} }}"""
REGISTER = f"""mutation Register($input: RegisterLegacyIssueInput!) {{
  registerLegacyIssue(input: $input) {{ {RESULT} }} }}"""
VIEWS = ("supervisionOverview", "legacyIssueTotals", "ledgerEvents")


@dataclass
class Round:
    """One server with some subscribers: what they waited for, and what it cost."""

    server: str
    subscribers: int
    firsts: list[float] = field(default_factory=list)  # seconds; NaN: nothing in time
    deliveries: list[float] = field(default_factory=list)  # from the write's response
    since_sent: list[float] = field(default_factory=list)  # the same, from its request
    round_trips: list[float] = field(default_factory=list)  # the writes' own
    rss_before: float = math.nan
    rss_with: float = math.nan
    connect_seconds: float = math.nan
    busiest_client: float = math.nan  # of a core, the busiest client process's
    idle_after: float | None = 0.0  # None: still busy
    errors: list[str] = field(default_factory=list)
    live_metrics: list[str] = field(default_factory=list)  # /metrics, with them subscribed


class Writer:
    """The office, writing over HTTP what changes the view."""

    def __init__(self, server: Server, token: str, view: str) -> None:
        self.server, self.view = server, view
        self.http = httpx.AsyncClient(timeout=120.0, headers={"Authorization": f"Bearer {token}"})
        self.unit = ""
        self.count = 0

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = await self.http.post(
            self.server.graphql_url, json={"query": query, "variables": variables or {}}
        )
        body: dict[str, Any] = answer.json()
        if answer.status_code != 200 or body.get("errors"):
            raise ServerError(f"{self.server.label}: HTTP {answer.status_code}: {body}")
        data: dict[str, Any] = body["data"]
        return data

    async def write(self) -> tuple[float, float, int]:
        """One write: when it was sent, when answered (``time.monotonic()``), its position."""
        if not self.unit:
            self.unit = (await self.post("{ units { id } }"))["units"][0]["id"]
        self.count += 1
        mutation, given = self.mutation()
        sent = time.monotonic()
        data = await self.post(mutation, {"input": given})
        answered = time.monotonic()
        result = next(iter(data.values()))
        if result["__typename"] != "MutationSuccess":
            raise ServerError(f"{self.server.label}: the write was refused: {result}")
        return sent, answered, int(result["position"])

    def mutation(self) -> tuple[str, dict[str, Any]]:
        text = f"bench live {self.count} {time.time():.0f}"
        if self.view == "legacyIssueTotals":
            return REGISTER, {
                "title": text,
                "category": "OTHER",
                "cause": text,
                "responsibleUnit": self.unit,
                "targetYear": datetime.now().year,
                "baseline": False,
            }
        return RECEIVE, {"channel": "HOTLINE_12345", "summary": text, "firstResponder": self.unit}

    async def close(self) -> None:
        await self.http.aclose()


class ClientProcess:
    """One bench/live_clients.py process, driven a command at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> ClientProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "live_clients.py"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 26,  # an answer holds a time for each of its sockets
        )
        return cls(process)

    async def ask(self, command: str, **given: Any) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"command": command, **given}).encode() + b"\n")
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise ServerError(f"a client process ended ({await self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "failed" in answer:
            raise ServerError(f"a client process: {answer['failed']}")
        return answer

    async def close(self) -> None:
        if self.process.returncode is None:
            await self.ask("close")
            await self.process.wait()


def shares(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` as evenly as can be."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


async def measure(
    server: Server, tokens: list[str], args: argparse.Namespace, subscribers: int
) -> Round:
    """Subscribe ``subscribers``, then write --writes times (module docstring, 1-5)."""
    done = Round(server.label, subscribers, rss_before=server.rss_mib())
    writer = Writer(server, tokens[0], args.view)
    query, variables = screen_subscription_of(args.view), {}
    if args.view == "ledgerEvents":  # the log's last event is the first message
        variables = {"after": (await writer.write())[2] - 1}
    processes = args.processes or math.ceil(subscribers / SUBSCRIBERS_PER_PROCESS)
    clients = [await ClientProcess.start() for _ in range(min(processes, subscribers))]
    try:
        started = time.monotonic()
        counts = shares(subscribers, len(clients))
        await asyncio.gather(
            *(
                c.ask("open", url=server.ws_url, token=tokens[1], count=n)
                for c, n in zip(clients, counts, strict=True)
            )
        )
        done.connect_seconds = time.monotonic() - started
        answers = await asyncio.gather(
            *(
                c.ask("subscribe", query=query, variables=variables, timeout=args.timeout)
                for c in clients
            )
        )
        done.firsts = [d for a in answers for d in a["delays"]]
        errors = {e for a in answers for e in a["errors"]}
        done.rss_with = server.rss_mib()
        if subscribers > 1:
            done.live_metrics = await asyncio.to_thread(metric_lines, server, LIVE_WORDS)
        await asyncio.sleep(SETTLE_SECONDS)
        position = args.view == "ledgerEvents"
        for _ in range(args.writes):
            sent, answered, at = await writer.write()
            done.round_trips.append(answered - sent)
            answers = await asyncio.gather(
                *(
                    c.ask(
                        "expect",
                        sent=sent,
                        answered=answered,
                        position=at if position else None,
                        timeout=args.timeout,
                    )
                    for c in clients
                )
            )
            done.deliveries += [d for a in answers for d in a["delays"]]
            done.since_sent += [d + answered - sent for a in answers for d in a["delays"]]
            busy = (done.busiest_client, *(a["busy"] for a in answers))
            done.busiest_client = max((b for b in busy if not math.isnan(b)), default=math.nan)
            errors |= {e for a in answers for e in a["errors"]}
        done.errors = sorted(errors)
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        await writer.close()
    done.idle_after = await asyncio.to_thread(server.wait_until_idle)
    return done


def screen_subscription_of(view: str) -> str:
    if view == "ledgerEvents":
        return EVENTS
    return screen_subscription(
        {"supervisionOverview": "OVERVIEW", "legacyIssueTotals": "LEGACY"}[view]
    )


async def drive(serving: Serving, args: argparse.Namespace) -> list[Round]:
    """One subscriber, then --subscribers, each on every server in turn."""
    rounds = []
    for index, count in enumerate((1, args.subscribers)):
        servers = serving.servers if index % 2 == 0 else serving.servers[::-1]
        for server in servers:
            rounds.append(await measure(server, serving.tokens[server.label], args, count))
            server.check_running()
    return rounds


def report(rounds: list[Round], args: argparse.Namespace, ledger: str, servers: list[str]) -> None:
    order = sorted(rounds, key=lambda r: (r.subscribers, servers.index(r.server)))
    baseline = {r.server: r for r in rounds if r.subscribers == 1}
    heads = [f"{r.server} {r.subscribers:,}" for r in order]
    width = max(10, *(len(h) for h in heads))
    print(
        f"{args.view}: {args.writes} writes, timeout {args.timeout:g} s, {ledger}\n"
        + f"  {'':<36}"
        + "".join(f" {h:>{width}}" for h in heads)
    )

    def row(label: str, values: Sequence[float], form: str = ",.0f") -> None:
        cells = [cell(v, form) for v in values]
        print(f"  {label:<36}" + "".join(f" {c:>{width}}" for c in cells))

    def ms(values: list[float], pct: float) -> float:
        """A percentile in ms, those that had nothing in time counted as never."""
        return percentile([math.inf if math.isnan(v) else v for v in values], pct) * 1000

    def times(name: str, attribute: str, pcts: tuple[int, ...] = (50, 99, 100)) -> None:
        for pct in pcts:
            label = "max" if pct == 100 else f"p{pct}"
            row(f"{name} {label} ms", [ms(getattr(r, attribute), pct) for r in order], ",.1f")

    def ratio(attribute: str) -> None:
        one = {server: ms(getattr(r, attribute), 50) for server, r in baseline.items()}
        row(
            "  p50 × one subscriber's",
            [ms(getattr(r, attribute), 50) / one[r.server] for r in order],
            ".2f",
        )

    def missed(attribute: str) -> None:
        counts = [sum(map(math.isnan, getattr(r, attribute))) for r in order]
        row(f"  missed (none in {args.timeout:g} s)", counts)

    times("subscribe → first message", "firsts")
    ratio("firsts")
    missed("firsts")
    times("write's response → delivered", "deliveries")
    missed("deliveries")
    times("  from the write's request", "since_sent", (50, 99))
    ratio("since_sent")
    row("the write's round trip p50 ms", [ms(r.round_trips, 50) for r in order], ",.1f")
    row("connecting them all s", [r.connect_seconds for r in order], ",.2f")
    row("server RSS before subscribing MiB", [r.rss_before for r in order], ",.0f")
    row("server RSS with them MiB", [r.rss_with for r in order], ",.0f")
    row("busiest client process % of a core", [r.busiest_client * 100 for r in order])
    row(
        "server busy after closing them s",
        [math.nan if r.idle_after is None else r.idle_after for r in order],
        ",.1f",
    )
    if any(r.idle_after is None for r in order):
        print("  (-: the server was still busy 120 s after the subscribers had gone)")
    for r in order:
        for error in r.errors[:3]:
            print(f"  {r.server} {r.subscribers:,}: subscription error: {error}")


def print_metrics(rounds: list[Round], servers: list[Server]) -> None:
    """``GET /metrics`` of each server: its live feeds with the subscribers, then its
    projections and live feeds at the end."""
    for r in sorted(rounds, key=lambda r: [s.label for s in servers].index(r.server)):
        if r.live_metrics:
            print(f"{r.server}'s /metrics with {r.subscribers:,} subscribers, on live feeds:")
            print("\n".join(f"  {line}" for line in r.live_metrics))
    for server in servers:
        print(f"{server.label}'s /metrics at the end, on projections and live feeds:")
        print("\n".join(f"  {line}" for line in metric_lines(server)))


def cell(value: float, form: str) -> str:
    if math.isnan(value):
        return "-"
    return "missed" if math.isinf(value) else format(value, form)


def bench(args: argparse.Namespace) -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # the server and the clients
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherit it
    try:
        with Serving(args, 2, "ledger-bench-live-") as serving:
            rounds = asyncio.run(drive(serving, args))
            report(rounds, args, serving.ledger, [s.label for s in serving.servers])
            print_metrics(rounds, serving.servers)
        return 0
    except ServerError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", choices=VIEWS, default="supervisionOverview")
    parser.add_argument("--subscribers", type=int, default=1000, help="N (1000)")
    parser.add_argument("--writes", type=int, default=5, help="writes, one after another (5)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each (30)")
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help=f"client processes (default: one per {SUBSCRIBERS_PER_PROCESS} subscribers)",
    )
    serving_options(parser)
    args = parser.parse_args()
    if min(args.subscribers, args.writes) < 1 or args.timeout <= 0 or args.processes < 0:
        parser.error("--subscribers and --writes must be 1 or more, --timeout more than 0")
    raise SystemExit(bench(args))


if __name__ == "__main__":
    main()
