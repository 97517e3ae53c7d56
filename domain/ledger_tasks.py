"""Ledger commands on units and tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

from domain.escalation import Milestone
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.task import Task
from domain.unit import Unit, UnitKind


class UnitAndTaskCommands(LedgerBase):
    """Register, rename and merge units; register, assign and follow tasks."""

    def register_unit(self, ctx: CommandContext, *, name: str, kind: UnitKind) -> Written:
        return self._create("registerUnit", ctx, lambda m: Unit.register(name, kind, m))

    def rename_unit(self, ctx: CommandContext, unit_id: UUID, *, name: str) -> Written:
        return self._change("renameUnit", Unit, unit_id, ctx, lambda u, m: u.rename(name, m))

    def merge_unit(self, ctx: CommandContext, unit_id: UUID, *, into: UUID) -> Written:
        self.check_units("into", [into])
        return self._change("mergeUnit", Unit, unit_id, ctx, lambda u, m: u.merge_into(into, m))

    def register_task(
        self,
        ctx: CommandContext,
        *,
        plan_year: int,
        title: str,
        section: str = "",
        number: int | None = None,
        description: str = "",
        task_id: UUID | None = None,
    ) -> Written:
        return self._create(
            "registerTask",
            ctx,
            lambda m: Task.register(
                task_id or uuid4(),
                plan_year=plan_year,
                number=number,
                section=section,
                title=title,
                description=description,
                meta=m,
            ),
        )

    def assign_task(
        self,
        ctx: CommandContext,
        task_id: UUID,
        *,
        lead_units: Sequence[UUID],
        cooperating_units: Sequence[UUID] = (),
        cooperation_note: str = "",
        deadline: date,
        milestones: Sequence[Milestone] = (),
    ) -> Written:
        self.check_units("lead_units", lead_units)
        self.check_units("cooperating_units", cooperating_units)
        return self._change(
            "assignTask",
            Task,
            task_id,
            ctx,
            lambda t, m: t.assign(
                lead_units=lead_units,
                cooperating_units=cooperating_units,
                cooperation_note=cooperation_note,
                deadline=deadline,
                milestones=milestones,
                meta=m,
            ),
        )

    def accept_task(self, ctx: CommandContext, task_id: UUID, *, unit: UUID) -> Written:
        return self._change("acceptTask", Task, task_id, ctx, lambda t, m: t.accept(unit, m))

    def report_progress(
        self,
        ctx: CommandContext,
        task_id: UUID,
        *,
        percent: int,
        narrative: str,
        evidence: Sequence[str] = (),
        milestones_reached: Sequence[str] = (),
    ) -> Written:
        return self._change(
            "reportProgress",
            Task,
            task_id,
            ctx,
            lambda t, m: t.report_progress(
                percent=percent,
                narrative=narrative,
                evidence=evidence,
                milestones_reached=milestones_reached,
                meta=m,
            ),
        )

    def urge_task(self, ctx: CommandContext, task_id: UUID, *, reason: str) -> Written:
        return self._change("urgeTask", Task, task_id, ctx, lambda t, m: t.urge(reason, m))

    def escalate_task(self, ctx: CommandContext, task_id: UUID, *, reason: str) -> Written:
        return self._change("escalateTask", Task, task_id, ctx, lambda t, m: t.escalate(reason, m))

    def request_extension(
        self, ctx: CommandContext, task_id: UUID, *, new_deadline: date, reason: str
    ) -> Written:
        return self._change(
            "requestExtension",
            Task,
            task_id,
            ctx,
            lambda t, m: t.request_extension(new_deadline, reason, m),
        )

    def decide_extension(
        self, ctx: CommandContext, task_id: UUID, *, approved: bool, note: str = ""
    ) -> Written:
        return self._change(
            "decideExtension",
            Task,
            task_id,
            ctx,
            lambda t, m: t.decide_extension(approved, note, m),
        )

    def request_completion(self, ctx: CommandContext, task_id: UUID, *, summary: str) -> Written:
        return self._change(
            "requestCompletion", Task, task_id, ctx, lambda t, m: t.request_completion(summary, m)
        )

    def verify_task(self, ctx: CommandContext, task_id: UUID, *, note: str = "") -> Written:
        return self._change(
            "verifyTask", Task, task_id, ctx, lambda t, m: t.verify_completion(note, m)
        )

    def reject_completion(self, ctx: CommandContext, task_id: UUID, *, reason: str) -> Written:
        return self._change(
            "rejectCompletion", Task, task_id, ctx, lambda t, m: t.reject_completion(reason, m)
        )

    def reopen_task(self, ctx: CommandContext, task_id: UUID, *, reason: str) -> Written:
        return self._change("reopenTask", Task, task_id, ctx, lambda t, m: t.reopen(reason, m))
