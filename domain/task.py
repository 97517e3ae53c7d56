"""Task (督办事项): a supervised work item, e.g. one of the 26 items of the 2021 plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ValidationError, require_text
from domain.escalation import Milestone, Tier, check_milestones
from domain.meta import EventMeta, LedgerItem
from domain.task_events import TaskEvents, TaskState
from domain.timed_acts import TimedActNotDue, end_of_day, has_passed
from domain.unit import UnitKind

OPEN_WORK = (TaskState.ASSIGNED, TaskState.IN_PROGRESS)


HORIZON_YEARS = 10
"""How far ahead a deadline may lie: a plan's work is due within years, not centuries
(and every light counts the working days to it)."""


def check_horizon(field: str, deadline: date, meta: EventMeta) -> None:
    if deadline.year > meta.business_date.year + HORIZON_YEARS:
        raise ValidationError(field, f"must be within {HORIZON_YEARS} years")


class Task(TaskEvents, LedgerItem):
    """A work item assigned to lead and cooperating units and followed to 销号."""

    item_type = "Task"

    if TYPE_CHECKING:
        plan_year: int
        number: int | None
        section: str
        title: str
        description: str
        lead_units: tuple[UUID, ...]
        cooperating_units: tuple[UUID, ...]
        cooperating_groups: tuple[UnitKind, ...]  # every unit of these kinds cooperates
        cooperation_note: str
        assigned_on: date | None
        closed_on: date | None
        deadline: date | None
        milestones: tuple[Milestone, ...]
        milestones_reached: frozenset[str]
        accepted_by: UUID | None
        progress: int
        tier: Tier
        urge_count: int
        pending_extension: date | None
        extension_decide_by: date | None
        overdue_urged_for: date | None
        state: TaskState

    @classmethod
    def register(
        cls,
        item_id: UUID,
        *,
        plan_year: int,
        number: int | None,
        section: str,
        title: str,
        description: str,
        meta: EventMeta,
    ) -> Task:
        if not title.strip():
            raise ValidationError("title", "must not be empty")
        if number is not None and number < 1:
            raise ValidationError("number", "must be 1 or more")
        return cls._start(
            cls.Registered,
            meta,
            item_id,
            plan_year=plan_year,
            number=number,
            section=section.strip(),
            title=title.strip(),
            description=description.strip(),
        )

    def assign(
        self,
        *,
        lead_units: Sequence[UUID],
        cooperating_units: Sequence[UUID],
        cooperation_note: str,
        deadline: date,
        milestones: Sequence[Milestone],
        meta: EventMeta,
        cooperating_groups: Sequence[UnitKind] = (),
    ) -> None:
        """Assign the task to its lead units and its cooperating units: those named, and
        every unit of the kinds ``cooperating_groups`` names (各街道: all SUBDISTRICT)."""
        self._require("assign", TaskState.REGISTERED)
        if not lead_units:
            raise ValidationError("lead_units", "at least one lead unit is needed")
        if set(lead_units) & set(cooperating_units):
            raise ValidationError("cooperating_units", "a lead unit cannot also cooperate")
        if len(set(cooperating_groups)) != len(cooperating_groups):
            raise ValidationError("cooperating_groups", "names a kind of unit twice")
        if deadline <= meta.business_date:
            raise ValidationError("deadline", f"{deadline} is not after the assignment")
        check_horizon("deadline", deadline, meta)
        check_milestones(milestones, deadline)
        self._emit(
            self.Assigned,
            meta,
            lead_units=list(lead_units),
            cooperating_units=list(cooperating_units),
            cooperating_groups=list(cooperating_groups),
            cooperation_note=cooperation_note.strip(),
            deadline=deadline,
            milestones=list(milestones),
        )

    def accept(self, unit: UUID, meta: EventMeta) -> None:
        self._require("accept", TaskState.ASSIGNED)
        if unit not in self.lead_units:
            raise ValidationError("unit", "only a lead unit accepts a task")
        self._emit(self.Accepted, meta, unit=unit)

    def report_progress(
        self,
        *,
        percent: int,
        narrative: str,
        evidence: Sequence[str],
        milestones_reached: Sequence[str],
        meta: EventMeta,
    ) -> None:
        self._require("report progress", TaskState.IN_PROGRESS)
        if not 0 <= percent <= 100:
            raise ValidationError("percent", "must be between 0 and 100")
        if not narrative.strip():
            raise ValidationError("narrative", "must not be empty")
        known = {m.key for m in self.milestones}
        for key in milestones_reached:
            if key not in known or key in self.milestones_reached:
                raise ValidationError("milestones_reached", f"{key!r} is not an open milestone")
        self._emit(
            self.ProgressReported,
            meta,
            percent=percent,
            narrative=narrative.strip(),
            evidence=list(evidence),
            milestones_reached=list(milestones_reached),
        )

    def urge(self, reason: str, meta: EventMeta) -> None:
        self._require("be urged", *OPEN_WORK)
        self._emit(self.Urged, meta, reason=require_text("reason", reason))

    def escalate(self, reason: str, meta: EventMeta) -> None:
        self._require("be escalated", *OPEN_WORK)
        above = self.tier.above()
        if above is None:
            raise self._refuse("be escalated", "already at the leading group")
        self._emit(self.Escalated, meta, tier=above, reason=require_text("reason", reason))

    def urge_overdue(self, deadline: date, meta: EventMeta) -> None:
        """限时办结: urge the task once ``deadline``, its deadline, has passed; nothing is
        recorded when the deadline has moved, the work is not open or was urged for it."""
        if not has_passed(deadline, meta.recorded_at):
            raise TimedActNotDue(self.item_type, self.state.value, "be urged as overdue", deadline)
        if self.state not in OPEN_WORK or self.deadline != deadline:
            return
        if self.overdue_urged_for == deadline:
            return
        reason = f"逾期未办结：办理期限 {deadline} 已过（限时办结，系统催办）"
        self._emit(self.OverdueUrged, meta, reason=reason, deadline=deadline)

    def deem_extension_approved(self, decide_by: date, meta: EventMeta) -> None:
        """超时默许: approve the pending extension request not decided by the end of
        ``decide_by``; nothing is recorded when none is pending with that day."""
        step = "have its extension deemed approved"
        if not has_passed(decide_by, meta.recorded_at):
            raise TimedActNotDue(self.item_type, self.state.value, step, decide_by)
        if self.state not in OPEN_WORK or self.pending_extension is None:
            return
        if self.extension_decide_by != decide_by:
            return
        note = f"超时默许：延期申请未在 {decide_by} 前作出决定，视为同意"
        self._emit(self.ExtensionDeemedApproved, meta, note=note, decide_by=decide_by)

    def request_extension(
        self, new_deadline: date, reason: str, meta: EventMeta, decide_by: date | None = None
    ) -> None:
        """Ask for ``new_deadline``; ``decide_by``: the last day to decide it before it is
        deemed approved (超时默许; None: never deemed approved)."""
        self._require("request an extension", *OPEN_WORK)
        if self.pending_extension is not None:
            raise self._refuse("request an extension", "one is already pending")
        if self.deadline is None or new_deadline <= self.deadline:
            raise ValidationError("new_deadline", "must be after the current deadline")
        check_horizon("new_deadline", new_deadline, meta)
        self._emit(
            self.ExtensionRequested,
            meta,
            new_deadline=new_deadline,
            reason=require_text("reason", reason),
            decide_by=decide_by,
        )

    def decide_extension(self, approved: bool, note: str, meta: EventMeta) -> None:
        self._require("decide an extension", *OPEN_WORK)
        if self.pending_extension is None:
            raise self._refuse("decide an extension", "none is pending")
        decide_by = self.extension_decide_by
        if decide_by is not None and meta.occurred_at > end_of_day(decide_by):
            raise self._refuse(
                "decide an extension", f"not decided by the end of {decide_by}: deemed approved"
            )
        event = self.ExtensionApproved if approved else self.ExtensionRejected
        self._emit(event, meta, note=note.strip())

    def request_completion(self, summary: str, meta: EventMeta) -> None:
        self._require("request completion", TaskState.IN_PROGRESS)
        self._emit(self.CompletionRequested, meta, summary=require_text("summary", summary))

    def verify_completion(self, note: str, meta: EventMeta) -> None:
        self._require("be verified and closed", TaskState.COMPLETION_REQUESTED)
        self._emit(self.Verified, meta, note=note.strip())

    def reject_completion(self, reason: str, meta: EventMeta) -> None:
        self._require("have completion rejected", TaskState.COMPLETION_REQUESTED)
        self._emit(self.CompletionRejected, meta, reason=require_text("reason", reason))

    def reopen(self, reason: str, meta: EventMeta) -> None:
        self._require("reopen", TaskState.CLOSED)
        self._emit(self.Reopened, meta, reason=require_text("reason", reason))
