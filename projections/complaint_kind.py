"""How a complaint appears in the read models: its row, its totals and its activity."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.calendar import calendar_of_early_deadlines
from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from projections import tables as t
from projections.bags import Bag, id_text
from projections.engine import Change
from projections.items import Contributions, Key
from projections.kinds import Kind, Rows, optional_id, unit_count

UNFOUNDED_FINAL = (ComplaintState.APPEAL_UPHELD, ComplaintState.CLOSED)
EXPOSURES = {Channel.GOOD_BAD_REVIEW: "bad_reviews", Channel.MEDIA: "media_exposures"}


DEADLINE_EVENTS = (
    Complaint.Received,
    Complaint.DeadlineExtended,
    Complaint.DeadlinesRecomputed,
)
"""The events that set when a complaint must be closed by."""


class ComplaintKind(Kind):
    item_type, table = "Complaint", t.complaints

    def columns(self, b: Bag) -> dict[str, Any]:
        return {
            "channel": b.channel.value,
            "received_on": b.received_on,
            "close_by": b.close_by,
            "deadline_provisional": b.deadline_provisional,
            "closed_on": b.closed_on,
            "rectified_on": b.rectified_on,
            "first_replied_on": b.first_replied_on,
            "returns": b.return_count,
            "reopenings": b.reopen_count,
            "founded": b.founded,
            "satisfied": b.satisfied,
            "reward_yuan": b.reward,
            "first_responder": id_text(b.first_responder),
            "accountable_unit": id_text(b.accountable_unit),
            "handling_unit": optional_id(b.handling_unit),
            "subject_unit": optional_id(b.subject_unit),
        }

    def contributions(self, b: Bag) -> Contributions:
        channel = b.channel.value
        return {(t.complaint_deltas, (channel, metric)): value for metric, value in self._facts(b)}

    def _facts(self, b: Bag) -> Iterable[tuple[str, int]]:
        """The complaint's countable facts, as it stands, that are not zero."""
        yield "received", 1
        if b.return_count:
            yield "returned", b.return_count
        if b.reopen_count:
            yield "reopened", b.reopen_count
        if b.founded is True:
            yield "to_rectify", 1
        elif b.founded is False and b.state in UNFOUNDED_FINAL:
            yield "unfounded", 1
        if b.rectified_on is not None:
            yield "rectified", 1
            if b.rectified_on <= b.close_by:
                yield "rectified_on_time", 1
        if b.state is ComplaintState.CLOSED:
            yield "closed", 1
            if b.closed_on <= b.close_by:
                yield "closed_on_time", 1
        if b.satisfied is not None:
            yield "called_back", 1
            if b.satisfied:
                yield "satisfied", 1
        if b.reward is not None:
            yield "rewarded", 1
            yield "reward_yuan", b.reward
        if b.first_replied_on is not None:
            yield "replied", 1
            yield "reply_working_days", self._reply_working_days(b)

    def _reply_working_days(self, b: Bag) -> int:
        """As the reply's event counted them; for replies recorded before it did so, on the
        calendar they were given under (the same in every process and every rebuild)."""
        if b.reply_working_days is not None:
            return int(b.reply_working_days)
        early = calendar_of_early_deadlines()
        return early.working_days_between(b.received_on, b.first_replied_on)

    def activity(self, change: Change, b: Bag) -> Iterable[Key]:
        """What the event counts for the units: receipts and closures for the accountable
        unit, a 退单 for the unit that returned it, a founded exposure for the unit exposed."""
        event = change.event
        if isinstance(event, Complaint.Received):
            yield unit_count(b.accountable_unit, "received")
        elif isinstance(event, Complaint.Returned):
            yield unit_count(event.unit, "returned")
        elif isinstance(event, Complaint.Closed):
            yield unit_count(b.accountable_unit, "closed")
            if b.closed_on <= b.close_by:
                yield unit_count(b.accountable_unit, "closed_on_time")
        elif isinstance(event, Complaint.CalledBack):
            yield unit_count(b.accountable_unit, "called_back")
            if b.satisfied:
                yield unit_count(b.accountable_unit, "satisfied")
        judged = (Complaint.Verified, Complaint.AppealReviewed)
        if isinstance(event, judged) and b.founded and b.subject_unit is not None:
            exposure = EXPOSURES.get(b.channel)
            if exposure:
                yield unit_count(b.subject_unit, exposure)

    def side_rows(self, change: Change, b: Bag) -> Rows:
        if not isinstance(change.event, DEADLINE_EVENTS):
            return ()
        return [
            (
                t.complaint_deadlines,
                {
                    "complaint_id": id_text(b.id),
                    "effective_on": change.day,
                    "close_by": b.close_by,
                },
            )
        ]
