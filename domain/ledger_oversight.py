"""Ledger commands on legacy issues, interviews, referrals and assessments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from domain.assessment import Assessment, AssessmentKind, Verdict
from domain.errors import ValidationError
from domain.escalation import Milestone, Tier
from domain.interview import Interview
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.legacy_issue import LegacyCategory, LegacyIssue
from domain.legacy_target import LegacyTarget
from domain.referral import Referral
from domain.text import check_entries


class OversightCommands(LedgerBase):
    """The legacy-problem ledger, 约谈, 移交纪检监察 and the +1+1 assessments."""

    def register_legacy_issue(
        self,
        ctx: CommandContext,
        *,
        title: str,
        category: LegacyCategory,
        cause: str,
        responsible_unit: UUID,
        target_year: int,
        baseline: bool,
        parties: Sequence[str] = (),
        tier: Tier = Tier.TASK_FORCE,
        issue_id: UUID | None = None,
    ) -> Written:
        """Register a problem in the legacy-problem master ledger (总台账)."""
        self.check_units("responsible_unit", [responsible_unit])
        return self._create(
            "registerLegacyIssue",
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
            ),
        )

    def adopt_plan(
        self,
        ctx: CommandContext,
        issue_id: UUID,
        *,
        plan: str,
        milestones: Sequence[Milestone] = (),
    ) -> Written:
        """Adopt the plan to resolve a legacy problem, with its milestones."""
        return self._change(
            "adoptPlan", LegacyIssue, issue_id, ctx, lambda i, m: i.adopt_plan(plan, milestones, m)
        )

    def reach_milestone(self, ctx: CommandContext, issue_id: UUID, *, key: str) -> Written:
        """Record a milestone of the plan reached."""
        return self._change(
            "reachMilestone", LegacyIssue, issue_id, ctx, lambda i, m: i.reach_milestone(key, m)
        )

    def escalate_legacy_issue(self, ctx: CommandContext, issue_id: UUID, *, reason: str) -> Written:
        """Escalate a legacy problem one tier."""
        return self._change(
            "escalateLegacyIssue", LegacyIssue, issue_id, ctx, lambda i, m: i.escalate(reason, m)
        )

    def suspend_legacy_issue(self, ctx: CommandContext, issue_id: UUID, *, reason: str) -> Written:
        """Suspend work on a legacy problem, with the reason."""
        return self._change(
            "suspendLegacyIssue", LegacyIssue, issue_id, ctx, lambda i, m: i.suspend(reason, m)
        )

    def resume_legacy_issue(
        self, ctx: CommandContext, issue_id: UUID, *, note: str = ""
    ) -> Written:
        """Resume work on a suspended legacy problem."""
        return self._change(
            "resumeLegacyIssue", LegacyIssue, issue_id, ctx, lambda i, m: i.resume(note, m)
        )

    def verify_resolution(self, ctx: CommandContext, issue_id: UUID, *, note: str) -> Written:
        """Verify a legacy problem resolved (销号)."""
        return self._change(
            "verifyResolution",
            LegacyIssue,
            issue_id,
            ctx,
            lambda i, m: i.verify_resolution(note, m),
        )

    def reopen_legacy_issue(self, ctx: CommandContext, issue_id: UUID, *, reason: str) -> Written:
        """Reopen a resolved legacy problem."""
        return self._change(
            "reopenLegacyIssue", LegacyIssue, issue_id, ctx, lambda i, m: i.reopen(reason, m)
        )

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
            "setLegacyTarget",
            ctx,
            lambda m: LegacyTarget.set(
                year=year,
                goal=goal,
                due=due,
                required_resolved_percent=required_resolved_percent,
                meta=m,
            ),
        )

    def revise_legacy_target(
        self,
        ctx: CommandContext,
        target_id: UUID,
        *,
        goal: str,
        due: date,
        required_resolved_percent: int | None,
        reason: str,
    ) -> Written:
        """Revise a target year's goal, with the reason."""
        return self._change(
            "reviseLegacyTarget",
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

    def schedule_interview(
        self,
        ctx: CommandContext,
        *,
        unit: UUID,
        interviewee: str,
        reason: str,
        cited_items: Sequence[UUID],
        scheduled_for: datetime,
        interview_id: UUID | None = None,
    ) -> Written:
        """Schedule an interview (约谈) of a unit head, citing the items behind it."""
        self.check_units("unit", [unit])
        self._check_items("cited_items", cited_items)
        return self._create(
            "scheduleInterview",
            ctx,
            lambda m: Interview.schedule(
                interview_id or uuid4(),
                unit=unit,
                interviewee=interviewee,
                reason=reason,
                cited_items=cited_items,
                scheduled_for=scheduled_for,
                meta=m,
            ),
        )

    def hold_interview(
        self,
        ctx: CommandContext,
        interview_id: UUID,
        *,
        facts: str,
        commitments: Sequence[str],
        demands: Sequence[str],
        rectify_by: date,
    ) -> Written:
        """Record the interview held: facts, commitments, rectification demands, deadline."""
        return self._change(
            "holdInterview",
            Interview,
            interview_id,
            ctx,
            lambda i, m: i.hold(
                facts=facts,
                commitments=commitments,
                demands=demands,
                rectify_by=rectify_by,
                meta=m,
            ),
        )

    def record_follow_up(
        self, ctx: CommandContext, interview_id: UUID, *, narrative: str, rectified: bool
    ) -> Written:
        """Record the follow-up of an interview's demands."""
        return self._change(
            "recordFollowUp",
            Interview,
            interview_id,
            ctx,
            lambda i, m: i.record_follow_up(narrative, rectified, m),
        )

    def cancel_interview(self, ctx: CommandContext, interview_id: UUID, *, reason: str) -> Written:
        """Cancel a scheduled interview, with the reason."""
        return self._change(
            "cancelInterview", Interview, interview_id, ctx, lambda i, m: i.cancel(reason, m)
        )

    def refer_to_discipline(
        self,
        ctx: CommandContext,
        *,
        unit: UUID,
        reason: str,
        evidence: Sequence[int],
        persons: Sequence[str] = (),
        cited_items: Sequence[UUID] = (),
        referral_id: UUID | None = None,
    ) -> Written:
        """Refer a case to discipline inspection (移交纪检监察), citing evidence by log position."""
        self.check_units("unit", [unit])
        self._check_items("cited_items", cited_items)
        self._check_positions(evidence)
        return self._create(
            "referToDiscipline",
            ctx,
            lambda m: Referral.make(
                referral_id or uuid4(),
                unit=unit,
                persons=persons,
                reason=reason,
                evidence=evidence,
                cited_items=cited_items,
                meta=m,
            ),
        )

    def acknowledge_referral(
        self, ctx: CommandContext, referral_id: UUID, *, note: str = ""
    ) -> Written:
        """Discipline inspection acknowledges the referral."""
        return self._change(
            "acknowledgeReferral", Referral, referral_id, ctx, lambda r, m: r.acknowledge(note, m)
        )

    def record_referral_outcome(
        self, ctx: CommandContext, referral_id: UUID, *, outcome: str, accountable: bool
    ) -> Written:
        """Record the outcome of a referral, and whether someone was held to account."""
        return self._change(
            "recordReferralOutcome",
            Referral,
            referral_id,
            ctx,
            lambda r, m: r.record_outcome(outcome, accountable, m),
        )

    def record_assessment(
        self,
        ctx: CommandContext,
        *,
        unit: UUID,
        period: str,
        kind: AssessmentKind,
        score: Decimal,
        verdict: Verdict = Verdict.NONE,
        note: str = "",
    ) -> Written:
        """Record a unit's assessment for a period (成果运用, 督导考核)."""
        self.check_units("unit", [unit])
        return self._create(
            "recordAssessment",
            ctx,
            lambda m: Assessment.record(
                unit=unit, period=period, kind=kind, score=score, verdict=verdict, note=note, meta=m
            ),
        )

    def revise_assessment(
        self,
        ctx: CommandContext,
        assessment_id: UUID,
        *,
        score: Decimal,
        verdict: Verdict,
        reason: str,
        note: str = "",
    ) -> Written:
        """Revise an assessment's score or verdict, with the reason."""
        return self._change(
            "reviseAssessment",
            Assessment,
            assessment_id,
            ctx,
            lambda a, m: a.revise(score=score, verdict=verdict, note=note, reason=reason, meta=m),
        )

    def _check_items(self, field_name: str, item_ids: Sequence[UUID]) -> None:
        check_entries(field_name, item_ids)
        for item_id in item_ids:
            if not self.exists(item_id):
                raise ValidationError(field_name, f"no item with id {item_id}")

    def _check_positions(self, positions: Sequence[int]) -> None:
        newest = self.recorder.max_notification_id() or 0
        for position in positions:
            if not 1 <= position <= newest:
                raise ValidationError("evidence", f"no event at position {position}")
