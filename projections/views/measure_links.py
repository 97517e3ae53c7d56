"""The two ways between measures and findings: the measures citing a finding, and the
findings a measure comes from, each read for many items in one round trip or two."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from projections import measure_tables as mt
from projections.views.listing import concerns, rows_by_id

FINDING_LISTINGS = {
    "Complaint": "complaints",
    "Interview": "interviews",
    "LegacyIssue": "legacy_issues",
}
"""The listing (``projections.views.listing``) of each item type a finding may be."""


def measures_citing(
    conn: Connection, finding_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of the measures citing each finding, earliest proposed first."""
    m, f = mt.measures, mt.measure_findings
    query = (
        select(f.c.finding_id, m)
        .join_from(f, m, m.c.id == f.c.measure_id)
        .where(f.c.finding_id.in_(list(finding_ids)))
        .order_by(m.c.proposed_on, m.c.id)
    )
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(query):
        values = dict(row._mapping)
        found[values.pop("finding_id")].append(values)
    return found


def findings_of(
    conn: Connection, measure_ids: Sequence[str], unit: str | None = None
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Each measure's findings as (item type, read-model row), in the proposal's order;
    with ``unit``, only those that concern it (``listing.concerns``)."""
    f = mt.measure_findings
    links = conn.execute(
        select(f.c.measure_id, f.c.finding_type, f.c.finding_id)
        .where(f.c.measure_id.in_(list(measure_ids)))
        .order_by(f.c.measure_id, f.c.ordinal)
    ).all()
    wanted: dict[str, list[str]] = defaultdict(list)
    for _, item_type, finding_id in links:
        wanted[item_type].append(finding_id)
    rows = {
        item_type: rows_by_id(conn, FINDING_LISTINGS[item_type], ids)
        for item_type, ids in wanted.items()
    }
    found: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for measure_id, item_type, finding_id in links:
        row = rows[item_type].get(finding_id)
        kind = FINDING_LISTINGS[item_type]
        if row is not None and (unit is None or concerns(conn, kind, finding_id, unit)):
            found[measure_id].append((item_type, row))
    return found
