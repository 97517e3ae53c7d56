"""Ledger commands on units and tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import uuid4

from domain.commands import command
from domain.escalation import Milestone
from domain.ids import TaskId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.task import Task
from domain.unit import Unit, UnitKind


class UnitAndTaskCommands(LedgerBase):
    """Register, rename and merge units; register, assign and follow tasks."""

    @command(creates=Unit)
    def register_unit(self, ctx: CommandContext, *, name: str, kind: UnitKind) -> Written:
        """Register a responsible unit (区直部门, 街道, 驻区单位)."""
        return self._create(ctx, lambda m: Unit.register(name, kind, m))

    @command()
    def rename_unit(self, ctx: CommandContext, unit_id: UnitId, *, name: str) -> Written:
        """Rename a unit; its history keeps the old name."""
        return self._change(Unit, unit_id, ctx, lambda u, m: u.rename(name, m))

    @command()
    def merge_unit(self, ctx: CommandContext, unit_id: UnitId, *, into: UnitId) -> Written:
        """Merge a unit into another; its open work answers to the other from now on."""
        self.check_units("into", [into])
        return self._change(Unit, unit_id, ctx, lambda u, m: u.merge_into(into, m))

    @command(creates=Task)
    def register_task(
        self,
        ctx: CommandContext,
        *,
        plan_year: int,
        title: str,
        section: str = "",
        number: int | None = None,
        description: str = "",
        task_id: TaskId | None = None,
    ) -> Written:
        """Register a work item (督办事项) of a year's plan."""
        return self._create(
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

    @command()
    def assign_task(
        self,
        ctx: CommandContext,
        task_id: TaskId,
        *,
        lead_units: Sequence[UnitId],
        cooperating_units: Sequence[UnitId] = (),
        cooperation_note: str = "",
        deadline: date,
        milestones: Sequence[Milestone] = (),
        cooperating_groups: Sequence[UnitKind] = (),
    ) -> Written:
        """Assign a task to its lead units (牵头单位) and cooperating units (协同单位),
        with a deadline and milestones; cooperating groups name kinds of unit that
        cooperate as a whole (各街道: every SUBDISTRICT), a rule every unit of the kind
        meets, those registered later too."""
        self.check_units("lead_units", lead_units)
        self.check_units("cooperating_units", cooperating_units)
        return self._change(
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
                cooperating_groups=cooperating_groups,
            ),
        )

    @command()
    def accept_task(self, ctx: CommandContext, task_id: TaskId, *, unit: UnitId) -> Written:
        """A lead unit accepts the task assigned to it."""
        return self._change(Task, task_id, ctx, lambda t, m: t.accept(unit, m))

    @command()
    def report_progress(
        self,
        ctx: CommandContext,
        task_id: TaskId,
        *,
        percent: int,
        narrative: str,
        evidence: Sequence[str] = (),
        milestones_reached: Sequence[str] = (),
    ) -> Written:
        """Report a task's progress: percent, narrative, evidence, milestones reached."""
        return self._change(
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

    @command()
    def urge_task(self, ctx: CommandContext, task_id: TaskId, *, reason: str) -> Written:
        """Urge a lagging task (催办)."""
        return self._change(Task, task_id, ctx, lambda t, m: t.urge(reason, m))

    @command()
    def escalate_task(self, ctx: CommandContext, task_id: TaskId, *, reason: str) -> Written:
        """Escalate a task one tier along 1+1+N: task force, office, leading group."""
        return self._change(Task, task_id, ctx, lambda t, m: t.escalate(reason, m))

    @command()
    def request_extension(
        self, ctx: CommandContext, task_id: TaskId, *, new_deadline: date, reason: str
    ) -> Written:
        """Ask for a later deadline, with the reason."""
        # one the policy deems approved when not decided in time (超时默许) carries the last
        # day to decide it
        return self._change(
            Task,
            task_id,
            ctx,
            lambda t, m: t.request_extension(
                new_deadline, reason, m, self.current_rules().decision_due(m.business_date)
            ),
        )

    @command()
    def decide_extension(
        self, ctx: CommandContext, task_id: TaskId, *, approved: bool, note: str = ""
    ) -> Written:
        """Approve or reject a requested extension."""
        return self._change(
            Task,
            task_id,
            ctx,
            lambda t, m: t.decide_extension(approved, note, m),
        )

    @command()
    def request_completion(self, ctx: CommandContext, task_id: TaskId, *, summary: str) -> Written:
        """Ask for the task to be verified and closed (申请销号)."""
        return self._change(Task, task_id, ctx, lambda t, m: t.request_completion(summary, m))

    @command()
    def verify_task(self, ctx: CommandContext, task_id: TaskId, *, note: str = "") -> Written:
        """Verify the task done and close it (销号)."""
        return self._change(Task, task_id, ctx, lambda t, m: t.verify_completion(note, m))

    @command()
    def reject_completion(self, ctx: CommandContext, task_id: TaskId, *, reason: str) -> Written:
        """Reject a completion request: the task goes back to work."""
        return self._change(Task, task_id, ctx, lambda t, m: t.reject_completion(reason, m))

    @command()
    def reopen_task(self, ctx: CommandContext, task_id: TaskId, *, reason: str) -> Written:
        """Reopen a closed task."""
        return self._change(Task, task_id, ctx, lambda t, m: t.reopen(reason, m))
