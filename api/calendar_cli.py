"""``ledger calendar``: which years the working-day calendar covers, and adopting a year's
holiday schedule from a file."""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import closing
from pathlib import Path

from api.calendar_adoption import adopt_holiday_file, coverage_lines
from api.config import Settings, open_ledger
from domain.clock import china_today
from domain.errors import ValidationError
from domain.meta import Actor, Role


def add_calendar_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """calendar, calendar adopt."""
    calendar = commands.add_parser(
        "calendar", help="which years the holiday calendar covers, and from where"
    )
    calendar.set_defaults(run=_coverage)
    actions = calendar.add_subparsers(metavar="ACTION")
    adopt = actions.add_parser(
        "adopt", help="adopt a year's holiday schedule from a file (TOML), as an event"
    )
    adopt.add_argument("file", type=Path, help="the schedule: see api/holiday_file.py")
    adopt.add_argument("--by", help="who is adopting it (default: cli:<login name>)")
    adopt.set_defaults(run=_adopt)


def _coverage(settings: Settings, args: argparse.Namespace) -> int:
    with closing(open_ledger(settings, create=False)) as ledger:
        for line in coverage_lines(ledger, china_today(settings.clock)):
            print(line)
    return 0


def _adopt(settings: Settings, args: argparse.Namespace) -> int:
    if args.by is not None and not args.by.strip():
        raise ValidationError("--by", "name who is adopting the schedule")
    with closing(open_ledger(settings, create=False)) as ledger:
        actor = Actor(f"cli:{args.by.strip() if args.by else _login_name()}", Role.OFFICE)
        report = adopt_holiday_file(ledger, args.file, actor)
    said = "adopted" if report.adopted else "already in force (nothing new recorded)"
    print(
        f"ledger: the {report.year} holiday schedule {said}; deadlines worked out again for "
        f"{report.recomputed} of {report.open_complaints} open complaints"
    )
    for failure in report.failed:
        print(f"ledger: error: not worked out again: {failure}", file=sys.stderr)
    if report.failed:
        print("ledger: error: adopt the same file again to finish", file=sys.stderr)
        return 1
    return 0


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        return "unknown"
