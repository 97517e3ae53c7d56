"""``ledger export LIST --format xlsx|csv-zh [--as-of DATE] [--period P]``: the 台账.

The rows are ``api.exports.ledger_rows``'s (every item: the command runs as the ledger's
operator), complainants' names and phones masked, never in clear: a command states no
purpose and has no reader to record a disclosure for. The events are the log's own rows
(``api.cli.export``), under Chinese headers, up to the end of ``--as-of`` when given.
``--format json`` and ``csv`` of the interviews, referrals and scorecards write the same
rows under their English keys.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

from api.cli.common import fail
from api.cli.export import READ_MODELS, exporter_for, masking, plain
from api.cli.export_formats import WRITERS
from api.cli.read_models import AUDIT, up_to_date
from api.exports.item_acts import ReadModelStopped, business_day
from api.exports.ledger_columns import SHEETS
from api.exports.ledger_rows import Selection, ledger_rows
from api.exports.sheet_writers import write_bom_csv, write_xlsx
from api.settings import Settings
from domain.clock import china_today
from domain.personal import PERSONAL_FIELDS

SHEET_READ_MODELS = {
    **READ_MODELS,
    "interviews": ("oversight", "tasks", AUDIT),
    "referrals": ("oversight", "tasks", AUDIT),
    "scorecards": ("tasks", "complaints", "legacy", "oversight", AUDIT),
}


def export_sheet(settings: Settings, args: argparse.Namespace) -> int:
    """Write the list ``args.what`` in ``args.format``; the count goes to stderr."""
    today = china_today(settings.clock)
    if args.what == "events":
        with exporter_for(settings, "events", today) as exporter:
            rows = _event_rows(exporter.events(), args.as_of)
            return _write(args, rows)
    selection = Selection(args.what, today, args.as_of, period=args.period)
    with up_to_date(settings, SHEET_READ_MODELS[args.what]) as runner:
        mask = masking(runner.ledger.sealer)

        def masked(_: str, fields: dict[str, Any]) -> dict[str, Any]:
            return {f: mask(f, v) if v and f in PERSONAL_FIELDS else v for f, v in fields.items()}

        with runner.engine.connect() as conn:
            try:
                found = ledger_rows(runner.ledger, conn, selection, masked)
            except ReadModelStopped as error:
                return fail(str(error))
    return _write(args, iter(found))


def _write(args: argparse.Namespace, rows: Iterator[dict[str, Any]]) -> int:
    sheet = SHEETS[args.what]
    if args.format in WRITERS:  # json, csv: the rows under their English keys
        text_rows = ({k: plain(v) for k, v in row.items()} for row in rows)
        return _to_text(args, lambda out: WRITERS[args.format](text_rows, out))
    if args.format == "csv-zh":
        return _to_text(args, lambda out: write_bom_csv(sheet, rows, out))
    cut: list[str] = []
    if args.output is None:
        write_xlsx(sheet, rows, sys.stdout.buffer, cut)
        sys.stdout.flush()
        _say_cut(cut)
        return 0
    try:
        out: IO[bytes] = args.output.open("wb")
    except OSError as error:
        return fail(f"export: cannot write {args.output}: {error.strerror or error}")
    with out:
        count = write_xlsx(sheet, rows, out, cut)
    print(f"ledger: wrote {count} {args.what} to {args.output}", file=sys.stderr)
    _say_cut(cut)
    return 0


def _say_cut(cut: list[str]) -> None:
    if cut:
        print(
            f"ledger: {len(cut)} cells over Excel's limit were cut (see the sheet 说明): "
            + ", ".join(cut),
            file=sys.stderr,
        )


def _to_text(args: argparse.Namespace, write: Any) -> int:
    if args.output is None:
        write(sys.stdout)
        sys.stdout.flush()
        return 0
    try:
        out = args.output.open("w", encoding="utf-8", newline="")
    except OSError as error:
        return fail(f"export: cannot write {args.output}: {error.strerror or error}")
    with out:
        count = write(out)
    print(f"ledger: wrote {count} {args.what} to {args.output}", file=sys.stderr)
    return 0


def _event_rows(events: Iterator[dict[str, Any]], as_of: date | None) -> Iterator[dict[str, Any]]:
    """The log's rows (already masked) under the sheet's keys, up to the end of ``as_of``."""
    for row in events:
        occurred = datetime.fromisoformat(row["occurred_at"])
        if as_of is not None and business_day(occurred) > as_of:
            continue
        yield {
            "number": row["position"],
            "id": row["item_id"],
            "item_type": row["item_type"],
            "version": row["version"],
            "type": row["type"],
            "occurred_at": occurred,
            "recorded_at": datetime.fromisoformat(row["recorded_at"]),
            "actor_id": row["actor_id"],
            "actor_role": row["actor_role_label"],
            "actor_unit": row["actor_unit"],
            "request_id": row["request_id"],
            "imported": row["imported"],
            "data": json.dumps(row["data"], ensure_ascii=False),
        }
