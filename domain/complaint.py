"""Complaint (投诉/诉求): one case from one of the five supervision channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.channels import Channel
from domain.complaint_events import ComplaintEvents, ComplaintState
from domain.complaint_numbers import check_complaint_number
from domain.errors import ValidationError, require_text
from domain.intakes import intake_of_case
from domain.materials import (
    MaterialRequest,
    breaches_once_notice,
    first_listed,
    listed_materials,
)
from domain.meta import EventMeta, LedgerItem
from domain.teams import team_of_case
from domain.timed_acts import TimedActNotDue, has_passed
from domain.timeliness import TimeRules

S = ComplaintState
OPEN = tuple(s for s in S if s is not S.CLOSED)


class Complaint(ComplaintEvents, LedgerItem):
    """A case followed from receipt to closure under 首问负责: the first-responder unit
    (首问单位) stays accountable until a handover to another unit is signed."""

    item_type = "Complaint"

    if TYPE_CHECKING:
        channel: Channel
        team: str | None
        enterprise: UUID | None
        intake: str | None
        number: str | None  # its work-order number (12345 工单编号), if received with one
        receipt_by: datetime | None
        receipted_at: datetime | None  # a case of an intake: when its dispatch receipted it
        summary: str
        complainant_name: str
        complainant_phone: str
        subject_unit: UUID | None
        first_responder: UUID
        accountable_unit: UUID
        handling_unit: UUID | None
        received_on: date
        first_reply_by: date
        close_by: date
        sign_by: date | None
        return_by: date | None
        dispatched_on: date | None
        first_reply_days: int
        close_days: int
        sign_days: int | None
        return_days: int | None
        deadline_provisional: bool
        reply_working_days: int | None
        first_replied_on: date | None
        rectified_on: date | None
        closed_on: date | None
        return_count: int
        reopen_count: int
        extension_days: int
        satisfied: bool | None
        founded: bool | None
        founded_on: date | None  # the day it was found founded (verified, or on appeal)
        reward: int | None
        material_requests: tuple[MaterialRequest, ...]  # 一次告知: requests, in order made
        overdue_urged_for: date | None
        state: ComplaintState

    @classmethod
    def receive(
        cls,
        item_id: UUID,
        *,
        channel: Channel,
        summary: str,
        complainant_name: str,
        complainant_phone: str,
        subject_unit: UUID | None,
        first_responder: UUID,
        rules: TimeRules,
        meta: EventMeta,
        team: str | None = None,
        enterprise: UUID | None = None,
        intake: str | None = None,
        number: str | None = None,
    ) -> Complaint:
        """A case received; a 三支队伍监督 case names its team (one of the policy's); an
        intake line's case is to be receipted within its hours (``domain.intakes``)."""
        limits, day = rules.limits(channel), meta.business_date
        line = intake_of_case(channel, intake, rules.policy.intakes)
        close_by = rules.due(day, limits.close)
        first_reply_by = rules.due(day, limits.first_reply)
        return cls._start(
            cls.Received,
            meta,
            item_id,
            channel=channel,
            team=team_of_case(channel, team, rules.policy.teams),
            summary=require_text("summary", summary),
            complainant_name=complainant_name.strip(),
            complainant_phone=complainant_phone.strip(),
            subject_unit=subject_unit,
            first_responder=first_responder,
            first_reply_by=first_reply_by,
            close_by=close_by,
            first_reply_days=limits.first_reply,
            close_days=limits.close,
            provisional=rules.calendar.is_provisional(day, max(first_reply_by, close_by)),
            enterprise=enterprise,
            intake=None if line is None else line.key,
            receipt_by=None if line is None else line.receipt_by(meta.occurred_at),
            number=check_complaint_number(number),
        )

    def dispatch(self, unit: UUID, rules: TimeRules, meta: EventMeta) -> None:
        self._require("be dispatched", S.RECEIVED, S.RETURNED)
        event = self.Redispatched if self.state is S.RETURNED else self.Dispatched
        limits, day = rules.limits(self.channel), meta.business_date
        return_by = rules.due(day, limits.return_)
        self._emit(
            event,
            meta,
            unit=unit,
            sign_by=rules.due(day, limits.sign_for),
            return_by=return_by,
            sign_days=limits.sign_for,
            return_days=limits.return_,
            provisional=self._provisional(rules, return_by),
        )

    def sign_for(self, unit: UUID, meta: EventMeta) -> None:
        self._require("be signed for", S.DISPATCHED)
        self._check_handler(unit)
        self._emit(self.SignedFor, meta, unit=unit)

    def return_(self, unit: UUID, reason: str, meta: EventMeta) -> None:
        self._require("be returned", S.DISPATCHED, S.SIGNED_FOR)
        self._check_handler(unit)
        self._emit(self.Returned, meta, unit=unit, reason=require_text("reason", reason))

    def reply(self, text: str, rules: TimeRules, meta: EventMeta) -> None:
        self._require("get a first reply", S.DISPATCHED, S.SIGNED_FOR, S.VERIFIED, S.UNFOUNDED)
        if self.first_replied_on is not None:
            raise self._refuse("get a first reply", "it already has one")
        self._emit(
            self.Replied,
            meta,
            text=require_text("text", text),
            working_days=rules.calendar.working_days_between(self.received_on, meta.business_date),
        )

    def verify(self, founded: bool, finding: str, meta: EventMeta) -> None:
        self._require("be verified", S.SIGNED_FOR)
        self._emit(self.Verified, meta, founded=founded, finding=require_text("finding", finding))

    def request_materials(self, items: Sequence[str], note: str, meta: EventMeta) -> None:
        """一次告知: the handling unit, once it has signed for the case, asks for what is
        missing, every item at once; a later request naming an item its first did not list
        is recorded, as a breach."""
        self._require("have materials requested", S.SIGNED_FOR, S.VERIFIED)
        assert self.handling_unit is not None  # signed for: dispatched to it
        listed = listed_materials(items)
        first = first_listed(self.material_requests, self.handling_unit)
        self._emit(
            self.MaterialsRequested,
            meta,
            unit=self.handling_unit,
            materials=listed,
            note=note.strip(),
            breach=breaches_once_notice(first, listed),
        )

    def review_appeal(self, upheld: bool, note: str, meta: EventMeta) -> None:
        self._require("have its appeal reviewed", S.UNFOUNDED)
        self._emit(self.AppealReviewed, meta, upheld=upheld, note=require_text("note", note))

    def report_rectification(
        self, narrative: str, evidence: Sequence[str], meta: EventMeta
    ) -> None:
        self._require("report rectification", S.VERIFIED)
        self._emit(
            self.RectificationReported,
            meta,
            narrative=require_text("narrative", narrative),
            evidence=list(evidence),
        )

    def call_back(self, satisfied: bool, note: str, meta: EventMeta) -> None:
        self._require("be called back", S.RECTIFIED)
        self._emit(self.CalledBack, meta, satisfied=satisfied, note=note.strip())

    def reopen(self, reason: str, meta: EventMeta) -> None:
        self._require("reopen", S.CALLED_BACK)
        if self.satisfied:
            raise self._refuse("reopen", "the caller was satisfied")
        self._emit(self.Reopened, meta, reason=require_text("reason", reason))

    def extend_deadline(
        self, working_days: int, reason: str, rules: TimeRules, meta: EventMeta
    ) -> None:
        self._require("have its deadline extended", *OPEN)
        ceiling = rules.limits(self.channel).max_extension
        if working_days < 1 or self.extension_days + working_days > ceiling:
            raise ValidationError(
                "working_days",
                f"extensions may add up to {ceiling} working days, "
                f"{self.extension_days} already granted",
            )
        close_by = rules.due(self.close_by, working_days)
        self._emit(
            self.DeadlineExtended,
            meta,
            working_days=working_days,
            close_by=close_by,
            reason=require_text("reason", reason),
            provisional=self._provisional(rules, close_by),
        )

    def urge_overdue(self, deadline: date, meta: EventMeta) -> None:
        """限时办结: urge the open case once ``deadline``, its deadline to close, has passed;
        nothing is recorded when the deadline has moved, the case is closed or was urged
        for it."""
        if not has_passed(deadline, meta.recorded_at):
            raise TimedActNotDue(self.item_type, self.state.value, "be urged as overdue", deadline)
        if self.state is S.CLOSED or self.close_by != deadline:
            return
        if self.overdue_urged_for == deadline:
            return
        reason = f"逾期未办结：办结期限 {deadline} 已过（限时办结，系统催办）"
        self._emit(self.OverdueUrged, meta, deadline=deadline, reason=reason)

    def recompute_deadlines(self, year: int, rules: TimeRules, meta: EventMeta) -> bool:
        """Work the open case's deadlines out again on ``rules``' calendar, after ``year``'s
        schedule was adopted: each the same number of working days from the same start.
        False (nothing recorded) when none of them moves."""
        if self.state is S.CLOSED:
            return False
        add = rules.calendar.add_working_days
        first_reply_by = add(self.received_on, self.first_reply_days)
        close_by = add(self.received_on, self.close_days)
        sign_by, return_by = self.sign_by, self.return_by
        if self.dispatched_on is not None and self.sign_days is not None:
            sign_by = add(self.dispatched_on, self.sign_days)
        if self.dispatched_on is not None and self.return_days is not None:
            return_by = add(self.dispatched_on, self.return_days)
        last = max(d for d in (first_reply_by, close_by, sign_by, return_by) if d)
        provisional = rules.calendar.is_provisional(self.received_on, last)
        new = (first_reply_by, close_by, sign_by, return_by, provisional)
        old = (self.first_reply_by, self.close_by, self.sign_by, self.return_by)
        if new == (*old, self.deadline_provisional):
            return False
        self._emit(
            self.DeadlinesRecomputed,
            meta,
            year=year,
            first_reply_by=first_reply_by,
            close_by=close_by,
            sign_by=sign_by,
            return_by=return_by,
            provisional=provisional,
        )
        return True

    def _provisional(self, rules: TimeRules, *deadlines: date | None) -> bool:
        """Whether the deadlines, with those the case has, reach an uncovered year."""
        last = max(d for d in (*deadlines, self.first_reply_by, self.close_by, self.return_by) if d)
        return rules.calendar.is_provisional(self.received_on, last)

    def hand_over(self, to_unit: UUID, note: str, meta: EventMeta) -> None:
        self._require("be handed over", *OPEN)
        if to_unit == self.accountable_unit:
            raise ValidationError("to_unit", "is already the accountable unit")
        self._emit(self.HandedOver, meta, to_unit=to_unit, note=note.strip())

    def close(self, note: str, meta: EventMeta) -> None:
        """Close after the call-back (satisfied or not: the office decides) or an upheld appeal."""
        self._require("be closed", S.CALLED_BACK, S.APPEAL_UPHELD)
        self._emit(self.Closed, meta, note=note.strip())

    def grant_reward(self, amount_yuan: int, note: str, meta: EventMeta) -> None:
        self._require("be rewarded", S.CLOSED)
        if self.channel is not Channel.FAULT_FINDING:
            raise self._refuse("be rewarded", "only 找茬儿 reports earn rewards")
        if not self.founded or self.reward is not None:
            raise self._refuse("be rewarded", "unfounded or already rewarded")
        if amount_yuan < 1:
            raise ValidationError("amount_yuan", "must be at least 1")
        self._emit(self.RewardGranted, meta, amount_yuan=amount_yuan, note=note.strip())

    def _check_handler(self, unit: UUID) -> None:
        if unit != self.handling_unit:
            raise ValidationError("unit", "the case was not dispatched to this unit")
