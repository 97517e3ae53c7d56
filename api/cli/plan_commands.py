"""``ledger seed``, ``ledger generate`` and ``ledger demo``: a work plan, synthetic activity,
and the plan with a stretch of made-up activity up to today, written into the ledger."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path

from api.bootstrap import open_ledger, open_read_models
from api.cli.common import Commands, fail
from api.settings import Settings


def add_plan_commands(commands: Commands) -> None:
    """seed, generate, demo."""
    seed = commands.add_parser("seed", help="write a work plan into the ledger")
    seed.add_argument("plan", nargs="?", help="built-in plan: changxing-2021")
    seed.add_argument("--file", type=Path, help="a plan file of the same shape (TOML)")
    seed.add_argument("--if-empty", action="store_true", help="only into an empty ledger")
    seed.set_defaults(run=_seed)
    gen = commands.add_parser("generate", help="write synthetic activity")
    gen.add_argument("--events", type=int, required=True, help="how many events")
    gen.add_argument("--seed", type=int, default=2021, help="random seed (deterministic)")
    gen.add_argument("--quiet", action="store_true", help="no progress bar")
    gen.set_defaults(run=_generate)
    demo = commands.add_parser(
        "demo", help="seed the 2021 plan and record made-up activity up to today (no production)"
    )
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--days", type=int, default=90, help="days of activity (60 to 365; 90)")
    demo.add_argument("--if-empty", action="store_true", help="only into an empty ledger")
    demo.set_defaults(run=_demo)


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.plan import builtin_plan, read_plan
    from api.cli.seed import check_plan, seed_plan

    if (args.plan is None) == (args.file is None):
        return fail("seed: name a built-in plan (changxing-2021) or give --file PATH")
    plan = builtin_plan(args.plan) if args.plan else read_plan(args.file)
    if not settings.database.exists():
        check_plan(plan, lambda name: False)  # refuse a bad plan before creating a database
    with closing(open_ledger(settings)) as ledger:
        if args.if_empty and ledger.recorder.max_notification_id():
            print(f"ledger: not empty; {plan.key} not seeded")
            return 0
        report = seed_plan(ledger, plan)
    print(
        f"ledger: seeded {plan.key}: {report.written} written, {report.already_there} already there"
    )
    return 0


def _generate(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.generate import generate

    if args.events < 1:
        return fail("generate: --events must be 1 or more")
    with closing(open_ledger(settings)) as ledger:
        result = generate(ledger, events=args.events, seed=args.seed, progress=not args.quiet)
    print(
        f"ledger: generated {result.events} events in {result.seconds:.1f} s "
        f"({result.events_per_second:,.0f} events/s)"
    )
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.demo import (
        DAYS_RANGE,
        DEMO_ACTOR,
        DEMO_PLAN,
        holds_records,
        publish_last_quarter,
        record_demo,
    )
    from domain.quarter_scores import QuarterScores

    if settings.production:
        return fail(
            "demo: refused with LEDGER_ENV=production: made-up activity has no place "
            "in a ledger of record"
        )
    if args.days not in DAYS_RANGE:
        return fail(f"demo: --days must be from {DAYS_RANGE[0]} to {DAYS_RANGE[-1]}")
    with closing(open_ledger(settings)) as ledger:
        if args.if_empty and holds_records(ledger):
            print("ledger: not empty; demo not recorded")
            return 0
        done = record_demo(ledger, seed=args.seed, days=args.days)
        engine = open_read_models(settings)
        try:
            published = ledger.get(
                QuarterScores, publish_last_quarter(ledger, engine, done).item_id
            )
        finally:
            engine.dispose()
    print(
        f"ledger: demo recorded: {DEMO_PLAN} seeded ({done.seeded} written), then "
        f"{done.generated} made-up events from {done.first_day} to {done.last_day} "
        f"(seed {done.seed}; actor {DEMO_ACTOR}, request ids "
        f"{done.request_prefix}N, imported)\n"
        f"ledger: demo published the {published.quarter} scores of {len(published.scores)} "
        f"units (formula {published.formula_version})"
    )
    return 0
