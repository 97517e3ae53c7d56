"""The events of a Task, and how each one changes it."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.escalation import Milestone, Tier
from domain.meta import LedgerCreated, LedgerEvent
from domain.unit import UnitKind

if TYPE_CHECKING:
    from domain.task import Task


class TaskState(Enum):
    """Where a task stands in its lifecycle."""

    REGISTERED = "registered"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETION_REQUESTED = "completion_requested"
    CLOSED = "closed"


class TaskEvents:
    """Namespace of Task's events (mixed into ``Task``)."""

    class Registered(LedgerCreated):
        plan_year: int
        number: int | None
        section: str
        title: str
        description: str

        def apply(self, task: Task) -> None:
            task.plan_year, task.number = self.plan_year, self.number
            task.section, task.title = self.section, self.title
            task.description = self.description
            task.lead_units = task.cooperating_units = ()
            task.cooperating_groups = ()
            task.cooperation_note = ""
            task.assigned_on = task.deadline = task.accepted_by = task.closed_on = None
            task.milestones, task.milestones_reached = (), frozenset()
            task.progress, task.urge_count = 0, 0
            task.tier, task.pending_extension = Tier.TASK_FORCE, None
            task.extension_decide_by = task.overdue_urged_for = None
            task.state = TaskState.REGISTERED

    class Assigned(LedgerEvent):
        """Version 2 adds ``cooperating_groups``: the kinds of unit that cooperate as a
        whole (各街道: every 街道), a rule every unit of the kind meets, those registered
        later too. An assignment recorded before (version 1) reads with none."""

        class_version = 2
        lead_units: list[UUID]
        cooperating_units: list[UUID]
        cooperating_groups: list[UnitKind]
        cooperation_note: str
        deadline: date
        milestones: list[Milestone]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["cooperating_groups"] = []

        def apply(self, task: Task) -> None:
            task.lead_units = tuple(self.lead_units)
            task.cooperating_units = tuple(self.cooperating_units)
            task.cooperating_groups = tuple(self.cooperating_groups)
            task.cooperation_note = self.cooperation_note
            task.assigned_on = self.business_date
            task.deadline = self.deadline
            task.milestones = tuple(self.milestones)
            task.state = TaskState.ASSIGNED

    class Accepted(LedgerEvent):
        unit: UUID

        def apply(self, task: Task) -> None:
            task.accepted_by = self.unit
            task.state = TaskState.IN_PROGRESS

    class ProgressReported(LedgerEvent):
        percent: int
        narrative: str
        evidence: list[str]
        milestones_reached: list[str]

        def apply(self, task: Task) -> None:
            task.progress = self.percent
            task.milestones_reached = task.milestones_reached | set(self.milestones_reached)

    class Urged(LedgerEvent):
        reason: str

        def apply(self, task: Task) -> None:
            task.urge_count += 1

    class OverdueUrged(Urged):
        """限时办结: the ledger's clock urges an open task once its deadline has passed
        (a system 催办, once per deadline), at the end of the deadline day."""

        deadline: date

        def apply(self, task: Task) -> None:
            task.urge_count += 1
            task.overdue_urged_for = self.deadline

    class Escalated(LedgerEvent):
        tier: Tier
        reason: str

        def apply(self, task: Task) -> None:
            task.tier = self.tier

    class ExtensionRequested(LedgerEvent):
        new_deadline: date
        reason: str
        decide_by: date | None = None
        """The last day to decide it before it is deemed approved (超时默许); None when the
        policy did not deem requests approved, and for requests recorded before it did."""

        def apply(self, task: Task) -> None:
            task.pending_extension = self.new_deadline
            task.extension_decide_by = self.decide_by

    class ExtensionApproved(LedgerEvent):
        note: str

        def apply(self, task: Task) -> None:
            task.deadline, task.pending_extension = task.pending_extension, None
            task.extension_decide_by = None

    class ExtensionDeemedApproved(ExtensionApproved):
        """超时默许: the ledger's clock approves an extension request not decided by the
        end of its ``decide_by`` day, at that moment."""

        decide_by: date

    class ExtensionRejected(LedgerEvent):
        note: str

        def apply(self, task: Task) -> None:
            task.pending_extension = task.extension_decide_by = None

    class CompletionRequested(LedgerEvent):
        summary: str

        def apply(self, task: Task) -> None:
            task.state = TaskState.COMPLETION_REQUESTED

    class Verified(LedgerEvent):
        """销号: the office verified the work and closed the item."""

        note: str

        def apply(self, task: Task) -> None:
            task.closed_on = self.business_date
            task.state = TaskState.CLOSED

    class CompletionRejected(LedgerEvent):
        reason: str

        def apply(self, task: Task) -> None:
            task.state = TaskState.IN_PROGRESS

    class Reopened(LedgerEvent):
        reason: str

        def apply(self, task: Task) -> None:
            task.closed_on = None
            task.state = TaskState.IN_PROGRESS
