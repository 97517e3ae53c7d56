"""Shared builders for the pure-domain tests: times, metadata, units and items in a given state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.settings import load_policy
from domain.calendar import WorkingDayCalendar
from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import LedgerError
from domain.escalation import Milestone
from domain.meta import Actor, EventMeta, LedgerItem, Role
from domain.task import Task
from domain.timeliness import TimeRules

OFFICE = Actor("office-1", Role.OFFICE)
LEAD = UUID(int=1)
HELPER = UUID(int=2)
OTHER = UUID(int=3)
FIRST_RESPONDER = UUID(int=10)
ITEM_ID = UUID(int=100)
#: Friday 2021-09-17, the last working day before the 2021 Mid-Autumn holiday: 01:00 UTC,
#: 09:00 in Beijing, so the hour-by-hour acts that follow fall on the same date in both.
T0 = datetime(2021, 9, 17, 1, 0, tzinfo=UTC)


def rules() -> TimeRules:
    """The default policy on the official calendar."""
    return TimeRules(load_policy(), WorkingDayCalendar())


def at(year: int, month: int, day: int, hour: int = 2) -> datetime:
    """A time on that date in both UTC and Beijing (by default 10:00 in Beijing)."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def meta(occurred_at: datetime, *, imported: bool = False) -> EventMeta:
    return EventMeta(
        actor=OFFICE,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
        request_id="r",
        imported=imported,
    )


class Clock:
    """Hands out metadata one hour apart, so every act comes after the one before."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def next(self) -> EventMeta:
        self.now += timedelta(hours=1)
        return meta(self.now)

    def on(self, occurred_at: datetime) -> EventMeta:
        """Metadata at ``occurred_at``, from which later ``next()`` calls continue."""
        self.now = occurred_at
        return meta(occurred_at)


def event_names(item: LedgerItem) -> list[str]:
    return [type(e).__name__ for e in item.pending_events]


def assert_refused(
    item: LedgerItem, error: type[LedgerError], command: Callable[[], Any], field: str = ""
) -> LedgerError:
    """Run ``command``, expect ``error``, and check the item recorded and changed nothing."""
    version, pending = item.version, list(item.pending_events)
    state_before = {k: v for k, v in vars(item).items() if k != "_pending_events"}
    with pytest.raises(error) as caught:
        command()
    assert item.version == version
    assert item.pending_events == pending
    assert {k: v for k, v in vars(item).items() if k != "_pending_events"} == state_before
    if field:
        assert getattr(caught.value, "field", None) == field
    return caught.value


# Task


def registered_task(clock: Clock) -> Task:
    return Task.register(
        ITEM_ID,
        plan_year=2021,
        number=7,
        section="优化审批服务",
        title="推进“一件事”集成改革",
        description="",
        meta=clock.next(),
    )


TASK_MILESTONES = (
    Milestone("m1", "10月底前完成试点", date(2021, 10, 29)),
    Milestone("m2", "12月底前全面推开", date(2021, 12, 31)),
)


def assigned_task(clock: Clock, deadline: date = date(2021, 12, 31)) -> Task:
    task = registered_task(clock)
    task.assign(
        lead_units=[LEAD],
        cooperating_units=[HELPER],
        cooperation_note="协同提供数据",
        deadline=deadline,
        milestones=TASK_MILESTONES,
        meta=clock.next(),
    )
    return task


def task_in_progress(clock: Clock) -> Task:
    task = assigned_task(clock)
    task.accept(LEAD, clock.next())
    return task


def task_awaiting_verification(clock: Clock) -> Task:
    task = task_in_progress(clock)
    task.request_completion("全部完成", clock.next())
    return task


def closed_task(clock: Clock) -> Task:
    task = task_awaiting_verification(clock)
    task.verify_completion("核验通过", clock.next())
    return task


# Complaint


def received_complaint(
    clock: Clock, channel: Channel = Channel.FAULT_FINDING, time_rules: TimeRules | None = None
) -> Complaint:
    return Complaint.receive(
        ITEM_ID,
        channel=channel,
        summary="窗口办事拖延",
        complainant_name=" 张三 ",
        complainant_phone="13800000000",
        subject_unit=LEAD,
        first_responder=FIRST_RESPONDER,
        rules=time_rules or rules(),
        meta=clock.next(),
        team=team_for(channel),
    )


def team_for(channel: Channel) -> str | None:
    """The team a case of ``channel`` names: the policy's first for 三支队伍监督, else none."""
    return rules().policy.teams[0].key if channel is Channel.THREE_TEAMS else None


def complaint_through(
    clock: Clock, steps: str, channel: Channel = Channel.FAULT_FINDING
) -> Complaint:
    """A complaint taken through the named steps (a space-separated list)."""
    r = rules()
    c = received_complaint(clock, channel, r)
    acts: dict[str, Callable[[], None]] = {
        "dispatch": lambda: c.dispatch(LEAD, r, clock.next()),
        "return": lambda: c.return_(LEAD, "不属本单位职责", clock.next()),
        "redispatch": lambda: c.dispatch(OTHER, r, clock.next()),
        "sign": lambda: c.sign_for(LEAD, clock.next()),
        "founded": lambda: c.verify(True, "情况属实", clock.next()),
        "unfounded": lambda: c.verify(False, "经核查不属实", clock.next()),
        "uphold": lambda: c.review_appeal(True, "维持不属实结论", clock.next()),
        "overturn": lambda: c.review_appeal(False, "申诉不成立", clock.next()),
        "rectify": lambda: c.report_rectification("已整改", ["photo-1"], clock.next()),
        "satisfied": lambda: c.call_back(True, "满意", clock.next()),
        "unsatisfied": lambda: c.call_back(False, "不满意", clock.next()),
        "reopen": lambda: c.reopen("回访不满意", clock.next()),
        "close": lambda: c.close("办结", clock.next()),
    }
    for step in steps.split():
        acts[step]()
    return c


COMPLAINT_STEPS = {
    "received": "",
    "dispatched": "dispatch",
    "returned": "dispatch return",
    "signed_for": "dispatch sign",
    "verified": "dispatch sign founded",
    "unfounded": "dispatch sign unfounded",
    "appeal_upheld": "dispatch sign unfounded uphold",
    "rectified": "dispatch sign founded rectify",
    "called_back": "dispatch sign founded rectify unsatisfied",
    "closed": "dispatch sign founded rectify satisfied close",
}
