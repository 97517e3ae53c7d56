"""Builders of LegacyIssue, Interview and Referral items in a given state."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.escalation import Milestone, Tier
from domain.interview import Interview
from domain.legacy_issue import LegacyCategory, LegacyIssue
from domain.referral import Referral
from tests.domain.builders import ITEM_ID, LEAD, Clock

# LegacyIssue

LEGACY_MILESTONES = (
    Milestone("survey", "完成测绘", date(2021, 12, 31)),
    Milestone("title", "办理不动产权证", date(2022, 6, 30)),
)


def registered_legacy_issue(clock: Clock, tier: Tier = Tier.TASK_FORCE) -> LegacyIssue:
    return LegacyIssue.register(
        ITEM_ID,
        title="某小区办证难",
        category=LegacyCategory.PROPERTY_TITLE,
        cause="开发商欠缴土地出让金",
        parties=[" 业主 ", "", "开发商"],
        responsible_unit=LEAD,
        tier=tier,
        target_year=2022,
        baseline=True,
        meta=clock.next(),
    )


def planned_legacy_issue(clock: Clock) -> LegacyIssue:
    issue = registered_legacy_issue(clock)
    issue.adopt_plan("先测绘后办证", LEGACY_MILESTONES, clock.next())
    return issue


def legacy_issue_in(state: str, clock: Clock) -> LegacyIssue:
    if state == "registered":
        return registered_legacy_issue(clock)
    issue = planned_legacy_issue(clock)
    if state == "suspended":
        issue.suspend("诉讼中", clock.next())
    elif state == "resolved":
        issue.verify_resolution("已办证", clock.next())
    return issue


# Interview and Referral


def scheduled_interview(clock: Clock) -> Interview:
    m = clock.next()
    return Interview.schedule(
        ITEM_ID,
        unit=LEAD,
        interviewee="局长",
        reason="督办事项连续两月红灯",
        cited_items=[UUID(int=7), UUID(int=7), UUID(int=8)],
        scheduled_for=m.occurred_at + timedelta(days=3),
        meta=m,
    )


def interview_in(state: str, clock: Clock) -> Interview:
    iv = scheduled_interview(clock)
    if state in ("held", "followed_up", "rectified"):
        m = clock.on(iv.scheduled_for)
        iv.hold(
            facts="进度滞后",
            commitments=["两周内完成"],
            demands=["提交整改报告"],
            rectify_by=m.occurred_at.date() + timedelta(days=14),
            meta=m,
        )
    if state in ("followed_up", "rectified"):
        iv.record_follow_up("已部分整改", state == "rectified", clock.next())
    if state == "cancelled":
        iv.cancel("负责人调离", clock.next())
    return iv


def referral_in(state: str, clock: Clock) -> Referral:
    r = Referral.make(
        ITEM_ID,
        unit=LEAD,
        persons=["李四"],
        reason="约谈后仍未整改",
        evidence=[12, 5],
        cited_items=[UUID(int=7)],
        meta=clock.next(),
    )
    if state in ("acknowledged", "concluded"):
        r.acknowledge("已受理", clock.next())
    if state == "concluded":
        r.record_outcome("诫勉谈话", True, clock.next())
    return r
