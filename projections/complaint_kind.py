"""How a complaint appears in the read models: its row, its totals and its activity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.calendar import calendar_of_early_deadlines
from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from projections import tables as t
from projections.item_kind import Contributions, Key, Kind, Rows, optional_id, unit_count
from projections.item_state import id_text
from projections.projection import Change

UNFOUNDED_FINAL = (ComplaintState.APPEAL_UPHELD, ComplaintState.CLOSED)
LATE_SIGN_FORS, LATE_RETURNS = "late_sign_fors", "late_returns"
"""The metrics of sign-fors and returns (退单) recorded after their deadlines."""
MATERIAL_REQUESTS, ONCE_NOTICE_BREACHES = "material_requests", "once_notice_breaches"
"""The metrics of a unit's requests for materials, and of those breaching 一次告知."""
EXPOSURES = {Channel.GOOD_BAD_REVIEW: "bad_reviews", Channel.MEDIA: "media_exposures"}


DEADLINE_EVENTS = (
    Complaint.Received,
    Complaint.DeadlineExtended,
    Complaint.DeadlinesRecomputed,
)
"""The events that set when a complaint must be closed by."""

SIGN_FOR_EVENTS = (
    Complaint.Dispatched,
    Complaint.Redispatched,
    Complaint.SignedFor,
    Complaint.Returned,
    Complaint.DeadlinesRecomputed,
)
"""The events that start or end the wait for a unit's sign-for, or move its deadline."""


class ComplaintKind(Kind[Complaint]):
    item_class, table = Complaint, t.complaints

    def columns(self, complaint: Complaint) -> dict[str, Any]:
        return {
            "channel": complaint.channel.value,
            "team": complaint.team,
            "received_on": complaint.received_on,
            "close_by": complaint.close_by,
            "deadline_provisional": complaint.deadline_provisional,
            "closed_on": complaint.closed_on,
            "rectified_on": complaint.rectified_on,
            "first_replied_on": complaint.first_replied_on,
            "returns": complaint.return_count,
            "reopenings": complaint.reopen_count,
            "founded": complaint.founded,
            "satisfied": complaint.satisfied,
            "reward_yuan": complaint.reward,
            "first_responder": id_text(complaint.first_responder),
            "accountable_unit": id_text(complaint.accountable_unit),
            "overdue_urged_for": complaint.overdue_urged_for,
            "enterprise": optional_id(complaint.enterprise),
            "intake": complaint.intake,
            "receipt_by": complaint.receipt_by,
            "receipted_at": complaint.receipted_at,
            "handling_unit": optional_id(complaint.handling_unit),
            "subject_unit": optional_id(complaint.subject_unit),
            "material_requests": [
                {
                    "unit": id_text(r.unit),
                    "items": list(r.items),
                    "requested_on": r.requested_on.isoformat(),
                    "breach": r.breach,
                    "note": r.note,
                }
                for r in complaint.material_requests
            ],
        }

    def contributions(self, complaint: Complaint) -> Contributions:
        """The case's facts for its channel and, for a 三支队伍监督 case, for its team."""
        channel, team = complaint.channel.value, complaint.team
        found: Contributions = {}
        for metric, value in self._facts(complaint):
            found[(t.complaint_deltas, (channel, metric))] = value
            if team is not None:
                found[(t.team_deltas, (team, metric))] = value
        return found

    def _facts(self, complaint: Complaint) -> Iterable[tuple[str, int]]:
        """The complaint's countable facts, as it stands, that are not zero."""
        yield "received", 1
        if complaint.return_count:
            yield "returned", complaint.return_count
        if complaint.reopen_count:
            yield "reopened", complaint.reopen_count
        if complaint.founded is True:
            yield "to_rectify", 1
        elif complaint.founded is False and complaint.state in UNFOUNDED_FINAL:
            yield "unfounded", 1
        if complaint.rectified_on is not None:
            yield "rectified", 1
            if complaint.rectified_on <= complaint.close_by:
                yield "rectified_on_time", 1
        if complaint.state is ComplaintState.CLOSED:
            yield "closed", 1
            if complaint.closed_on is not None and complaint.closed_on <= complaint.close_by:
                yield "closed_on_time", 1
        if complaint.satisfied is not None:
            yield "called_back", 1
            if complaint.satisfied:
                yield "satisfied", 1
        if complaint.reward is not None:
            yield "rewarded", 1
            yield "reward_yuan", complaint.reward
        if complaint.first_replied_on is not None:
            yield "replied", 1
            yield (
                "reply_working_days",
                self._reply_working_days(complaint, complaint.first_replied_on),
            )

    def _reply_working_days(self, complaint: Complaint, replied_on: date) -> int:
        """As the reply's event counted them; for replies recorded before it did so, on the
        calendar they were given under (the same in every process and every rebuild)."""
        if complaint.reply_working_days is not None:
            return int(complaint.reply_working_days)
        early = calendar_of_early_deadlines()
        return early.working_days_between(complaint.received_on, replied_on)

    def activity(self, change: Change, complaint: Complaint) -> Iterable[Key]:
        """What the event counts for the units: receipts and closures for the accountable
        unit, a 退单 for the unit that returned it, a founded exposure for the unit exposed,
        a request for materials (and a breach of 一次告知) for the unit that asked."""
        event = change.event
        if isinstance(event, Complaint.Received):
            yield unit_count(complaint.accountable_unit, "received")
        elif isinstance(event, Complaint.Returned):
            yield unit_count(event.unit, "returned")
        elif isinstance(event, Complaint.Closed):
            yield unit_count(complaint.accountable_unit, "closed")
            if complaint.closed_on is not None and complaint.closed_on <= complaint.close_by:
                yield unit_count(complaint.accountable_unit, "closed_on_time")
        elif isinstance(event, Complaint.CalledBack):
            yield unit_count(complaint.accountable_unit, "called_back")
            if complaint.satisfied:
                yield unit_count(complaint.accountable_unit, "satisfied")
        yield from _late_answers(change, complaint)
        if isinstance(event, Complaint.MaterialsRequested):
            yield unit_count(event.unit, MATERIAL_REQUESTS)
            if event.breach:
                yield unit_count(event.unit, ONCE_NOTICE_BREACHES)
        judged = (Complaint.Verified, Complaint.AppealReviewed)
        if isinstance(event, judged) and complaint.founded and complaint.subject_unit is not None:
            exposure = EXPOSURES.get(complaint.channel)
            if exposure:
                yield unit_count(complaint.subject_unit, exposure)

    def side_rows(self, change: Change, complaint: Complaint) -> Rows:
        event, complaint_id = change.event, id_text(complaint.id)
        if isinstance(event, SIGN_FOR_EVENTS):
            yield (
                t.sign_for_timeline,
                {
                    "complaint_id": complaint_id,
                    "day": change.day,
                    "channel": complaint.channel.value,
                    "team": complaint.team,
                    "unit": optional_id(complaint.handling_unit),
                    "awaiting": complaint.state is ComplaintState.DISPATCHED,
                    "sign_by": complaint.sign_by,
                },
            )
        if isinstance(event, DEADLINE_EVENTS):
            yield (
                t.complaint_deadlines,
                {
                    "complaint_id": complaint_id,
                    "effective_on": change.day,
                    "close_by": complaint.close_by,
                },
            )


def _late_answers(change: Change, complaint: Complaint) -> Iterable[Key]:
    """跟踪问效: a sign-for recorded on a business day after its sign-for deadline, or a
    退单 after its return deadline, each judged against the deadline in force when it was
    recorded; counted for the channel (and a 三支队伍监督 case's team) and for the unit that
    signed or returned late."""
    event, day = change.event, change.day
    if isinstance(event, Complaint.SignedFor) and _past(day, complaint.sign_by):
        yield from _late(complaint, LATE_SIGN_FORS)
        yield unit_count(event.unit, LATE_SIGN_FORS)
    elif isinstance(event, Complaint.Returned) and _past(day, complaint.return_by):
        yield from _late(complaint, LATE_RETURNS)
        yield unit_count(event.unit, LATE_RETURNS)


def _late(complaint: Complaint, metric: str) -> Iterable[Key]:
    yield t.complaint_deltas, (complaint.channel.value, metric)
    if complaint.team is not None:
        yield t.team_deltas, (complaint.team, metric)


def _past(day: date | None, deadline: date | None) -> bool:
    return day is not None and deadline is not None and day > deadline
