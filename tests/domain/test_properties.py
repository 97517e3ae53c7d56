"""Random command sequences keep Task and Complaint inside their lifecycles and replayable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from domain.escalation import Milestone, Tier
from domain.task import Task
from domain.task_events import TaskState
from tests.conftest import examples
from tests.domain.builders import (
    FIRST_RESPONDER,
    HELPER,
    LEAD,
    OTHER,
    Clock,
    received_complaint,
    registered_task,
    rules,
)
from tests.domain.sequences import TEXT, Kwargs, Lifecycle, events_of, run

SETTINGS = settings(max_examples=examples(60))
UNITS = st.sampled_from([LEAD, HELPER, OTHER])
DATES = st.dates(date(2021, 9, 1), date(2022, 6, 30))
KEYS = st.sampled_from(["m1", "m2", "m3"])
T = TaskState

REASON = st.fixed_dictionaries({"reason": TEXT})
TASK_COMMANDS: dict[str, Kwargs] = {
    "assign": st.fixed_dictionaries(
        {
            "lead_units": st.lists(st.sampled_from([LEAD, HELPER]), max_size=2, unique=True),
            "cooperating_units": st.lists(st.sampled_from([HELPER, OTHER]), max_size=1),
            "cooperation_note": TEXT,
            "deadline": DATES,
            "milestones": st.lists(
                st.builds(Milestone, key=KEYS, title=st.sampled_from(["节点", " "]), due=DATES),
                max_size=2,
            ),
        }
    ),
    "accept": st.fixed_dictionaries({"unit": UNITS}),
    "report_progress": st.fixed_dictionaries(
        {
            "percent": st.integers(-5, 105),
            "narrative": TEXT,
            "evidence": st.just([]),
            "milestones_reached": st.lists(st.one_of(KEYS, st.just("zz")), max_size=2),
        }
    ),
    "urge": REASON,
    "escalate": REASON,
    "request_extension": st.fixed_dictionaries({"new_deadline": DATES, "reason": TEXT}),
    "decide_extension": st.fixed_dictionaries({"approved": st.booleans(), "note": TEXT}),
    "request_completion": st.fixed_dictionaries({"summary": TEXT}),
    "verify_completion": st.fixed_dictionaries({"note": TEXT}),
    "reject_completion": REASON,
    "reopen": REASON,
}
TASK_NEXT = {
    "assign": T.ASSIGNED,
    "accept": T.IN_PROGRESS,
    "request_completion": T.COMPLETION_REQUESTED,
    "verify_completion": T.CLOSED,
    "reject_completion": T.IN_PROGRESS,
    "reopen": T.IN_PROGRESS,
}
OPEN_WORK = {T.ASSIGNED, T.IN_PROGRESS}


def task_invariant(task: Task) -> None:
    assert 0 <= task.progress <= 100
    reports = events_of(task, "ProgressReported")
    assert task.progress == (reports[-1].percent if reports else 0)
    assert task.urge_count == len(events_of(task, "Urged"))
    assert task.tier is list(Tier)[len(events_of(task, "Escalated"))]
    assert task.milestones_reached <= {m.key for m in task.milestones}
    if task.state is not T.REGISTERED:
        assert task.lead_units
        assert not set(task.lead_units) & set(task.cooperating_units)
        assert task.deadline is not None and task.assigned_on is not None
        assert task.deadline > task.assigned_on
        assert all(m.due <= task.deadline for m in events_of(task, "Assigned")[0].milestones)
    if task.pending_extension is not None:
        assert task.deadline is not None and task.pending_extension > task.deadline
    if task.state in (T.IN_PROGRESS, T.COMPLETION_REQUESTED, T.CLOSED):
        assert task.accepted_by in task.lead_units


TASK = Lifecycle(
    states=set(T),
    commands=TASK_COMMANDS,
    allowed={
        "assign": {T.REGISTERED},
        "accept": {T.ASSIGNED},
        "report_progress": {T.IN_PROGRESS},
        "urge": OPEN_WORK,
        "escalate": OPEN_WORK,
        "request_extension": OPEN_WORK,
        "decide_extension": set(T),
        "request_completion": {T.IN_PROGRESS},
        "verify_completion": {T.COMPLETION_REQUESTED},
        "reject_completion": {T.COMPLETION_REQUESTED},
        "reopen": {T.CLOSED},
    },
    next_state=lambda name, kw, before: TASK_NEXT.get(name, before["state"]),
    invariant=task_invariant,
)


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_random_task_commands_keep_the_task_in_its_lifecycle_and_replayable(
    data: st.DataObject,
) -> None:
    run(registered_task(Clock()), data, TASK)


C = ComplaintState
R = rules()
COMPLAINT_COMMANDS: dict[str, Kwargs] = {
    "dispatch": st.fixed_dictionaries({"unit": st.sampled_from([LEAD, OTHER])}),
    "sign_for": st.fixed_dictionaries({"unit": UNITS}),
    "return_": st.fixed_dictionaries({"unit": UNITS, "reason": TEXT}),
    "reply": st.fixed_dictionaries({"text": TEXT}),
    "verify": st.fixed_dictionaries({"founded": st.booleans(), "finding": TEXT}),
    "review_appeal": st.fixed_dictionaries({"upheld": st.booleans(), "note": TEXT}),
    "report_rectification": st.fixed_dictionaries({"narrative": TEXT, "evidence": st.just(["p"])}),
    "call_back": st.fixed_dictionaries({"satisfied": st.booleans(), "note": TEXT}),
    "reopen": REASON,
    "extend_deadline": st.fixed_dictionaries({"working_days": st.integers(-1, 12), "reason": TEXT}),
    "hand_over": st.fixed_dictionaries(
        {"to_unit": st.sampled_from([FIRST_RESPONDER, LEAD, OTHER]), "note": TEXT}
    ),
    "close": st.fixed_dictionaries({"note": TEXT}),
    "grant_reward": st.fixed_dictionaries({"amount_yuan": st.integers(-1, 500), "note": TEXT}),
}


def complaint_next(name: str, kw: dict[str, Any], before: dict[str, Any]) -> ComplaintState:
    if name == "verify":
        return C.VERIFIED if kw["founded"] else C.UNFOUNDED
    if name == "review_appeal":
        return C.APPEAL_UPHELD if kw["upheld"] else C.VERIFIED
    simple = {
        "dispatch": C.DISPATCHED,
        "sign_for": C.SIGNED_FOR,
        "return_": C.RETURNED,
        "report_rectification": C.RECTIFIED,
        "call_back": C.CALLED_BACK,
        "reopen": C.VERIFIED,
        "close": C.CLOSED,
    }
    return simple.get(name, before["state"])


def complaint_invariant(c: Complaint) -> None:
    received = events_of(c, "Received")[0]
    assert 0 <= c.extension_days <= R.limits(c.channel).max_extension
    assert c.close_by == R.due(received.close_by, c.extension_days)
    assert c.return_count == len(events_of(c, "Returned"))
    assert c.reopen_count == len(events_of(c, "Reopened"))
    assert len(events_of(c, "Replied")) <= 1
    handovers = events_of(c, "HandedOver")
    assert c.accountable_unit == (handovers[-1].to_unit if handovers else FIRST_RESPONDER)
    assert (c.handling_unit is None) == (c.state in (C.RECEIVED, C.RETURNED))
    assert (c.founded is None) == (c.state in (C.RECEIVED, C.DISPATCHED, C.RETURNED, C.SIGNED_FOR))
    if c.state in (C.UNFOUNDED, C.APPEAL_UPHELD):
        assert c.founded is False
    if c.state in (C.VERIFIED, C.RECTIFIED, C.CALLED_BACK):
        assert c.founded is True
    assert (c.closed_on is None) == (c.state is not C.CLOSED)
    if c.reward is not None:
        assert (c.channel, c.founded, c.state) == (Channel.FAULT_FINDING, True, C.CLOSED)
        assert len(events_of(c, "RewardGranted")) == 1
    redispatches = events_of(c, "Redispatched")
    assert len(redispatches) <= c.return_count


COMPLAINT = Lifecycle(
    states=set(C),
    commands=COMPLAINT_COMMANDS,
    allowed={
        "dispatch": {C.RECEIVED, C.RETURNED},
        "sign_for": {C.DISPATCHED},
        "return_": {C.DISPATCHED, C.SIGNED_FOR},
        "reply": {C.DISPATCHED, C.SIGNED_FOR, C.VERIFIED, C.UNFOUNDED},
        "verify": {C.SIGNED_FOR},
        "review_appeal": {C.UNFOUNDED},
        "report_rectification": {C.VERIFIED},
        "call_back": {C.RECTIFIED},
        "reopen": {C.CALLED_BACK},
        "extend_deadline": set(C) - {C.CLOSED},
        "hand_over": set(C) - {C.CLOSED},
        "close": {C.CALLED_BACK, C.APPEAL_UPHELD},
        "grant_reward": {C.CLOSED},
    },
    next_state=complaint_next,
    invariant=complaint_invariant,
    call=lambda c, name, kw, m: (
        getattr(c, name)(**kw, rules=R, meta=m)
        if name in ("dispatch", "extend_deadline", "reply")
        else getattr(c, name)(**kw, meta=m)
    ),
)


@pytest.mark.slow
@SETTINGS
@given(channel=st.one_of(st.just(Channel.FAULT_FINDING), st.sampled_from(Channel)), data=st.data())
def test_random_complaint_commands_keep_the_case_in_its_lifecycle_and_replayable(
    channel: Channel, data: st.DataObject
) -> None:
    run(received_complaint(Clock(), channel, R), data, COMPLAINT)
