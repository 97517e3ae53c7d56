"""``ledger import legacy-issues|plan|work-orders FILE --by NAME [--dry-run] [--skip-invalid]`` and
``ledger template legacy-issues|plan|work-orders``: the 台账 read back from Excel
(``api.imports``), and an empty workbook to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.cli.common import Commands, fail
from api.settings import Settings

IMPORTS = ("legacy-issues", "plan", "work-orders")
TEMPLATES = ("legacy-issues", "plan", "work-orders")


def add_import_commands(commands: Commands) -> None:
    """import, template."""
    imp = commands.add_parser("import", help="import a 台账 from an .xlsx file")
    imp.add_argument("what", choices=IMPORTS)
    imp.add_argument("file", type=Path, help="the .xlsx file (as exported, or from the template)")
    imp.add_argument("--by", required=True, help="who imports: the events are attributed to them")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="write the valid rows even if others are not"
    )
    imp.set_defaults(run=_import)
    template = commands.add_parser("template", help="write an empty 台账 template (.xlsx)")
    template.add_argument("what", choices=TEMPLATES)
    template.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")
    template.set_defaults(run=_template)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from api.imports.run import Request, import_sheet
    from api.imports.workbook import FileRefused

    request = Request(args.file, args.by, args.dry_run, args.skip_invalid)
    try:
        return import_sheet(args.what, settings, request, print)
    except FileRefused as refused:
        return fail(f"import: {refused}")


def _template(settings: Settings, args: argparse.Namespace) -> int:
    from api.imports.templates import write_template

    units: list[str] = []
    if settings.database.exists():
        from api.cli.read_models import up_to_date
        from api.imports.run import unit_names

        with up_to_date(settings, ("tasks",)) as runner, runner.engine.connect() as conn:
            units = unit_names(conn)
    try:
        with args.output.open("wb") as out:
            intakes = [i.name for i in settings.policy.intakes]
            sheet = write_template(args.what, units, out, intakes)
    except OSError as error:
        return fail(f"template: cannot write {args.output}: {error.strerror or error}")
    print(f"ledger: wrote the {sheet.title} template to {args.output}", file=sys.stderr)
    return 0
