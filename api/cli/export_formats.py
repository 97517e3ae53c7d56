"""Writers for exported rows: a JSON array, or CSV with lists and tables as JSON text."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Stream ``rows`` as one JSON array; return how many were written."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Stream ``rows`` as CSV with a header of the row keys; return how many were written."""
    writer: csv.DictWriter[str] | None = None
    count = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in row.items()})
        count += 1
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


WRITERS = {"json": write_json, "csv": write_csv}
