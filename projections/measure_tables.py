"""The read models of measures (成果运用转化): one row per measure, and each measure's
links to the findings it comes from (the way back from a finding to its measures)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, String, Table, Text

from projections.tables import metadata

measures = Table(
    "rm_measures",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("responsible_unit", String(36), nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("implemented_on", Date),
    Column("evidence", JSON, nullable=False),
    Column("evaluated_on", Date),
    Column("effective", Boolean),
    Column("assessment", Text),
)

measure_findings = Table(
    "rm_measure_findings",
    metadata,
    Column("measure_id", String(36), primary_key=True),
    Column("finding_id", String(36), primary_key=True),
    Column("ordinal", Integer, nullable=False),
    Column("finding_type", String(32), nullable=False),
    Column("finding_kind", String(32), nullable=False),
    Column("responsible_unit", String(36), nullable=False),
    Column("proposed_on", Date, nullable=False),
    Index("ix_rm_measure_findings_finding", "finding_id"),
)
"""Each measure's findings, in the order the proposal named them (``ordinal``), with the
finding's item type and kind, and the measure's unit and business day of proposal: the
share of founded findings turned into measures, as of a day, counts these."""
