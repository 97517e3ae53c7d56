"""How a measure (成果运用转化) appears in the read models: its row, and on its proposal
one link to each finding it comes from."""

from __future__ import annotations

from typing import Any

from domain.complaint import Complaint
from domain.finding import FindingKind
from domain.interview import Interview
from domain.legacy_issue import LegacyIssue
from domain.measure import Measure
from projections import measure_tables as mt
from projections.item_kind import Kind, Rows
from projections.item_state import id_text
from projections.projection import Change

FINDING_TYPES = {
    FindingKind.COMPLAINT: Complaint.item_type,
    FindingKind.EXPOSURE: Complaint.item_type,
    FindingKind.INTERVIEW: Interview.item_type,
    FindingKind.LEGACY_ISSUE: LegacyIssue.item_type,
}
"""The item type of a finding of each kind."""


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
                    "finding_type": FINDING_TYPES[finding.kind],
                    "finding_kind": finding.kind.value,
                    "responsible_unit": id_text(measure.responsible_unit),
                    "proposed_on": measure.proposed_on,
                },
            )
            for ordinal, finding in enumerate(measure.findings)
        ]
