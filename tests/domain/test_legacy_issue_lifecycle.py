"""LegacyIssue: registered, planned, milestones, escalation, suspension, 销号 and reopening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from domain.errors import InvalidTransition, ValidationError
from domain.escalation import Milestone, Tier
from domain.legacy_issue import LegacyCategory, LegacyIssue, LegacyState
from domain.meta import EventMeta
from tests.domain.builders import (
    ITEM_ID,
    LEAD,
    Clock,
    assert_refused,
    at,
    event_names,
    meta,
)
from tests.domain.builders_oversight import (
    LEGACY_MILESTONES,
    legacy_issue_in,
    planned_legacy_issue,
    registered_legacy_issue,
)

S = LegacyState


def register(
    target_year: int,
    when: EventMeta,
    title: str = "办证难",
    cause: str = "历史原因",
    parties: tuple[str, ...] = (),
) -> LegacyIssue:
    return LegacyIssue.register(
        ITEM_ID,
        title=title,
        category=LegacyCategory.LAND,
        cause=cause,
        parties=parties,
        responsible_unit=LEAD,
        tier=Tier.OFFICE,
        target_year=target_year,
        baseline=False,
        meta=when,
    )


def test_a_legacy_issue_is_planned_its_milestones_reached_and_struck_off(clock: Clock) -> None:
    issue = registered_legacy_issue(clock)
    assert issue.state is S.REGISTERED
    assert issue.parties == ("业主", "开发商")
    assert (issue.target_year, issue.baseline, issue.tier) == (2022, True, Tier.TASK_FORCE)
    issue.adopt_plan("先测绘后办证", LEGACY_MILESTONES, clock.next())
    assert (issue.state, issue.milestones) == (S.PLANNED, LEGACY_MILESTONES)
    issue.reach_milestone("survey", clock.next())
    issue.reach_milestone("title", clock.next())
    assert issue.milestones_reached == frozenset({"survey", "title"})
    issue.verify_resolution("已全部办证", clock.next())
    assert issue.state is S.RESOLVED
    assert event_names(issue) == [
        "Registered",
        "PlanAdopted",
        "MilestoneReached",
        "MilestoneReached",
        "ResolutionVerified",
    ]


def test_a_struck_off_issue_can_be_reopened_into_its_plan(clock: Clock) -> None:
    issue = legacy_issue_in("resolved", clock)
    issue.reopen("问题反弹", clock.next())
    assert issue.state is S.PLANNED
    assert issue.milestones == LEGACY_MILESTONES
    issue.verify_resolution("再次销号", clock.next())
    assert issue.state is S.RESOLVED


@pytest.mark.parametrize("start", [Tier.TASK_FORCE, Tier.OFFICE])
def test_a_legacy_issue_is_escalated_one_tier_at_a_time_up_to_the_leading_group(
    clock: Clock, start: Tier
) -> None:
    issue = registered_legacy_issue(clock, tier=start)
    while issue.tier is not Tier.LEADING_GROUP:
        before = issue.tier
        issue.escalate("协调不下", clock.next())
        assert issue.tier is before.above()
    error = assert_refused(issue, InvalidTransition, lambda: issue.escalate("再升", clock.next()))
    assert "leading group" in str(error)


@pytest.mark.parametrize("state", ["registered", "planned"])
def test_a_suspended_issue_resumes_to_the_state_it_was_suspended_from(
    clock: Clock, state: str
) -> None:
    issue = legacy_issue_in(state, clock)
    issue.suspend("涉诉", clock.next())
    assert (issue.state, issue.resumes_to) == (S.SUSPENDED, S(state))
    issue.resume("判决生效", clock.next())
    assert (issue.state, issue.resumes_to) == (S(state), None)
    assert event_names(issue)[-2:] == ["Suspended", "Resumed"]


@pytest.mark.parametrize("year", [2021, 2022, 2025])
def test_a_legacy_issue_may_target_2021_2022_or_2025(year: int) -> None:
    assert register(year, meta(at(2021, 3, 1))).target_year == year


@pytest.mark.parametrize(
    ("year", "registered_on"),
    [
        (2023, at(2021, 3, 1)),
        (2024, at(2021, 3, 1)),
        (2021, at(2022, 3, 1)),
        (2030, at(2021, 3, 1)),
    ],
    ids=["2023-not-a-target", "2024-not-a-target", "2021-already-past", "2030-not-a-target"],
)
def test_a_legacy_issue_with_a_target_year_outside_the_rules_is_refused(
    year: int, registered_on: datetime
) -> None:
    with pytest.raises(ValidationError) as caught:
        register(year, meta(registered_on))
    assert caught.value.field == "target_year"


@pytest.mark.parametrize(("title", "cause", "field"), [(" ", "c", "title"), ("t", "", "cause")])
def test_a_legacy_issue_needs_a_title_and_a_cause(title: str, cause: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        register(2022, meta(at(2021, 3, 1)), title=title, cause=cause)
    assert caught.value.field == field


def test_a_party_holding_the_separator_the_ledgers_sheets_join_parties_with_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        register(2022, meta(at(2021, 3, 1)), parties=("业主", "甲公司、乙公司"))
    assert caught.value.field == "parties"
    assert register(2022, meta(at(2021, 3, 1)), parties=("甲公司", "乙公司")).parties == (
        "甲公司",
        "乙公司",
    )


def test_a_plan_with_duplicate_milestone_keys_is_refused(clock: Clock) -> None:
    issue = registered_legacy_issue(clock)
    twice = [LEGACY_MILESTONES[0], Milestone("survey", "again", LEGACY_MILESTONES[0].due)]
    assert_refused(
        issue, ValidationError, lambda: issue.adopt_plan("p", twice, clock.next()), "milestones"
    )


def test_a_plan_needs_text(clock: Clock) -> None:
    issue = registered_legacy_issue(clock)
    assert_refused(issue, ValidationError, lambda: issue.adopt_plan(" ", [], clock.next()), "plan")


@pytest.mark.parametrize("key", ["unknown", "survey"])
def test_an_unknown_or_already_reached_milestone_is_refused(clock: Clock, key: str) -> None:
    issue = planned_legacy_issue(clock)
    issue.reach_milestone("survey", clock.next())
    assert_refused(issue, ValidationError, lambda: issue.reach_milestone(key, clock.next()), "key")


def test_struck_off_needs_a_note(clock: Clock) -> None:
    issue = planned_legacy_issue(clock)
    assert_refused(
        issue, ValidationError, lambda: issue.verify_resolution("", clock.next()), "note"
    )


Act = Callable[[LegacyIssue, EventMeta], None]
COMMANDS: dict[str, tuple[set[LegacyState], Act]] = {
    "adopt_plan": ({S.REGISTERED}, lambda i, m: i.adopt_plan("计划", [], m)),
    "reach_milestone": ({S.PLANNED}, lambda i, m: i.reach_milestone("survey", m)),
    "escalate": ({S.REGISTERED, S.PLANNED}, lambda i, m: i.escalate("升级", m)),
    "suspend": ({S.REGISTERED, S.PLANNED}, lambda i, m: i.suspend("暂停", m)),
    "resume": ({S.SUSPENDED}, lambda i, m: i.resume("", m)),
    "verify_resolution": ({S.PLANNED}, lambda i, m: i.verify_resolution("销号", m)),
    "reopen": ({S.RESOLVED}, lambda i, m: i.reopen("反弹", m)),
}


@pytest.mark.parametrize(
    ("command", "state"),
    [
        pytest.param(name, state, id=f"{name}-when-{state.value}")
        for name, (allowed, _) in COMMANDS.items()
        for state in S
        if state not in allowed
    ],
)
def test_a_legacy_issue_refuses_a_step_its_state_does_not_allow(
    clock: Clock, command: str, state: LegacyState
) -> None:
    issue = legacy_issue_in(state.value, clock)
    act = COMMANDS[command][1]
    error = assert_refused(issue, InvalidTransition, lambda: act(issue, clock.next()))
    assert (error.item_type, error.state) == ("LegacyIssue", state.value)


@pytest.mark.parametrize("year", [2026, 2027, 2030])
def test_after_the_plans_last_target_a_problem_may_target_this_year_or_later(year: int) -> None:
    assert register(year, meta(at(2026, 3, 1))).target_year == year


def test_after_the_plans_last_target_a_past_year_is_still_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        register(2025, meta(at(2026, 3, 1)))
    assert caught.value.field == "target_year"
