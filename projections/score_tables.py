"""The read models of the quarterly evaluations and scores: the enterprises' ratings of
agencies (企业评议机关), each quarter's published unit scores, and every formula a
publication used (督导考核奖惩)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, Numeric, String, Table, Text

from projections.tables import _item, metadata

enterprise_evaluations = _item(
    "rm_enterprise_evaluations",
    Column("enterprise", Text, nullable=False),  # who rated: never shown to the rated unit
    Column("unit", String(36), nullable=False),
    Column("quarter", String(8), nullable=False),
    Column("mean", Numeric(5, 1), nullable=False),  # of the criteria's scores
    Column("scores", JSON, nullable=False),  # [{criterion, score}]
    Column("recorded_on", Date, nullable=False),
)

quarter_scores = _item(
    "rm_quarter_scores",
    Column("quarter", String(8), nullable=False, unique=True),
    Column("formula_version", String(32), nullable=False),
    Column("formula", JSON, nullable=False),  # {"weight.<rate>": "30", "penalty.<name>": "2"}
    Column("published_on", Date, nullable=False),  # its latest publication
    Column("first_published_on", Date, nullable=False),
    Column("publications", Integer, nullable=False),
    Column("scores", JSON, nullable=False),  # [{unit, score, rank, rates, parts}]
)
"""Each quarter's latest publication."""

score_formulas = Table(
    "rm_score_formulas",
    metadata,
    Column("version", String(32), primary_key=True),
    Column("formula", JSON, nullable=False),
    Column("last_published_on", Date, nullable=False),
)
"""Every formula version a publication used, with its weights: a period may be scored again
by any of them."""
