"""Ledger commands on the legacy-problem master ledger (总台账) and its yearly targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import uuid4

from domain.commands import command
from domain.escalation import Milestone, Tier
from domain.ids import LegacyIssueId, LegacyTargetId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.legacy_issue import LegacyCategory, LegacyIssue, check_number, legacy_issue_id_for
from domain.legacy_target import LegacyTarget


class LegacyIssueCommands(LedgerBase):
    """Register legacy problems and follow their plans; set and revise the yearly targets."""

    @command(creates=LegacyIssue)
    def register_legacy_issue(
        self,
        ctx: CommandContext,
        *,
        title: str,
        category: LegacyCategory,
        cause: str,
        responsible_unit: UnitId,
        target_year: int,
        baseline: bool,
        parties: Sequence[str] = (),
        tier: Tier = Tier.TASK_FORCE,
        issue_id: LegacyIssueId | None = None,
        number: str | None = None,
    ) -> Written:
        """Register a problem in the legacy-problem master ledger (总台账), with its 台账编号
        from the survey if it has one: given without an id, the id derives from the number,
        so a number already held is refused (AlreadyExists)."""
        self.check_units("responsible_unit", [responsible_unit])
        number = check_number(number)
        if issue_id is None and number is not None:
            issue_id = LegacyIssueId(legacy_issue_id_for(number))
        return self._create(
            ctx,
            lambda m: LegacyIssue.register(
                issue_id or uuid4(),
                title=title,
                category=category,
                cause=cause,
                parties=parties,
                responsible_unit=responsible_unit,
                tier=tier,
                target_year=target_year,
                baseline=baseline,
                meta=m,
                number=number,
            ),
        )

    @command()
    def adopt_plan(
        self,
        ctx: CommandContext,
        issue_id: LegacyIssueId,
        *,
        plan: str,
        milestones: Sequence[Milestone] = (),
    ) -> Written:
        """Adopt the plan to resolve a legacy problem, with its milestones."""
        return self._change(
            LegacyIssue, issue_id, ctx, lambda i, m: i.adopt_plan(plan, milestones, m)
        )

    @command()
    def reach_milestone(self, ctx: CommandContext, issue_id: LegacyIssueId, *, key: str) -> Written:
        """Record a milestone of the plan reached."""
        return self._change(LegacyIssue, issue_id, ctx, lambda i, m: i.reach_milestone(key, m))

    @command()
    def escalate_legacy_issue(
        self, ctx: CommandContext, issue_id: LegacyIssueId, *, reason: str
    ) -> Written:
        """Escalate a legacy problem one tier."""
        return self._change(LegacyIssue, issue_id, ctx, lambda i, m: i.escalate(reason, m))

    @command()
    def suspend_legacy_issue(
        self, ctx: CommandContext, issue_id: LegacyIssueId, *, reason: str
    ) -> Written:
        """Suspend work on a legacy problem, with the reason."""
        return self._change(LegacyIssue, issue_id, ctx, lambda i, m: i.suspend(reason, m))

    @command()
    def resume_legacy_issue(
        self, ctx: CommandContext, issue_id: LegacyIssueId, *, note: str = ""
    ) -> Written:
        """Resume work on a suspended legacy problem."""
        return self._change(LegacyIssue, issue_id, ctx, lambda i, m: i.resume(note, m))

    @command()
    def verify_resolution(
        self, ctx: CommandContext, issue_id: LegacyIssueId, *, note: str
    ) -> Written:
        """Verify a legacy problem resolved (销号)."""
        return self._change(
            LegacyIssue,
            issue_id,
            ctx,
            lambda i, m: i.verify_resolution(note, m),
        )

    @command()
    def reopen_legacy_issue(
        self, ctx: CommandContext, issue_id: LegacyIssueId, *, reason: str
    ) -> Written:
        """Reopen a resolved legacy problem."""
        return self._change(LegacyIssue, issue_id, ctx, lambda i, m: i.reopen(reason, m))

    @command(creates=LegacyTarget)
    def set_legacy_target(
        self,
        ctx: CommandContext,
        *,
        year: int,
        goal: str,
        due: date,
        required_resolved_percent: int | None = None,
    ) -> Written:
        """Set the goal for clearing legacy problems by a target year."""
        return self._create(
            ctx,
            lambda m: LegacyTarget.set(
                year=year,
                goal=goal,
                due=due,
                required_resolved_percent=required_resolved_percent,
                meta=m,
            ),
        )

    @command()
    def revise_legacy_target(
        self,
        ctx: CommandContext,
        target_id: LegacyTargetId,
        *,
        goal: str,
        due: date,
        required_resolved_percent: int | None,
        reason: str,
    ) -> Written:
        """Revise a target year's goal, with the reason."""
        return self._change(
            LegacyTarget,
            target_id,
            ctx,
            lambda t, m: t.revise(
                goal=goal,
                due=due,
                required_resolved_percent=required_resolved_percent,
                reason=reason,
                meta=m,
            ),
        )
