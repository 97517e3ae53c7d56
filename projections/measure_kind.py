"""How a measure (成果运用转化) appears in the read models: its row, and on its proposal
one link to each finding it comes from."""

from __future__ import annotations

from typing import Any

from domain.measure import Measure
from projections import measure_tables as mt
from projections.item_kind import Kind, Rows
from projections.item_state import id_text
from projections.projection import Change

FINDING_TYPES = {"complaint": "Complaint", "exposure": "Complaint"}
"""A finding's item type by its kind, where the two differ in more than spelling."""


class MeasureItemKind(Kind[Measure]):
    item_class, table = Measure, mt.measures

    def columns(self, measure: Measure) -> dict[str, Any]:
        return {
            "kind": measure.kind.value,
            "title": measure.title,
            "description": measure.description,
            "responsible_unit": id_text(measure.responsible_unit),
            "proposed_on": measure.proposed_on,
            "implemented_on": measure.implemented_on,
            "evidence": list(measure.evidence),
            "evaluated_on": measure.evaluated_on,
            "effective": measure.effective,
            "assessment": measure.assessment,
        }

    def side_rows(self, change: Change, measure: Measure) -> Rows:
        if not isinstance(change.event, Measure.Proposed):
            return ()
        return [
            (
                mt.measure_findings,
                {
                    "measure_id": id_text(measure.id),
                    "finding_id": id_text(finding.item),
                    "ordinal": ordinal,
                    "finding_type": finding_type(finding.kind.value),
                    "finding_kind": finding.kind.value,
                    "responsible_unit": id_text(measure.responsible_unit),
                    "proposed_on": measure.proposed_on,
                },
            )
            for ordinal, finding in enumerate(measure.findings)
        ]


def finding_type(kind: str) -> str:
    """The item type of a finding of ``kind`` (``legacy_issue`` -> ``LegacyIssue``)."""
    return FINDING_TYPES.get(kind) or "".join(p.capitalize() for p in kind.split("_"))
