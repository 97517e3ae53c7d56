"""``ledger import work-orders`` as the command line runs it: the sheet read, the rows
checked against the ledger's read models (brought up to date first), the report, and the
write, as ``api.imports.run`` runs the legacy import."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import closing
from uuid import UUID

from sqlalchemy import Connection, select

from api.bootstrap import open_ledger
from api.cli.read_models import up_to_date
from api.imports.run import Request, _most_events, importer_of, report
from api.imports.work_order_import import Known, import_rows
from api.imports.work_order_rows import REQUIRED, SHEET, Names, parse_row
from api.imports.workbook import read_sheet
from api.settings import Settings
from domain.ledger import Ledger
from projections import tables as t
from projections.enterprise_tables import enterprises

READ_MODELS = ("tasks", "complaints", "oversight")


def import_work_orders(settings: Settings, request: Request, say: Callable[[str], None]) -> int:
    """Run the import; say the report a line at a time; the exit status (1: rows in error)."""
    actor = importer_of(request.by)
    sheet = read_sheet(request.path, SHEET, REQUIRED)
    digest = hashlib.sha256(request.path.read_bytes()).hexdigest()[:16]
    with up_to_date(settings, READ_MODELS) as runner:
        with runner.engine.connect() as conn:
            names = _names(conn, settings)
            known = Known(_cases(conn), _opener(runner.ledger))
        rows = [parse_row(line, values, sheet.columns, names) for line, values in sheet]
        with runner.ledger.importing(actor, f"import:{digest}") as batch:
            outcome = import_rows(runner.ledger, batch, rows, known)
            written = 0
            if not request.dry_run and (not outcome.invalid or request.skip_invalid):
                with closing(open_ledger(settings)) as writer:
                    written = batch.save(into=writer, most_events=_most_events(settings))
    return report(outcome, request, written, say)


def _names(conn: Connection, settings: Settings) -> Names:
    units = {str(n): UUID(str(i)) for i, n in conn.execute(select(t.units.c.id, t.units.c.name))}
    found: dict[str, UUID] = {}
    for i, name, code in conn.execute(
        select(enterprises.c.id, enterprises.c.name, enterprises.c.credit_code)
    ):
        found[str(name)] = found[str(code)] = UUID(str(i))
    return Names(units, found, tuple(settings.policy.intakes))


def _cases(conn: Connection) -> set[UUID]:
    return {UUID(str(i)) for i in conn.execute(select(t.complaints.c.id)).scalars()}


def _opener(ledger: Ledger) -> Callable[[str], str]:
    """Sealed personal data opened to compare it (as recorded where the ledger has no key)."""
    opened: Callable[[str], str] | None = getattr(ledger.sealer, "open", None)
    return opened or (lambda text: text)
