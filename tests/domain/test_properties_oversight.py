"""Random command sequences keep LegacyIssue, Interview and Referral in their lifecycles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.escalation import Milestone, Tier
from domain.interview import Interview, InterviewState
from domain.legacy_issue import TARGET_YEARS, LegacyCategory, LegacyIssue, LegacyState
from domain.referral import Referral, ReferralState
from tests.conftest import examples
from tests.domain.builders import ITEM_ID, LEAD, T0, meta
from tests.domain.sequences import TEXT, Kwargs, Lifecycle, events_of, run

SETTINGS = settings(max_examples=examples(60))
DATES = st.dates(date(2021, 9, 1), date(2022, 6, 30))
KEYS = st.sampled_from(["a", "b", "c"])
REASON = st.fixed_dictionaries({"reason": TEXT})
L = LegacyState

LEGACY_COMMANDS: dict[str, Kwargs] = {
    "adopt_plan": st.fixed_dictionaries(
        {
            "plan": TEXT,
            "milestones": st.lists(
                st.builds(
                    Milestone, key=KEYS, title=st.sampled_from(["节点", "测绘", ""]), due=DATES
                ),
                max_size=3,
            ),
        }
    ),
    "reach_milestone": st.fixed_dictionaries({"key": st.one_of(KEYS, st.just("zz"))}),
    "escalate": REASON,
    "suspend": REASON,
    "resume": st.fixed_dictionaries({"note": TEXT}),
    "verify_resolution": st.fixed_dictionaries({"note": TEXT}),
    "reopen": REASON,
}
LEGACY_NEXT = {
    "adopt_plan": L.PLANNED,
    "suspend": L.SUSPENDED,
    "verify_resolution": L.RESOLVED,
    "reopen": L.PLANNED,
}


def legacy_next(name: str, kw: dict[str, Any], before: dict[str, Any]) -> LegacyState:
    if name == "resume":
        state: LegacyState = before["resumes_to"]
        return state
    return LEGACY_NEXT.get(name, before["state"])


def legacy_invariant(issue: LegacyIssue) -> None:
    first_tier = events_of(issue, "Registered")[0].tier
    assert (
        issue.tier is list(Tier)[list(Tier).index(first_tier) + len(events_of(issue, "Escalated"))]
    )
    assert (issue.resumes_to is not None) == (issue.state is L.SUSPENDED)
    assert issue.resumes_to in (None, L.REGISTERED, L.PLANNED)
    assert issue.milestones_reached <= {m.key for m in issue.milestones}
    assert len(issue.milestones_reached) == len(events_of(issue, "MilestoneReached"))
    assert issue.target_year in TARGET_YEARS
    if issue.state is L.REGISTERED:
        assert issue.milestones == ()


LEGACY = Lifecycle(
    states=set(L),
    commands=LEGACY_COMMANDS,
    allowed={
        "adopt_plan": {L.REGISTERED},
        "reach_milestone": {L.PLANNED},
        "escalate": {L.REGISTERED, L.PLANNED},
        "suspend": {L.REGISTERED, L.PLANNED},
        "resume": {L.SUSPENDED},
        "verify_resolution": {L.PLANNED},
        "reopen": {L.RESOLVED},
    },
    next_state=legacy_next,
    invariant=legacy_invariant,
)


@pytest.mark.slow
@SETTINGS
@given(
    tier=st.sampled_from(Tier),
    target_year=st.sampled_from(TARGET_YEARS),
    category=st.sampled_from(LegacyCategory),
    data=st.data(),
)
def test_random_legacy_issue_commands_keep_the_entry_in_its_lifecycle_and_replayable(
    tier: Tier, target_year: int, category: LegacyCategory, data: st.DataObject
) -> None:
    issue = LegacyIssue.register(
        ITEM_ID,
        title="问题",
        category=category,
        cause="原因",
        parties=["甲"],
        responsible_unit=LEAD,
        tier=tier,
        target_year=target_year,
        baseline=False,
        meta=meta(T0),
    )
    run(issue, data, LEGACY)


IV = InterviewState
INTERVIEW_COMMANDS: dict[str, Kwargs] = {
    "hold": st.fixed_dictionaries(
        {
            "facts": TEXT,
            "commitments": st.lists(st.just("整改"), max_size=2),
            "demands": st.lists(st.just("报告"), max_size=2),
            "rectify_by": DATES,
        }
    ),
    "record_follow_up": st.fixed_dictionaries({"narrative": TEXT, "rectified": st.booleans()}),
    "cancel": REASON,
}
INTERVIEW_NEXT = {"hold": IV.HELD, "record_follow_up": IV.FOLLOWED_UP, "cancel": IV.CANCELLED}


def interview_invariant(iv: Interview) -> None:
    held = events_of(iv, "Held")
    follow_ups = events_of(iv, "FollowUpRecorded")
    assert len(held) <= 1
    assert (iv.rectify_by is None) == (iv.state in (IV.SCHEDULED, IV.CANCELLED))
    if held:
        assert iv.rectify_by == held[0].rectify_by > held[0].occurred_at.date()
    assert iv.rectified == any(f.rectified for f in follow_ups)
    assert [f.rectified for f in follow_ups].count(True) <= 1
    if iv.rectified:
        assert iv.state is IV.FOLLOWED_UP


INTERVIEW = Lifecycle(
    states=set(IV),
    commands=INTERVIEW_COMMANDS,
    allowed={
        "hold": {IV.SCHEDULED},
        "record_follow_up": {IV.HELD, IV.FOLLOWED_UP},
        "cancel": {IV.SCHEDULED},
    },
    next_state=lambda name, kw, before: INTERVIEW_NEXT[name],
    invariant=interview_invariant,
)


@pytest.mark.slow
@SETTINGS
@given(days_ahead=st.integers(0, 20), data=st.data())
def test_random_interview_commands_keep_the_interview_in_its_lifecycle_and_replayable(
    days_ahead: int, data: st.DataObject
) -> None:
    iv = Interview.schedule(
        ITEM_ID,
        unit=LEAD,
        interviewee="局长",
        reason="滞后",
        cited_items=[UUID(int=7)],
        scheduled_for=T0 + timedelta(days=days_ahead),
        meta=meta(T0),
    )
    run(iv, data, INTERVIEW, max_steps=15)


F = ReferralState


def referral_invariant(r: Referral) -> None:
    assert (r.outcome is None) == (r.state is not F.CONCLUDED)
    assert (r.accountable is None) == (r.state is not F.CONCLUDED)
    assert r.evidence and all(p >= 1 for p in r.evidence)


REFERRAL = Lifecycle(
    states=set(F),
    commands={
        "acknowledge": st.fixed_dictionaries({"note": TEXT}),
        "record_outcome": st.fixed_dictionaries({"outcome": TEXT, "accountable": st.booleans()}),
    },
    allowed={"acknowledge": {F.MADE}, "record_outcome": {F.ACKNOWLEDGED}},
    next_state=lambda name, kw, before: {
        "acknowledge": F.ACKNOWLEDGED,
        "record_outcome": F.CONCLUDED,
    }[name],
    invariant=referral_invariant,
)


@SETTINGS
@given(evidence=st.lists(st.integers(1, 500), min_size=1, max_size=5), data=st.data())
def test_random_referral_commands_keep_the_referral_in_its_lifecycle_and_replayable(
    evidence: list[int], data: st.DataObject
) -> None:
    r = Referral.make(
        ITEM_ID,
        unit=LEAD,
        persons=["李四"],
        reason="未整改",
        evidence=evidence,
        cited_items=[],
        meta=meta(T0),
    )
    assert list(r.evidence) == sorted(set(evidence))
    run(r, data, REFERRAL, max_steps=10)
