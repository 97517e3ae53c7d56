"""Benchmark: how long a mutation made over HTTP takes to appear on an open big screen.

    make bench-screen
    .venv/bin/python bench/screen_latency.py --mutations 20

Seeds the 2021 plan into a fresh SQLite file (not timed), starts ``ledger serve`` on it as
a subprocess on a free loopback port (as ``make run`` does, default settings: projections
polled every 0.5 s, a view's updates coalesced over 0.5 s), opens ``/screen`` as a viewer
in Debian's Chromium (Playwright, headless, 1920×1080), then --mutations times, one after
another: reads the 12345 channel's "received" figure on the screen, receives a 12345
complaint over HTTP as the office, and waits until the screen shows one more.

For each it measures, from the moment the request is sent: the HTTP round trip of the
mutation (the baseline: what any client waits for anyway) and the time until the screen
shows the new figure. It prints p50, p90 and max of both, and the screen's p50 over the
mutation's. The screen's time is the sum of the mutation, the projections catching up,
the coalescing of the view's updates, the subscription's message and the page's drawing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import percentile
from servers import Server, ServerError, seed_fresh, tail, this_tree

RECEIVE = """mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) {
  __typename ... on UserError { message } } }"""
FIGURE = '[data-figure="channel.HOTLINE_12345.received"]'
WAIT_MS = 30_000
READY_SECONDS = 120.0


def issue_tokens(env: dict[str, str]) -> tuple[str, str, str]:
    """A viewer token, an office token, and the id of a unit to receive complaints."""
    from api.bootstrap import open_ledger
    from api.cli.tokens import create_token
    from api.settings import Settings
    from domain.meta import Role
    from domain.unit import unit_id_for

    ledger = open_ledger(Settings.from_environ(env), create=False)
    try:
        viewer = create_token(ledger, role=Role.VIEWER, unit=None, name="bench screen").secret
        office = create_token(ledger, role=Role.OFFICE, unit=None, name="bench office").secret
        return viewer, office, f"Unit:{unit_id_for('区经济发展局')}"
    finally:
        ledger.close()


def measure(
    base: str, viewer: str, office: str, unit: str, mutations: int
) -> list[tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("LEDGER_TEST_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise ServerError("no `chromium` on the PATH (apt-get install chromium)")
    timings = []
    with sync_playwright() as driver, httpx.Client(timeout=30) as http:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/screen#token={viewer}")
        page.wait_for_selector(FIGURE, timeout=WAIT_MS)
        for i in range(mutations):
            before = int(page.inner_text(FIGURE).replace(",", ""))
            variables = {
                "input": {
                    "channel": "HOTLINE_12345",
                    "summary": f"测量 {i}",
                    "firstResponder": unit,
                }
            }
            started = time.perf_counter()
            answer = http.post(
                f"{base}/graphql",
                json={"query": RECEIVE, "variables": variables},
                headers={"Authorization": f"Bearer {office}"},
            )
            answered = time.perf_counter()
            result = answer.json()["data"]["receiveComplaint"]
            if result["__typename"] != "MutationSuccess":
                raise ServerError(f"the mutation was refused: {result}")
            page.wait_for_function(
                "([selector, n]) => document.querySelector(selector).textContent"
                ".replace(/,/g, '') == n",
                arg=[FIGURE, before + 1],
                polling="raf",
                timeout=WAIT_MS,
            )
            timings.append((answered - started, time.perf_counter() - started))
        browser.close()
    return timings


def report(timings: list[tuple[float, float]]) -> None:
    http = [t[0] * 1000 for t in timings]
    screen = [t[1] * 1000 for t in timings]
    print(f"{len(timings)} mutations, one after another")
    print(f"{'':<28}{'p50':>10}{'p90':>10}{'max':>10}")
    for name, values in (("mutation over HTTP (base)", http), ("shown on /screen", screen)):
        row = "".join(f"{percentile(values, p):>8.0f}ms" for p in (50, 90, 100))
        print(f"{name:<28}{row}")
    print(f"screen p50 / mutation p50: {percentile(screen, 50) / percentile(http, 50):.1f}")


def bench(mutations: int) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-screen-"))
    server: Server | None = None
    try:
        tree = this_tree()
        _, env = seed_fresh(tree, workdir)
        viewer, office, unit = issue_tokens(env)
        server = Server(tree, env, workdir / "serve.log")
        server.start()
        server.wait_until_ready(READY_SECONDS)
        report(measure(server.base, viewer, office, unit, mutations))
        return 0
    except ServerError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        if server is not None:
            print(f"bench: the server's log:\n{tail(server.log)}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(OSError):
            shutil.rmtree(workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=20, help="how many (20)")
    args = parser.parse_args()
    if args.mutations < 1:
        parser.error("--mutations must be 1 or more")
    raise SystemExit(bench(args.mutations))


if __name__ == "__main__":
    main()
