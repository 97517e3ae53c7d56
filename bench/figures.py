"""Percentiles and the side-by-side tables the service benchmarks print."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of ``values``; NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Column:
    """One figure of a table, shown for each server: its heading and format."""

    heading: str
    form: str  # a format spec, as ",.0f"
    width: int = 9


def table(
    columns: Sequence[Column],
    servers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Mapping[str, float]]]],
    label_width: int = 24,
) -> list[str]:
    """Lines of a table: each row a label and, for each server, its figures by heading.
    With one server a column is headed by its figure; with several, each figure's column
    is repeated for each server, side by side (p50 old, p50 new, ...)."""
    heads = [
        (text, max(c.width, len(text)))
        for c in columns
        for text in ([c.heading] if len(servers) == 1 else [f"{c.heading} {s}" for s in servers])
    ]
    lines = [f"  {'':<{label_width}}" + "".join(f" {h:>{w}}" for h, w in heads)]
    for label, values in rows:
        cells = [
            format(figures[column.heading], column.form) for column in columns for figures in values
        ]
        lines.append(
            f"  {label:<{label_width}}"
            + "".join(f" {cell:>{w}}" for cell, (_, w) in zip(cells, heads, strict=True))
        )
    return lines
