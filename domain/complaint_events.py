"""The events of a Complaint, and how each one changes it."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.calendar import calendar_of_early_deadlines
from domain.channels import Channel
from domain.materials import MaterialRequest
from domain.meta import LedgerCreated, LedgerEvent

if TYPE_CHECKING:
    from domain.complaint import Complaint


class ComplaintState(Enum):
    """Where a complaint stands in its lifecycle."""

    RECEIVED = "received"
    DISPATCHED = "dispatched"
    RETURNED = "returned"
    SIGNED_FOR = "signed_for"
    VERIFIED = "verified"
    UNFOUNDED = "unfounded"
    APPEAL_UPHELD = "appeal_upheld"
    RECTIFIED = "rectified"
    CALLED_BACK = "called_back"
    CLOSED = "closed"


class ComplaintEvents:
    """Namespace of Complaint's events (mixed into ``Complaint``)."""

    class Received(LedgerCreated):
        channel: Channel
        summary: str
        complainant_name: str
        complainant_phone: str
        subject_unit: UUID | None
        first_responder: UUID
        first_reply_by: date
        close_by: date
        first_reply_days: int | None = None
        close_days: int | None = None
        """The limits in working days the deadlines were counted with (None: recorded
        before the counts were kept; worked out from the deadlines)."""
        provisional: bool | None = None
        """The deadlines reach into a year whose holiday schedule was not known."""
        team: str | None = None
        """The key of the team (三支队伍) whose finding a 三支队伍监督 case is; None for the
        other channels, and for cases recorded before teams were kept."""
        enterprise: UUID | None = None
        """The registered enterprise (服务企业) the case concerns, if named."""
        intake: str | None = None
        """The key of the intake line (受理专线: the 24-hour line) it came in by, if any."""
        receipt_by: datetime | None = None
        """When a case of an intake must be receipted: its receipt limit in clock hours
        after the moment it was received (None: no intake)."""
        number: str | None = None
        """Its work-order number (12345 工单编号), if given (``domain.complaint_numbers``)."""

        def apply(self, c: Complaint) -> None:
            c.channel, c.summary, c.team = self.channel, self.summary, self.team
            c.enterprise, c.intake, c.number = self.enterprise, self.intake, self.number
            c.receipt_by, c.receipted_at = self.receipt_by, None
            c.complainant_name = self.complainant_name
            c.complainant_phone = self.complainant_phone
            c.subject_unit = self.subject_unit
            c.first_responder = c.accountable_unit = self.first_responder
            c.received_on = self.business_date
            c.first_reply_by, c.close_by = self.first_reply_by, self.close_by
            c.first_reply_days = _count(self.first_reply_days, c.received_on, c.first_reply_by)
            c.close_days = _count(self.close_days, c.received_on, c.close_by)
            c.handling_unit = c.sign_by = c.return_by = c.dispatched_on = None
            c.sign_days = c.return_days = None
            c.deadline_provisional = _provisional(self.provisional, c)
            c.reply_working_days = None
            c.first_replied_on = c.rectified_on = c.closed_on = None
            c.return_count = c.reopen_count = c.extension_days = 0
            c.satisfied = c.founded = c.founded_on = None
            c.reward = c.overdue_urged_for = None
            c.material_requests = ()
            c.state = ComplaintState.RECEIVED

    class Dispatched(LedgerEvent):
        unit: UUID
        sign_by: date
        return_by: date
        sign_days: int | None = None
        return_days: int | None = None
        provisional: bool | None = None

        def apply(self, c: Complaint) -> None:
            if c.receipt_by is not None and c.receipted_at is None:
                c.receipted_at = self.occurred_at  # the first handling act receipts it
            c.handling_unit = self.unit
            c.sign_by, c.return_by = self.sign_by, self.return_by
            c.dispatched_on = day = self.business_date
            c.sign_days = _count(self.sign_days, day, self.sign_by)
            c.return_days = _count(self.return_days, day, self.return_by)
            c.deadline_provisional = _provisional(self.provisional, c)
            c.state = ComplaintState.DISPATCHED

    class Redispatched(Dispatched):
        """Sent to another unit after a 退单."""

    class SignedFor(LedgerEvent):
        unit: UUID

        def apply(self, c: Complaint) -> None:
            c.state = ComplaintState.SIGNED_FOR

    class Returned(LedgerEvent):
        """退单: the unit sends the case back, saying why it is not theirs."""

        unit: UUID
        reason: str

        def apply(self, c: Complaint) -> None:
            c.return_count += 1
            c.handling_unit = None
            c.state = ComplaintState.RETURNED

    class Replied(LedgerEvent):
        text: str
        working_days: int | None = None
        """Working days from receipt to this reply, on the calendar of the day it was given
        (absent from replies recorded before it was kept)."""

        def apply(self, c: Complaint) -> None:
            c.first_replied_on = self.business_date
            c.reply_working_days = self.working_days

    class Verified(LedgerEvent):
        founded: bool
        finding: str

        def apply(self, c: Complaint) -> None:
            c.founded = self.founded
            c.founded_on = self.business_date if self.founded else None
            c.state = ComplaintState.VERIFIED if self.founded else ComplaintState.UNFOUNDED

    class AppealReviewed(LedgerEvent):
        """Review of a finding that the complaint (e.g. a bad review) was unfounded."""

        upheld: bool
        note: str

        def apply(self, c: Complaint) -> None:
            c.founded = not self.upheld
            c.founded_on = None if self.upheld else self.business_date
            c.state = ComplaintState.APPEAL_UPHELD if self.upheld else ComplaintState.VERIFIED

    class RectificationReported(LedgerEvent):
        narrative: str
        evidence: list[str]

        def apply(self, c: Complaint) -> None:
            c.rectified_on = self.business_date
            c.state = ComplaintState.RECTIFIED

    class CalledBack(LedgerEvent):
        satisfied: bool
        note: str

        def apply(self, c: Complaint) -> None:
            c.satisfied = self.satisfied
            c.state = ComplaintState.CALLED_BACK

    class Reopened(LedgerEvent):
        reason: str

        def apply(self, c: Complaint) -> None:
            c.reopen_count += 1
            c.satisfied = c.rectified_on = None
            c.state = ComplaintState.VERIFIED

    class MaterialsRequested(LedgerEvent):
        """一次告知: the handling unit asks the complainant or enterprise for materials or
        corrections, every missing item listed at once. ``breach``: the unit asked before
        on this case and this request names an item its first request did not list."""

        unit: UUID
        materials: list[str]
        note: str
        breach: bool

        def apply(self, c: Complaint) -> None:
            asked = MaterialRequest(
                self.unit, tuple(self.materials), self.business_date, self.breach, self.note
            )
            c.material_requests = (*c.material_requests, asked)

    class DeadlineExtended(LedgerEvent):
        working_days: int
        close_by: date
        reason: str
        provisional: bool | None = None

        def apply(self, c: Complaint) -> None:
            c.extension_days += self.working_days
            c.close_days += self.working_days
            c.close_by = self.close_by
            c.deadline_provisional = _provisional(self.provisional, c)

    class DeadlinesRecomputed(LedgerEvent):
        """A system act: the deadlines worked out again, the same number of working days
        from the same start, on the calendar after ``year``'s schedule was adopted."""

        year: int
        first_reply_by: date
        close_by: date
        sign_by: date | None
        return_by: date | None
        provisional: bool

        def apply(self, c: Complaint) -> None:
            c.first_reply_by, c.close_by = self.first_reply_by, self.close_by
            c.sign_by, c.return_by = self.sign_by, self.return_by
            c.deadline_provisional = self.provisional

    class OverdueUrged(LedgerEvent):
        """限时办结: the ledger's clock urges an open case once its deadline to close has
        passed (a system 催办, once per deadline), at the end of the deadline day."""

        deadline: date
        reason: str

        def apply(self, c: Complaint) -> None:
            c.overdue_urged_for = self.deadline

    class HandedOver(LedgerEvent):
        """首问负责 handover: the accountable unit changes once the handover is signed."""

        to_unit: UUID
        note: str

        def apply(self, c: Complaint) -> None:
            c.accountable_unit = self.to_unit

    class Closed(LedgerEvent):
        note: str

        def apply(self, c: Complaint) -> None:
            c.closed_on = self.business_date
            c.state = ComplaintState.CLOSED

    class RewardGranted(LedgerEvent):
        """找茬儿有奖: the reporter's reward."""

        amount_yuan: int
        note: str

        def apply(self, c: Complaint) -> None:
            c.reward = self.amount_yuan


def _count(recorded: int | None, start: date, deadline: date) -> int:
    """A deadline's limit in working days: as recorded, else as the early calendar counts."""
    if recorded is not None:
        return recorded
    return calendar_of_early_deadlines().working_days_between(start, deadline)


def _provisional(recorded: bool | None, c: Complaint) -> bool:
    """As recorded, else whether the early calendar left the deadlines' years uncovered."""
    if recorded is not None:
        return recorded
    return calendar_of_early_deadlines().is_provisional(c.received_on, last_deadline(c))


def last_deadline(c: Complaint) -> date:
    """The latest of the case's deadlines."""
    return max(d for d in (c.first_reply_by, c.close_by, c.sign_by, c.return_by) if d)
