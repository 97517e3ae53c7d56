"""Ledger commands on complaints from the five channels."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from domain.channels import Channel
from domain.complaint import Complaint
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.text import check_text


class ComplaintCommands(LedgerBase):
    """Receive a complaint and follow it through dispatch, rectification and call-back."""

    def receive_complaint(
        self,
        ctx: CommandContext,
        *,
        channel: Channel,
        summary: str,
        first_responder: UUID,
        complainant_name: str = "",
        complainant_phone: str = "",
        subject_unit: UUID | None = None,
        complaint_id: UUID | None = None,
    ) -> Written:
        """Receive a case from one of the five channels (首问负责: the first responder takes it)."""
        self.check_units("first_responder", [first_responder])
        self.check_units("subject_unit", [subject_unit] if subject_unit else [])
        return self._create(
            "receiveComplaint",
            ctx,
            lambda m: Complaint.receive(
                complaint_id or uuid4(),
                channel=channel,
                summary=summary,
                complainant_name=self._sealed("complainant_name", complainant_name),
                complainant_phone=self._sealed("complainant_phone", complainant_phone),
                subject_unit=subject_unit,
                first_responder=first_responder,
                rules=self.current_rules(),
                meta=m,
            ),
        )

    def _sealed(self, field: str, personal: str) -> str:
        """Personal data, checked in the clear, then sealed."""
        return self.sealer.seal(check_text(field, personal.strip()))

    def dispatch_complaint(self, ctx: CommandContext, complaint_id: UUID, *, unit: UUID) -> Written:
        """Dispatch the case to the unit that must handle it."""
        self.check_units("unit", [unit])
        return self._change(
            "dispatchComplaint",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.dispatch(unit, self.current_rules(), m),
        )

    def sign_for_complaint(self, ctx: CommandContext, complaint_id: UUID, *, unit: UUID) -> Written:
        """The unit signs for the case dispatched to it."""
        return self._change(
            "signForComplaint", Complaint, complaint_id, ctx, lambda c, m: c.sign_for(unit, m)
        )

    def return_complaint(
        self, ctx: CommandContext, complaint_id: UUID, *, unit: UUID, reason: str
    ) -> Written:
        """The unit returns a case that is not its own (退单), with the reason."""
        return self._change(
            "returnComplaint", Complaint, complaint_id, ctx, lambda c, m: c.return_(unit, reason, m)
        )

    def reply_to_complaint(self, ctx: CommandContext, complaint_id: UUID, *, text: str) -> Written:
        """Give the complainant a first reply."""
        return self._change(
            "replyToComplaint",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.reply(text, self.current_rules(), m),
        )

    def verify_complaint(
        self, ctx: CommandContext, complaint_id: UUID, *, founded: bool, finding: str
    ) -> Written:
        """Record whether the case is founded, and the finding."""
        return self._change(
            "verifyComplaint",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.verify(founded, finding, m),
        )

    def review_appeal(
        self, ctx: CommandContext, complaint_id: UUID, *, upheld: bool, note: str
    ) -> Written:
        """Decide an appeal against a case found unfounded."""
        return self._change(
            "reviewAppeal",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.review_appeal(upheld, note, m),
        )

    def report_rectification(
        self,
        ctx: CommandContext,
        complaint_id: UUID,
        *,
        narrative: str,
        evidence: Sequence[str] = (),
    ) -> Written:
        """Report the rectification done, with evidence."""
        return self._change(
            "reportRectification",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.report_rectification(narrative, evidence, m),
        )

    def call_back(
        self, ctx: CommandContext, complaint_id: UUID, *, satisfied: bool, note: str = ""
    ) -> Written:
        """Record the call-back (回访): satisfied or not."""
        return self._change(
            "callBack", Complaint, complaint_id, ctx, lambda c, m: c.call_back(satisfied, note, m)
        )

    def reopen_complaint(self, ctx: CommandContext, complaint_id: UUID, *, reason: str) -> Written:
        """Reopen a case after an unsatisfied call-back."""
        return self._change(
            "reopenComplaint", Complaint, complaint_id, ctx, lambda c, m: c.reopen(reason, m)
        )

    def extend_complaint_deadline(
        self, ctx: CommandContext, complaint_id: UUID, *, working_days: int, reason: str
    ) -> Written:
        """Extend the case's deadline by working days, within the channel's limit."""
        return self._change(
            "extendComplaintDeadline",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.extend_deadline(working_days, reason, self.current_rules(), m),
        )

    def hand_over_complaint(
        self, ctx: CommandContext, complaint_id: UUID, *, to_unit: UUID, note: str = ""
    ) -> Written:
        """Hand the case over to another unit."""
        self.check_units("to_unit", [to_unit])
        return self._change(
            "handOverComplaint",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.hand_over(to_unit, note, m),
        )

    def close_complaint(
        self, ctx: CommandContext, complaint_id: UUID, *, note: str = ""
    ) -> Written:
        """Close the case."""
        return self._change(
            "closeComplaint", Complaint, complaint_id, ctx, lambda c, m: c.close(note, m)
        )

    def grant_reward(
        self, ctx: CommandContext, complaint_id: UUID, *, amount_yuan: int, note: str = ""
    ) -> Written:
        """Grant the 找茬儿 reward for a founded report."""
        return self._change(
            "grantReward",
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.grant_reward(amount_yuan, note, m),
        )
