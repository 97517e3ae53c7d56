"""Ledger commands on interviews (约谈), referrals to discipline inspection and assessments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID, uuid4

from domain.assessment import Assessment, AssessmentKind, Verdict
from domain.commands import Deprecated, command
from domain.enterprise_evaluation import CriterionScore, EnterpriseEvaluation
from domain.errors import ValidationError
from domain.ids import (
    AssessmentId,
    EnterpriseId,
    InterviewId,
    ItemId,
    ReferralId,
    UnitId,
)
from domain.interview import Interview
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.person import Person
from domain.referral import Referral
from domain.text import check_entries

INTERVIEWEE_AS_TEXT = (
    "Use interviewees: each person with a name and a post. Still taken, as free text "
    "(read back as one interviewee with no post)."
)


class OversightCommands(LedgerBase):
    """约谈, 移交纪检监察 and the +1+1 assessments."""

    @command(creates=Interview)
    def schedule_interview(
        self,
        ctx: CommandContext,
        *,
        unit: UnitId,
        reason: str,
        cited_items: Sequence[ItemId],
        scheduled_for: datetime,
        interviewees: Sequence[Person] = (),
        interviewee: Annotated[str | None, Deprecated(INTERVIEWEE_AS_TEXT)] = None,
        interview_id: InterviewId | None = None,
    ) -> Written:
        """Schedule an interview (约谈) of a unit's head and staff, each with a post, citing
        the items behind it."""
        self.check_units("unit", [unit])
        check_entries("interviewees", interviewees)
        self.check_units("interviewees", [p.unit for p in interviewees if p.unit is not None])
        self._check_items("cited_items", cited_items)
        return self._create(
            ctx,
            lambda m: Interview.schedule(
                interview_id or uuid4(),
                unit=unit,
                interviewees=interviewees,
                interviewee=interviewee,
                reason=reason,
                cited_items=cited_items,
                scheduled_for=scheduled_for,
                meta=m,
            ),
        )

    @command()
    def hold_interview(
        self,
        ctx: CommandContext,
        interview_id: InterviewId,
        *,
        facts: str,
        commitments: Sequence[str],
        demands: Sequence[str],
        rectify_by: date,
    ) -> Written:
        """Record the interview held: facts, commitments, rectification demands, deadline."""
        return self._change(
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

    @command()
    def record_follow_up(
        self, ctx: CommandContext, interview_id: InterviewId, *, narrative: str, rectified: bool
    ) -> Written:
        """Record the follow-up of an interview's demands."""
        return self._change(
            Interview,
            interview_id,
            ctx,
            lambda i, m: i.record_follow_up(narrative, rectified, m),
        )

    @command()
    def cancel_interview(
        self, ctx: CommandContext, interview_id: InterviewId, *, reason: str
    ) -> Written:
        """Cancel a scheduled interview, with the reason."""
        return self._change(Interview, interview_id, ctx, lambda i, m: i.cancel(reason, m))

    @command(creates=Referral)
    def refer_to_discipline(
        self,
        ctx: CommandContext,
        *,
        unit: UnitId,
        reason: str,
        evidence: Sequence[int],
        persons: Sequence[str] = (),
        cited_items: Sequence[ItemId] = (),
        referral_id: ReferralId | None = None,
    ) -> Written:
        """Refer a case to discipline inspection (移交纪检监察), citing evidence by log position."""
        self.check_units("unit", [unit])
        self._check_items("cited_items", cited_items)
        self._check_positions(evidence)
        return self._create(
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

    @command()
    def acknowledge_referral(
        self, ctx: CommandContext, referral_id: ReferralId, *, note: str = ""
    ) -> Written:
        """Discipline inspection acknowledges the referral."""
        return self._change(Referral, referral_id, ctx, lambda r, m: r.acknowledge(note, m))

    @command()
    def record_referral_outcome(
        self, ctx: CommandContext, referral_id: ReferralId, *, outcome: str, accountable: bool
    ) -> Written:
        """Record the outcome of a referral, and whether someone was held to account."""
        return self._change(
            Referral,
            referral_id,
            ctx,
            lambda r, m: r.record_outcome(outcome, accountable, m),
        )

    @command(creates=Assessment)
    def record_assessment(
        self,
        ctx: CommandContext,
        *,
        unit: UnitId,
        period: str,
        kind: AssessmentKind,
        score: Decimal,
        verdict: Verdict = Verdict.NONE,
        note: str = "",
    ) -> Written:
        """Record a unit's assessment for a period (成果运用, 督导考核)."""
        self.check_units("unit", [unit])
        return self._create(
            ctx,
            lambda m: Assessment.record(
                unit=unit, period=period, kind=kind, score=score, verdict=verdict, note=note, meta=m
            ),
        )

    @command()
    def revise_assessment(
        self,
        ctx: CommandContext,
        assessment_id: AssessmentId,
        *,
        score: Decimal,
        verdict: Verdict,
        reason: str,
        note: str = "",
    ) -> Written:
        """Revise an assessment's score or verdict, with the reason."""
        return self._change(
            Assessment,
            assessment_id,
            ctx,
            lambda a, m: a.revise(score=score, verdict=verdict, note=note, reason=reason, meta=m),
        )

    @command(creates=EnterpriseEvaluation)
    def record_enterprise_evaluation(
        self,
        ctx: CommandContext,
        *,
        enterprise: str = "",
        unit: UnitId,
        quarter: str,
        scores: Sequence[CriterionScore],
        enterprise_id: EnterpriseId | None = None,
    ) -> Written:
        """Record an enterprise's quarterly evaluation of an agency (企业评议机关): its score
        per criterion; one per enterprise, agency and quarter.

        The enterprise is named by its registered id (``enterprise_id``: its registered name
        is taken, and the id kept) or by its name as free text."""
        self.check_units("unit", [unit])
        name = self._evaluating(enterprise, enterprise_id)
        return self._create(
            ctx,
            lambda m: EnterpriseEvaluation.record(
                enterprise=name,
                unit=unit,
                quarter=quarter,
                scores=scores,
                meta=m,
                enterprise_id=enterprise_id,
            ),
        )

    def _evaluating(self, name: str, enterprise_id: EnterpriseId | None) -> str:
        """The name of the enterprise evaluating: the registered one's when its id is given
        (a name given beside it must be that one), else the name given."""
        if enterprise_id is None:
            return name
        registered = self.registered_enterprise("enterprise_id", enterprise_id).name
        if name.strip() and name.strip() != registered:
            raise ValidationError(
                "enterprise", f"the enterprise of enterprise_id is named {registered!r}"
            )
        return registered

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
