"""What the ledger's clock has yet to do, as the read models know it: open tasks and cases
whose deadline has passed and that were not urged for it (限时办结), and tasks whose
extension request was not decided in time (超时默许). ``domain.timed_acts`` decides what
is due; the ledger checks each act again against the item itself as it records it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Connection, Table, or_, select

from domain.complaint_events import ComplaintState
from domain.task import OPEN_WORK
from domain.timed_acts import DueAct, TimedActKind, TimedActRules
from projections import tables as t

OPEN_TASK_STATES = [s.value for s in OPEN_WORK]


def acts_to_do(conn: Connection, today: date, rules: TimedActRules) -> list[DueAct]:
    """Every timed act whose day is before ``today`` and that the read models do not show
    done, for the kinds of item and request the policy names."""
    found: list[DueAct] = []
    if "task" in rules.urge_overdue:
        tasks = (t.tasks, "deadline", OPEN_TASK_STATES)
        found += _overdue(conn, tasks, today, TimedActKind.OVERDUE_TASK)
    if "complaint" in rules.urge_overdue:
        open_cases = [s.value for s in ComplaintState if s is not ComplaintState.CLOSED]
        cases = (t.complaints, "close_by", open_cases)
        found += _overdue(conn, cases, today, TimedActKind.OVERDUE_COMPLAINT)
    if rules.extensions_deemed_approved:
        rows = conn.execute(
            select(t.tasks.c.id, t.tasks.c.extension_decide_by).where(
                t.tasks.c.state.in_(OPEN_TASK_STATES), t.tasks.c.extension_decide_by < today
            )
        )
        found += [DueAct(TimedActKind.DEEMED_EXTENSION, UUID(i), day) for i, day in rows]
    return found


def _overdue(
    conn: Connection, items: tuple[Table, str, list[str]], today: date, kind: TimedActKind
) -> list[DueAct]:
    """Open items (``items``: their table, deadline column and open states) past their
    deadline and not urged for it."""
    table, column, states = items
    deadline, urged = table.c[column], table.c.overdue_urged_for
    rows = conn.execute(
        select(table.c.id, deadline).where(
            table.c.state.in_(states),
            deadline < today,
            or_(urged.is_(None), urged != deadline),
        )
    )
    return [DueAct(kind, UUID(item_id), day) for item_id, day in rows]
