"""``ledger export``, ``ledger summary`` and ``ledger export-schema``: what the ledger
holds, and its API, written out."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import Commands, fail
from api.cli.export_formats import WRITERS
from api.settings import Settings
from domain.clock import china_today

if TYPE_CHECKING:
    from api.cli.export import Exporter

EXPORTS = (
    "tasks",
    "complaints",
    "legacy-issues",
    "interviews",
    "referrals",
    "scorecards",
    "events",
)
SHEET_FORMATS = ("xlsx", "csv-zh")
"""The 台账 formats (Chinese headers, 台账编号, dates of acts): ``api.cli.ledger_export``."""
ROWS_ONLY = ("interviews", "referrals", "scorecards")
"""Lists exported as 台账 rows in every format (json and csv: the same rows, English keys)."""


def add_export_commands(commands: Commands) -> None:
    """export, summary, export-schema."""
    export = commands.add_parser("export", help="export what is in the ledger now")
    export.add_argument("what", choices=EXPORTS)
    export.add_argument("--format", choices=[*sorted(WRITERS), *SHEET_FORMATS], default="json")
    export.add_argument("--output", type=Path, help="file to write (default: stdout)")
    export.add_argument(
        "--as-of", type=_day, help="the list as it stood at the end of this business day"
    )
    export.add_argument("--period", help="scorecards: a year (2021) or a quarter (2021-Q2)")
    export.set_defaults(run=_export)
    summary = commands.add_parser("summary", help="print the ledger's summary")
    summary.set_defaults(run=_summary)
    schema = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    schema.add_argument("--output", type=Path, help="file to write (default: stdout)")
    schema.set_defaults(run=_export_schema)
    labels = commands.add_parser(
        "export-labels", help="print the Chinese labels the pages show, as JSON"
    )
    labels.add_argument("--output", type=Path, help="file to write (default: stdout)")
    labels.set_defaults(run=_export_labels)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.export import exporter_for

    if args.format in SHEET_FORMATS or args.what in ROWS_ONLY:
        from api.cli.ledger_export import export_sheet

        return export_sheet(settings, args)
    if args.as_of is not None or args.period is not None:
        return fail("export: --as-of and --period go with --format xlsx or csv-zh")
    with exporter_for(settings, args.what, china_today(settings.clock)) as exporter:
        return _write(exporter, args)


def _write(exporter: Exporter, args: argparse.Namespace) -> int:
    write = WRITERS[args.format]
    if args.output is None:
        write(exporter.rows(args.what), sys.stdout)
        sys.stdout.flush()  # a reader gone (``| head``) is told here: see ``main``
        return 0
    try:
        out = args.output.open("w", encoding="utf-8", newline="")
    except OSError as error:
        return fail(f"export: cannot write {args.output}: {error.strerror or error}")
    with out:
        count = write(exporter.rows(args.what), out)
    print(f"ledger: wrote {count} {args.what} to {args.output}", file=sys.stderr)
    return 0


def _summary(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.summary import ledger_summary

    for line in ledger_summary(settings, china_today(settings.clock)):
        print(line)
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from api.graphql.build import build_schema

    return _write_text(build_schema().as_str() + "\n", args.output, "the schema")


def _export_labels(settings: Settings, args: argparse.Namespace) -> int:
    from api.labels import page_labels_json

    return _write_text(page_labels_json(), args.output, "the pages' labels")


def _write_text(text: str, output: Path | None, what: str) -> int:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"ledger: wrote {what} to {output}", file=sys.stderr)
    return 0
