"""An import as the command line runs it: the sheet read, the rows checked against the
ledger's read models (brought up to date first), the report, and the write."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from sqlalchemy import Connection, select

from api.bootstrap import open_ledger
from api.cli.read_models import AUDIT, up_to_date
from api.imports.legacy_import import Known, import_rows
from api.imports.legacy_rows import REQUIRED, SHEET, parse_row
from api.imports.outcome import Outcome
from api.imports.workbook import FileRefused, read_sheet
from api.settings import Settings
from domain.meta import Actor, Role
from domain.text import UNRECORDABLE
from projections import tables as t

READ_MODELS = ("tasks", "legacy", AUDIT)


@dataclass(frozen=True)
class Request:
    """What to import, by whom, and how."""

    path: Path
    by: str
    dry_run: bool = False
    skip_invalid: bool = False


@dataclass
class Result:
    outcome: Outcome
    written: int = 0
    lines: list[str] | None = None


def importer_of(by: str) -> Actor:
    """The actor of an import by ``by``: ``import:<NAME>``, the office."""
    name = by.strip()
    if not name or len(name) > 100 or UNRECORDABLE.search(name):
        raise FileRefused("--by: give the importer's name (1 to 100 characters)")
    return Actor(f"import:{name}", Role.OFFICE)


def import_legacy_issues(settings: Settings, request: Request, say: Callable[[str], None]) -> int:
    """Run the import; say the report a line at a time; the exit status (1: rows in error)."""
    actor = importer_of(request.by)
    sheet = read_sheet(request.path, SHEET, REQUIRED)
    digest = hashlib.sha256(request.path.read_bytes()).hexdigest()[:16]
    with up_to_date(settings, READ_MODELS) as runner:
        with runner.engine.connect() as conn:
            units, known = _units(conn), _known(conn)
        rows = [parse_row(line, values, sheet.columns, units) for line, values in sheet]
        with runner.ledger.importing(actor, f"import:{digest}") as batch:
            outcome = import_rows(runner.ledger, batch, rows, known)
            written = 0
            if not request.dry_run and (not outcome.invalid or request.skip_invalid):
                with closing(open_ledger(settings)) as writer:
                    written = batch.save(into=writer, most_events=_most_events(settings))
    return report(outcome, request, written, say)


def import_sheet(
    what: str, settings: Settings, request: Request, say: Callable[[str], None]
) -> int:
    """``ledger import WHAT``: the import of that list."""
    if what == "plan":
        from api.imports.plan_run import import_plan

        return import_plan(settings, request, say)
    if what == "work-orders":
        from api.imports.work_order_run import import_work_orders

        return import_work_orders(settings, request, say)
    return import_legacy_issues(settings, request, say)


def report(outcome: Outcome, request: Request, written: int, say: Callable[[str], None]) -> int:
    """Say the problems, the counts and what was written; the exit status (1: rows in error)."""
    for problem in outcome.problems:
        say(problem.line)
    say(outcome.summary)
    if request.dry_run:
        say("试运行：未写入任何内容")
    elif outcome.invalid and not request.skip_invalid:
        say("有错误：未写入任何内容（改正后重新导入，或用 --skip-invalid 只导入无误的行）")
    else:
        say(f"已写入 {written} 个事件")
    return 1 if outcome.invalid else 0


POSTGRES_EVENTS_PER_TRANSACTION = 2000


def _most_events(settings: Settings) -> int | None:
    """SQLite: the whole import in one transaction; PostgreSQL: transactions of about 2,000
    events (psycopg stalls on one insert of some 16,000 events, measured); an import cut
    short there is finished by importing the same file again (the rows written are 未变)."""
    return None if settings.database.is_sqlite else POSTGRES_EVENTS_PER_TRANSACTION


def unit_names(conn: Connection) -> list[str]:
    return list(_units(conn))


def _units(conn: Connection) -> dict[str, UUID]:
    return {str(n): UUID(str(i)) for i, n in conn.execute(select(t.units.c.id, t.units.c.name))}


def _known(conn: Connection) -> Known:
    a = t.audit_events
    issues = {UUID(str(i)) for i in conn.execute(select(t.legacy_issues.c.id)).scalars()}
    created = conn.execute(
        select(a.c.position, a.c.item_id).where(a.c.item_type == "LegacyIssue", a.c.version == 1)
    )
    return Known(issues, {int(p): UUID(str(i)) for p, i in created})
