"""Ledger commands on complaints from the five channels."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

from domain.channels import Channel
from domain.commands import command
from domain.complaint import Complaint
from domain.complaint_numbers import check_complaint_number, complaint_id_for
from domain.ids import ComplaintId, EnterpriseId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.text import check_text


class ComplaintCommands(LedgerBase):
    """Receive a complaint and follow it through dispatch, rectification and call-back."""

    @command(creates=Complaint)
    def receive_complaint(
        self,
        ctx: CommandContext,
        *,
        channel: Channel,
        summary: str,
        first_responder: UnitId,
        complainant_name: str = "",
        complainant_phone: str = "",
        subject_unit: UnitId | None = None,
        complaint_id: ComplaintId | None = None,
        team: str | None = None,
        enterprise: EnterpriseId | None = None,
        intake: str | None = None,
        number: str | None = None,
    ) -> Written:
        """Receive a case from one of the five channels (首问负责: the first responder takes it).

        It may name the registered enterprise it concerns, and the intake line (受理专线: the
        24-hour line, one of the policy's, of the case's channel) it came in by: it is then
        to be receipted (dispatched) within the line's hours, nights and holidays counted.
        A work order of the 12345 platform gives its number (工单编号): without an id, the
        id derives from the number, so a number already held is refused (AlreadyExists)."""
        # a 三支队伍监督 case names its team, one of the policy's; no other case names one
        self.check_units("first_responder", [first_responder])
        self.check_units("subject_unit", [subject_unit] if subject_unit else [])
        if enterprise is not None:
            self.registered_enterprise("enterprise", enterprise)
        number = check_complaint_number(number)
        if complaint_id is None and number is not None:
            complaint_id = ComplaintId(complaint_id_for(number))
        return self._create(
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
                team=team,
                enterprise=enterprise,
                intake=intake,
                number=number,
            ),
        )

    def _sealed(self, field: str, personal: str) -> str:
        """Personal data, checked in the clear, then sealed."""
        return self.sealer.seal(check_text(field, personal.strip()))

    @command()
    def dispatch_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, unit: UnitId
    ) -> Written:
        """Dispatch the case to the unit that must handle it."""
        self.check_units("unit", [unit])
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.dispatch(unit, self.current_rules(), m),
        )

    @command()
    def sign_for_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, unit: UnitId
    ) -> Written:
        """The unit signs for the case dispatched to it."""
        return self._change(Complaint, complaint_id, ctx, lambda c, m: c.sign_for(unit, m))

    @command()
    def return_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, unit: UnitId, reason: str
    ) -> Written:
        """The unit returns a case that is not its own (退单), with the reason."""
        return self._change(Complaint, complaint_id, ctx, lambda c, m: c.return_(unit, reason, m))

    @command()
    def reply_to_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, text: str
    ) -> Written:
        """Give the complainant a first reply."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.reply(text, self.current_rules(), m),
        )

    @command()
    def verify_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, founded: bool, finding: str
    ) -> Written:
        """Record whether the case is founded, and the finding."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.verify(founded, finding, m),
        )

    @command()
    def request_materials(
        self,
        ctx: CommandContext,
        complaint_id: ComplaintId,
        *,
        items: Sequence[str],
        note: str = "",
    ) -> Written:
        """一次告知: the handling unit asks the complainant or enterprise for materials or
        corrections, every missing item listed at once (items: short texts); a later request
        naming an item its first did not list is recorded as a breach."""
        return self._change(
            Complaint, complaint_id, ctx, lambda c, m: c.request_materials(items, note, m)
        )

    @command()
    def review_appeal(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, upheld: bool, note: str
    ) -> Written:
        """Decide an appeal against a case found unfounded."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.review_appeal(upheld, note, m),
        )

    @command()
    def report_rectification(
        self,
        ctx: CommandContext,
        complaint_id: ComplaintId,
        *,
        narrative: str,
        evidence: Sequence[str] = (),
    ) -> Written:
        """Report the rectification done, with evidence."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.report_rectification(narrative, evidence, m),
        )

    @command()
    def call_back(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, satisfied: bool, note: str = ""
    ) -> Written:
        """Record the call-back (回访): satisfied or not."""
        return self._change(
            Complaint, complaint_id, ctx, lambda c, m: c.call_back(satisfied, note, m)
        )

    @command()
    def reopen_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, reason: str
    ) -> Written:
        """Reopen a case after an unsatisfied call-back."""
        return self._change(Complaint, complaint_id, ctx, lambda c, m: c.reopen(reason, m))

    @command()
    def extend_complaint_deadline(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, working_days: int, reason: str
    ) -> Written:
        """Extend the case's deadline by working days, within the channel's limit."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.extend_deadline(working_days, reason, self.current_rules(), m),
        )

    @command()
    def hand_over_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, to_unit: UnitId, note: str = ""
    ) -> Written:
        """Hand the case over to another unit."""
        self.check_units("to_unit", [to_unit])
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.hand_over(to_unit, note, m),
        )

    @command()
    def close_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, note: str = ""
    ) -> Written:
        """Close the case."""
        return self._change(Complaint, complaint_id, ctx, lambda c, m: c.close(note, m))

    @command()
    def grant_reward(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, amount_yuan: int, note: str = ""
    ) -> Written:
        """Grant the 找茬儿 reward for a founded report."""
        return self._change(
            Complaint,
            complaint_id,
            ctx,
            lambda c, m: c.grant_reward(amount_yuan, note, m),
        )
