"""Benchmark: projection rebuild rate beside the raw read-and-deserialise rate.

    python bench/rebuild.py --events 1000000 sqlite:///bench/ledger.sqlite postgresql+psycopg://...

For each database URL: generate synthetic activity until the log holds at least
--events events (not timed), then, in the same run, time (1) reading and
deserialising the whole log with no projection, (2) rebuilding every
projection from scratch, and (3) the raw read again; print the rates and the
ratio of each rebuild rate to the mean raw rate; the rebuild is timed in one
process and in two (as ``ledger rebuild`` runs it by default). Machines here are noisy: the
ratio is the figure to compare, not the absolute rates.
"""

from __future__ import annotations

import argparse
import time

from api.bootstrap import open_ledger
from api.cli.generate import generate
from api.cli.projection_workers import projection_runner, rebuild_in_parallel
from api.settings import Settings
from domain.ledger import Ledger
from projections.rebuild.from_scratch import REBUILD_BATCH, rebuild

PAGE = 5000


def raw_read_rate(ledger: Ledger) -> tuple[int, float]:
    """Events per second reading and deserialising the log with no projection."""
    started, count, position = time.perf_counter(), 0, 1
    to_event = ledger.mapper.to_domain_event
    while True:
        page = ledger.recorder.select_notifications(start=position, limit=PAGE)
        for notification in page:
            to_event(notification)
        count += len(page)
        if len(page) < PAGE:
            break
        position = page[-1].id + 1
    return count, count / (time.perf_counter() - started)


def bench(url: str, events: int, seed: int) -> None:
    settings = Settings.from_environ({"LEDGER_DATABASE_URL": url})
    ledger = open_ledger(settings)
    have = ledger.recorder.max_notification_id() or 0
    if have < events:
        made = generate(ledger, events=events - have, seed=seed, progress=False)
        print(f"{url}: generated {made.events:,} events ({made.events_per_second:,.0f}/s)")
    count, raw_before = raw_read_rate(ledger)
    single = rebuild(projection_runner(settings, batch_size=REBUILD_BATCH), progress=False)
    parallel = rebuild_in_parallel(
        settings, projection_runner(settings, batch_size=REBUILD_BATCH), progress=False
    )
    _, raw_after = raw_read_rate(ledger)
    raw = (raw_before + raw_after) / 2
    print(f"{url}: {count:,} events")
    print(
        f"  raw read + deserialise : {raw:>8,.0f} events/s "
        f"(before {raw_before:,.0f}, after {raw_after:,.0f})"
    )
    for label, result in (("1 process", single), ("2 processes", parallel)):
        print(
            f"  rebuild, {label:<13} : {result.events_per_second:>8,.0f} events/s "
            f"({result.seconds:.1f} s), {result.events_per_second / raw:.2f} of raw"
        )
    print("  target: a rebuild at >= 0.50 of raw; `ledger rebuild` uses 2 processes by default")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="LEDGER_DATABASE_URL values to measure")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    for url in args.urls:
        bench(url, args.events, args.seed)


if __name__ == "__main__":
    main()
