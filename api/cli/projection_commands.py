"""``ledger project``, ``ledger rebuild`` and ``ledger projections``: the read models'
workers, run and reported on."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from api.cli.common import Commands, add_clock_arguments, closed_after, positive
from api.settings import Settings

if TYPE_CHECKING:
    from projections.engine import Runner


def add_projection_commands(commands: Commands) -> None:
    """project, rebuild, projections."""
    project = commands.add_parser("project", help="run the projection workers")
    project.add_argument("names", nargs="*", help="projections to run (default: all)")
    project.add_argument("--once", action="store_true", help="catch up, then stop")
    project.add_argument("--poll-seconds", type=float, default=0.5, help="SQLite polling")
    project.add_argument("--batch-size", type=positive, help="events per transaction")
    add_clock_arguments(project)
    project.set_defaults(run=_project)
    rebuild_ = commands.add_parser("rebuild", help="rebuild projections from the log")
    rebuild_.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    rebuild_.add_argument("--batch-size", type=positive, help="events per transaction")
    rebuild_.add_argument("--quiet", action="store_true", help="no progress bar")
    rebuild_.add_argument(
        "--workers",
        type=positive,
        default=2,
        help="worker processes, each taking the next projection (default 2; 1 rebuilds "
        "in this process, as does --batch-size)",
    )
    rebuild_.set_defaults(run=_rebuild)
    status = commands.add_parser("projections", help="where each projection stands")
    status.set_defaults(run=_projections)


def _project(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.projection_workers import projection_runner, run_until_stopped

    with closed_after(projection_runner(settings, args.names, args.batch_size)) as runner:
        runner.catch_up()
        if not args.once:
            clock = None if args.no_timed_acts else args.timed_act_seconds
            run_until_stopped(runner, args.poll_seconds, timed_act_seconds=clock)
        return _report_status(runner)


def _rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.projection_workers import projection_runner, rebuild_in_parallel
    from projections.rebuild.from_scratch import REBUILD_BATCH, rebuild

    batch = args.batch_size or REBUILD_BATCH
    with closed_after(projection_runner(settings, args.names, batch)) as runner:
        if args.workers > 1 and args.batch_size is None:
            result = rebuild_in_parallel(
                settings, runner, progress=not args.quiet, workers=args.workers
            )
        else:
            result = rebuild(runner, progress=not args.quiet)
        print(
            f"ledger: rebuilt {', '.join(runner.projections)} over {result.events} events in "
            f"{result.seconds:.1f} s ({result.events_per_second:,.0f} events/s)"
        )
        return _report_status(runner)


def _projections(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.projection_workers import projection_runner

    with closed_after(projection_runner(settings)) as runner:
        return _report_status(runner)


def _report_status(runner: Runner) -> int:
    """Where each projection stands, on stdout; then, if any has stopped, one line on
    stderr for each place they stopped (which, where, why) and exit 1."""
    from api.cli.projection_status import status_lines
    from projections.status import failure_lines

    for line in status_lines(runner):
        print(line)
    failed = failure_lines(runner.status())
    for line in failed:
        print(f"ledger: error: {line}", file=sys.stderr)
    return 1 if failed else 0
