"""Property: whatever the day of the dispatch and the delay, a sign-for (签收) or a return
(退单) counts as late exactly when the channel's whole limit of working days had passed
before the day it was recorded: on the official calendar, across holidays, make-up working
days and into 2027, whose schedule the calendar does not have (weekends only)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.channels import Channel
from domain.complaint import Complaint
from projections import tables as t
from projections.complaint_kind import ComplaintKind
from projections.projection import Change
from tests.domain.builders import at, meta, rules, team_for

RESPONDER, HANDLER = UUID(int=10), UUID(int=11)
LATE = {"late_sign_fors", "late_returns"}


def case_dispatched(channel: Channel, day: date) -> Complaint:
    time_rules, on = rules(), meta(at(day.year, day.month, day.day))
    case = Complaint.receive(
        UUID(int=100),
        channel=channel,
        summary="企业反映办事难",
        complainant_name="",
        complainant_phone="",
        subject_unit=None,
        first_responder=RESPONDER,
        rules=time_rules,
        meta=on,
        team=team_for(channel),
    )
    case.dispatch(HANDLER, time_rules, on)
    return case


def counted(case: Complaint, day: date) -> set[str]:
    """The late metrics the case's last event counts, for its channel and for the unit."""
    change = Change(1, case.pending_events[-1], "Complaint", day)
    keys = list(ComplaintKind().activity(change, case))
    channel = {dims[1] for table, dims in keys if table is t.complaint_deltas}
    unit = {dims[1] for table, dims in keys if table is t.unit_deltas and dims[0] == str(HANDLER)}
    assert channel == unit & LATE
    return channel


def limit_passed_before(start: date, day: date, working_days: int) -> bool:
    """Whether ``working_days`` whole working days after ``start`` ended before ``day``."""
    return rules().calendar.working_days_between(start, day - timedelta(days=1)) >= working_days


DISPATCH_DAYS = st.dates(date(2020, 1, 1), date(2027, 12, 20))
DELAYS = st.integers(0, 12)


@given(channel=st.sampled_from(Channel), dispatched=DISPATCH_DAYS, delay=DELAYS)
def test_a_sign_for_is_late_exactly_when_its_limit_of_working_days_passed_before_it(
    channel: Channel, dispatched: date, delay: int
) -> None:
    case = case_dispatched(channel, dispatched)
    day = dispatched + timedelta(days=delay)
    case.sign_for(HANDLER, meta(at(day.year, day.month, day.day, hour=3)))
    limit = rules().limits(channel).sign_for
    late = limit_passed_before(dispatched, day, limit)
    assert counted(case, day) == ({"late_sign_fors"} if late else set())


@given(channel=st.sampled_from(Channel), dispatched=DISPATCH_DAYS, delay=DELAYS)
def test_a_return_is_late_exactly_when_its_limit_of_working_days_passed_before_it(
    channel: Channel, dispatched: date, delay: int
) -> None:
    case = case_dispatched(channel, dispatched)
    day = dispatched + timedelta(days=delay)
    case.return_(HANDLER, "不属本单位职责", meta(at(day.year, day.month, day.day, hour=3)))
    late = limit_passed_before(dispatched, day, rules().limits(channel).return_)
    assert counted(case, day) == ({"late_returns"} if late else set())
