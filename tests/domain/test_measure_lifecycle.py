"""Measure (成果运用转化): proposed from founded findings, implemented, evaluated."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.channels import Channel
from domain.errors import InvalidTransition, ValidationError
from domain.finding import Finding, FindingKind, finding_of
from domain.measure import Measure, MeasureKind, MeasureState
from tests.domain.builders import (
    ITEM_ID,
    LEAD,
    Clock,
    assert_refused,
    closed_task,
    complaint_through,
    event_names,
)
from tests.domain.builders_oversight import interview_in, legacy_issue_in

S = MeasureState
K = FindingKind


def propose(clock: Clock, *findings: Finding, title: str = "修订窗口服务规范") -> Measure:
    return Measure.propose(
        UUID(int=500),
        kind=MeasureKind.RULE_CHANGE,
        title=title,
        description="将一次告知写入窗口服务规范",
        responsible_unit=LEAD,
        findings=findings,
        meta=clock.next(),
    )


def founded(day: date, n: int = 1, kind: FindingKind = K.COMPLAINT) -> Finding:
    return Finding(UUID(int=n), kind, day)


def measure_in(state: str, clock: Clock) -> Measure:
    m = propose(clock, founded(clock.now.date()))
    if state in ("implemented", "evaluated"):
        m.implement(["印发通知"], clock.next())
    if state == "evaluated":
        m.evaluate(True, "同类投诉下降", clock.next())
    return m


def test_a_measure_proposed_from_findings_keeps_each_finding_once(clock: Clock) -> None:
    day = clock.now.date()
    m = propose(clock, founded(day, 1), founded(day, 2, K.INTERVIEW), founded(day, 1))
    assert m.state is S.PROPOSED
    assert [f.item for f in m.findings] == [UUID(int=1), UUID(int=2)]
    assert (m.proposed_on, m.implemented_on, m.evaluated_on, m.effective) == (day, None, None, None)


def test_a_measure_is_implemented_with_evidence_then_evaluated_effective(clock: Clock) -> None:
    m = measure_in("proposed", clock)
    m.implement([" 印发通知 ", " ", "培训签到表"], clock.next())
    assert (m.state, m.evidence) == (S.IMPLEMENTED, ("印发通知", "培训签到表"))
    m.evaluate(True, " 同类投诉下降 ", clock.next())
    assert (m.state, m.effective, m.assessment) == (S.EVALUATED, True, "同类投诉下降")
    assert m.evaluated_on == clock.now.date()
    assert event_names(m) == ["Proposed", "Implemented", "Evaluated"]


@pytest.mark.parametrize(
    ("title", "findings", "field"),
    [(" ", 1, "title"), ("规范", 0, "findings")],
)
def test_a_measure_without_a_title_or_a_finding_is_refused(
    clock: Clock, title: str, findings: int, field: str
) -> None:
    given = [founded(clock.now.date())] * findings
    with pytest.raises(ValidationError) as caught:
        propose(clock, *given, title=title)
    assert caught.value.field == field


def test_a_measure_proposed_before_its_finding_was_founded_is_refused(clock: Clock) -> None:
    later = founded(clock.now.date() + timedelta(days=2))
    with pytest.raises(ValidationError, match="after the measure's proposal"):
        propose(clock, later)


@pytest.mark.parametrize(
    ("state", "step"),
    [("proposed", "evaluate"), ("implemented", "implement"), ("evaluated", "evaluate")],
)
def test_a_measure_steps_only_forward_implemented_once_and_evaluated_once(
    clock: Clock, state: str, step: str
) -> None:
    m = measure_in(state, clock)
    act = {
        "implement": lambda: m.implement(["通知"], clock.next()),
        "evaluate": lambda: m.evaluate(False, "无效", clock.next()),
    }[step]
    assert_refused(m, InvalidTransition, act)


def test_a_measure_implemented_with_no_evidence_is_refused(clock: Clock) -> None:
    m = measure_in("proposed", clock)
    assert_refused(m, ValidationError, lambda: m.implement([" "], clock.next()), "evidence")


def test_a_complaint_verified_founded_is_a_finding_and_a_media_one_an_exposure(
    clock: Clock,
) -> None:
    fault = complaint_through(clock, "dispatch sign founded")
    media = complaint_through(clock, "dispatch sign founded rectify", Channel.MEDIA)
    assert finding_of(fault) == Finding(ITEM_ID, K.COMPLAINT, fault.founded_on or date.min)
    assert finding_of(media).kind is K.EXPOSURE


def test_an_unfounded_finding_overturned_on_appeal_is_founded_on_the_day_of_the_review(
    clock: Clock,
) -> None:
    c = complaint_through(clock, "dispatch sign unfounded overturn")
    assert finding_of(c).founded_on == clock.now.date()


@pytest.mark.parametrize("steps", ["dispatch sign", "dispatch sign unfounded uphold"])
def test_a_complaint_not_found_founded_is_no_finding(clock: Clock, steps: str) -> None:
    with pytest.raises(ValidationError, match="not founded") as caught:
        finding_of(complaint_through(clock, steps))
    assert caught.value.field == "findings"


@pytest.mark.parametrize("state", ["held", "followed_up"])
def test_an_interview_held_is_a_finding_on_the_day_it_was_held(clock: Clock, state: str) -> None:
    iv = interview_in(state, clock)
    assert finding_of(iv) == Finding(ITEM_ID, K.INTERVIEW, iv.held_on or date.min)


@pytest.mark.parametrize("state", ["scheduled", "cancelled"])
def test_an_interview_not_held_is_no_finding(clock: Clock, state: str) -> None:
    with pytest.raises(ValidationError, match="only an interview held"):
        finding_of(interview_in(state, clock))


def test_a_legacy_problem_is_a_finding_from_the_day_it_was_registered(clock: Clock) -> None:
    issue = legacy_issue_in("registered", clock)
    assert finding_of(issue) == Finding(ITEM_ID, K.LEGACY_ISSUE, issue.registered_on)


def test_a_task_is_no_finding(clock: Clock) -> None:
    with pytest.raises(ValidationError, match="no complaint, interview or legacy problem"):
        finding_of(closed_task(clock))
