"""Ledger commands on measures (成果运用转化): what a founded finding led to."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from domain.commands import command
from domain.errors import NotFound, ValidationError
from domain.finding import FINDINGS, Finding, finding_of
from domain.ids import ItemId, MeasureId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.measure import Measure, MeasureKind
from domain.meta import LedgerItem
from domain.text import check_entries


class MeasureCommands(LedgerBase):
    """成果运用转化: measures proposed from findings, implemented, evaluated."""

    @command(creates=Measure)
    def propose_measure(
        self,
        ctx: CommandContext,
        *,
        kind: MeasureKind,
        title: str,
        description: str,
        responsible_unit: UnitId,
        findings: Sequence[ItemId],
        measure_id: MeasureId | None = None,
    ) -> Written:
        """Propose a measure (a rule change, a process change or a training) a unit is to
        take because of founded findings: complaints verified as founded, media exposures,
        interviews held, legacy problems registered."""
        self.check_units("responsible_unit", [responsible_unit])
        found = self._findings(findings)
        return self._create(
            ctx,
            lambda m: Measure.propose(
                measure_id or uuid4(),
                kind=kind,
                title=title,
                description=description,
                responsible_unit=responsible_unit,
                findings=found,
                meta=m,
            ),
        )

    @command()
    def implement_measure(
        self, ctx: CommandContext, measure_id: MeasureId, *, evidence: Sequence[str]
    ) -> Written:
        """Record a measure implemented (when: the act's business time), with its evidence."""
        return self._change(Measure, measure_id, ctx, lambda i, m: i.implement(evidence, m))

    @command()
    def evaluate_measure(
        self, ctx: CommandContext, measure_id: MeasureId, *, effective: bool, assessment: str
    ) -> Written:
        """Evaluate an implemented measure: whether it was effective, and why."""
        return self._change(
            Measure, measure_id, ctx, lambda i, m: i.evaluate(effective, assessment, m)
        )

    def _findings(self, item_ids: Sequence[UUID]) -> list[Finding]:
        """Each id as a founded finding, as the log has it now."""
        check_entries(FINDINGS, item_ids)
        found = []
        for item_id in item_ids:
            try:
                item = self.get(LedgerItem, item_id)
            except NotFound:
                raise ValidationError(FINDINGS, f"no item with id {item_id}") from None
            found.append(finding_of(item))
        return found
