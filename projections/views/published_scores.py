"""The quarters' published unit scores (结果公开发布), and the formulas they used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from domain.period import Period
from domain.score_formula import ScoreFormula
from projections import score_tables as st
from projections.views.unit_scores import Rating


@dataclass(frozen=True)
class PublishedEntry:
    unit: str
    score: Decimal
    rank: int
    rates: dict[str, str]
    parts: dict[str, str]
    rating: Rating | None
    """The enterprises' ratings of the unit in the quarter the score used."""


@dataclass(frozen=True)
class Publication:
    quarter: str
    formula: ScoreFormula
    published_on: date
    publications: int
    entries: list[PublishedEntry]


def publication_of(conn: Connection, quarter: str) -> Publication | None:
    """The quarter's latest publication; None before the first."""
    q = st.quarter_scores
    row = conn.execute(select(q).where(q.c.quarter == str(Period.parse(quarter)))).first()
    return None if row is None else _publication(row._mapping)


def latest_publication(conn: Connection, as_of: date) -> Publication | None:
    """The latest quarter first published by ``as_of``, as it is published now (a
    republication's corrected scores stand for every day since the first publication)."""
    q = st.quarter_scores
    rows = conn.execute(select(q).where(q.c.first_published_on <= as_of)).all()
    if not rows:
        return None
    latest = max(rows, key=lambda r: Period.parse(r.quarter))
    return _publication(latest._mapping)


def formula_published(conn: Connection, version: str) -> ScoreFormula | None:
    """The formula of ``version`` as a publication used it; None if none did."""
    f = st.score_formulas
    row = conn.execute(select(f.c.formula).where(f.c.version == version)).first()
    return None if row is None else ScoreFormula.from_record(version, row.formula)


def published_versions(conn: Connection) -> list[str]:
    f = st.score_formulas
    return list(conn.scalars(select(f.c.version).order_by(f.c.last_published_on, f.c.version)))


def _publication(row: Any) -> Publication:
    """The publication of the row, its entries in the order published (by rank, and by
    name within a rank)."""
    entries = [
        PublishedEntry(
            e["unit"],
            Decimal(e["score"]),
            int(e["rank"]),
            dict(e["rates"]),
            dict(e["parts"]),
            None if e.get("rating") is None else Rating(Decimal(e["rating"]), e["evaluations"]),
        )
        for e in row["scores"]
    ]
    return Publication(
        row["quarter"],
        ScoreFormula.from_record(row["formula_version"], row["formula"]),
        row["published_on"],
        int(row["publications"]),
        entries,
    )
