"""``ledger import plan FILE``, as the command line runs it: the 督办事项 sheet read, the rows
checked against the ledger's tasks and units (the read models brought up to date first), the
report, and the write (``api.imports.run``: the importer, the report, the transactions)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import closing
from uuid import UUID

from sqlalchemy import Connection, select

from api.bootstrap import open_ledger
from api.cli.read_models import up_to_date
from api.imports.plan_import import Known, import_rows
from api.imports.plan_rows import REQUIRED, SHEET, parse_row
from api.imports.run import Request, _most_events, importer_of, report
from api.imports.workbook import read_sheet
from api.settings import Settings
from projections import tables as t

READ_MODELS = ("tasks",)


def import_plan(settings: Settings, request: Request, say: Callable[[str], None]) -> int:
    """Run the import; say the report a line at a time; the exit status (1: rows in error)."""
    actor = importer_of(request.by)
    sheet = read_sheet(request.path, SHEET, REQUIRED)
    digest = hashlib.sha256(request.path.read_bytes()).hexdigest()[:16]
    with up_to_date(settings, READ_MODELS) as runner:
        with runner.engine.connect() as conn:
            known = known_tasks(conn)
        rows = [parse_row(line, values, sheet.columns, known.units) for line, values in sheet]
        with runner.ledger.importing(actor, f"import:{digest}") as batch:
            outcome = import_rows(runner.ledger, batch, rows, known)
            written = 0
            if not request.dry_run and (not outcome.invalid or request.skip_invalid):
                with closing(open_ledger(settings)) as writer:
                    written = batch.save(into=writer, most_events=_most_events(settings))
    return report(outcome, request, written, say)


def known_tasks(conn: Connection) -> Known:
    """The ledger's plan items by year and number, every task's id, and the units."""
    by_number, ids = {}, set()
    for task_id, year, number in conn.execute(
        select(t.tasks.c.id, t.tasks.c.plan_year, t.tasks.c.number)
    ):
        ids.add(UUID(str(task_id)))
        if number is not None:
            by_number[(int(year), int(number))] = UUID(str(task_id))
    units, merged = {}, set()
    for unit_id, name, into in conn.execute(
        select(t.units.c.id, t.units.c.name, t.units.c.merged_into)
    ):
        units[str(name)] = UUID(str(unit_id))
        if into is not None:
            merged.add(str(name))
    return Known(by_number, ids, units, merged)
