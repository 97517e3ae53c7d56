"""Ledger commands of the ledger's own clock: the timed acts (限时办结, 超时默许).

Only the service and the CLI run them (``api.runtime.timed_clock``), as ``SYSTEM``, each
with the idempotency key of its item and day, so that however many processes find the
same act due, one records it and the others write nothing. Each act's business time is
the end of its day (``domain.timed_acts``), or the item's last act where one was recorded
after that moment before the clock came round (business time never runs backwards
within an item); it may lie any distance in the past: a clock that was stopped records
the acts it missed at their own moments (the back-dating limit is for people).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.commands import command
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.ids import ComplaintId, TaskId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.ledger_calendar import SYSTEM
from domain.task import Task
from domain.timed_acts import DueAct, TimedActKind, end_of_day


class TimedActCommands(LedgerBase):
    """Urge what is overdue; deem approved what was not decided in time."""

    @command(service=True)
    def urge_overdue_task(
        self, ctx: CommandContext, task_id: TaskId, *, deadline: date
    ) -> Written | None:
        """限时办结: the system 催办 of an open task whose ``deadline`` has passed; None
        when there is nothing to record (the deadline moved, the task is not open, or it
        was urged for this deadline)."""
        return self._change_if_any(
            Task, task_id, _timed(ctx, deadline), lambda t, m: t.urge_overdue(deadline, m)
        )

    @command(service=True)
    def urge_overdue_complaint(
        self, ctx: CommandContext, complaint_id: ComplaintId, *, deadline: date
    ) -> Written | None:
        """限时办结: the system 催办 of an open case whose ``deadline`` to close has
        passed; None when there is nothing to record."""
        return self._change_if_any(
            Complaint,
            complaint_id,
            _timed(ctx, deadline),
            lambda c, m: c.urge_overdue(deadline, m),
        )

    @command(service=True)
    def deem_extension_approved(
        self, ctx: CommandContext, task_id: TaskId, *, decide_by: date
    ) -> Written | None:
        """超时默许: approve a task's extension request not decided by the end of
        ``decide_by``; None when none such is pending."""
        return self._change_if_any(
            Task,
            task_id,
            _timed(ctx, decide_by),
            lambda t, m: t.deem_extension_approved(decide_by, m),
        )

    def record_timed_act(self, act: DueAct, request_id: str = "") -> Written | None:
        """Record ``act`` as ``SYSTEM`` under its idempotency key (None: nothing to
        record, or another process recorded it first)."""
        key = act.idempotency_key
        ctx = CommandContext(SYSTEM, request_id=request_id or key, idempotency_key=key)
        if act.kind is TimedActKind.OVERDUE_TASK:
            written = self.urge_overdue_task(ctx, TaskId(act.item_id), deadline=act.day)
        elif act.kind is TimedActKind.OVERDUE_COMPLAINT:
            written = self.urge_overdue_complaint(ctx, ComplaintId(act.item_id), deadline=act.day)
        else:
            written = self.deem_extension_approved(ctx, TaskId(act.item_id), decide_by=act.day)
        return None if written is None or written.replayed else written


def _timed(ctx: CommandContext, day: date) -> CommandContext:
    """``ctx`` of a timed act on ``day``: the system's, at the end of that day."""
    if ctx.actor != SYSTEM:
        raise ValidationError("actor", "only the ledger's clock records timed acts")
    return replace(ctx, occurred_at=end_of_day(day), timed=True)
