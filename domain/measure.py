"""Measure (成果运用转化): what a finding led to, a rule changed, a process changed or a
training given, then implemented and evaluated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ValidationError, require_text
from domain.finding import FINDINGS, Finding
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem


class MeasureKind(Enum):
    """What a measure changes: a rule (制度), a process (流程), or people's skills (培训)."""

    RULE_CHANGE = "rule_change"
    PROCESS_CHANGE = "process_change"
    TRAINING = "training"


class MeasureState(Enum):
    """Where a measure stands: proposed, implemented, evaluated."""

    PROPOSED = "proposed"
    IMPLEMENTED = "implemented"
    EVALUATED = "evaluated"


S = MeasureState


class Measure(LedgerItem):
    """A measure a responsible unit takes because of one or more founded findings."""

    item_type = "Measure"

    class Proposed(LedgerCreated):
        kind: MeasureKind
        title: str
        description: str
        responsible_unit: UUID
        findings: list[Finding]

        def apply(self, m: Measure) -> None:
            m.kind, m.title, m.description = self.kind, self.title, self.description
            m.responsible_unit, m.findings = self.responsible_unit, tuple(self.findings)
            m.proposed_on = self.business_date
            m.implemented_on = m.evaluated_on = m.effective = None
            m.evidence, m.assessment = (), None
            m.state = S.PROPOSED

    class Implemented(LedgerEvent):
        evidence: list[str]

        def apply(self, m: Measure) -> None:
            m.evidence, m.implemented_on = tuple(self.evidence), self.business_date
            m.state = S.IMPLEMENTED

    class Evaluated(LedgerEvent):
        effective: bool
        assessment: str

        def apply(self, m: Measure) -> None:
            m.effective, m.assessment = self.effective, self.assessment
            m.evaluated_on = self.business_date
            m.state = S.EVALUATED

    if TYPE_CHECKING:
        kind: MeasureKind
        title: str
        description: str
        responsible_unit: UUID
        findings: tuple[Finding, ...]
        proposed_on: date
        implemented_on: date | None
        evidence: tuple[str, ...]
        evaluated_on: date | None
        effective: bool | None
        assessment: str | None
        state: MeasureState

    @classmethod
    def propose(
        cls,
        item_id: UUID,
        *,
        kind: MeasureKind,
        title: str,
        description: str,
        responsible_unit: UUID,
        findings: Sequence[Finding],
        meta: EventMeta,
    ) -> Measure:
        """Propose a measure coming from ``findings``, each founded by the proposal's day."""
        if not findings:
            raise ValidationError(FINDINGS, "a measure comes from at least one finding")
        for finding in findings:
            if finding.founded_on > meta.business_date:
                raise ValidationError(
                    FINDINGS,
                    f"{finding.item} was founded on {finding.founded_on.isoformat()}, "
                    "after the measure's proposal",
                )
        return cls._start(
            cls.Proposed,
            meta,
            item_id,
            kind=kind,
            title=require_text("title", title),
            description=require_text("description", description),
            responsible_unit=responsible_unit,
            findings=list({f.item: f for f in findings}.values()),
        )

    def implement(self, evidence: Sequence[str], meta: EventMeta) -> None:
        """Record the measure implemented (on the act's business day), with its evidence."""
        self._require("be implemented", S.PROPOSED)
        given = [e.strip() for e in evidence if e.strip()]
        if not given:
            raise ValidationError("evidence", "name at least one piece of evidence")
        self._emit(self.Implemented, meta, evidence=given)

    def evaluate(self, effective: bool, assessment: str, meta: EventMeta) -> None:
        """Record whether the implemented measure worked, and the assessment saying so."""
        self._require("be evaluated", S.IMPLEMENTED)
        self._emit(
            self.Evaluated,
            meta,
            effective=effective,
            assessment=require_text("assessment", assessment),
        )
