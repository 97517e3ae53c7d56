"""``ledger import plan FILE``: each row of a 督办事项 sheet matched to an item of a year's
plan in the ledger, and what it adds recorded as a person would have recorded it.

**Matching** a row: by its plan year and number (台账编号 ``RW2021-07``, or 计划年度 and 序号),
the item's identity in the ledger; a 系统编号 given must be that item's, or, for a new row,
free: the item is then registered under it, so that a round trip keeps ids (else under an id
derived from the year and number, ``api.cli.seed.imported_task_id_for``).

**Recording**: a new row is registered and, with its units and deadline, assigned, exactly as
the seed records a plan's item (``api.cli.seed.draft_plan_task``, ``assign_plan_task``), on
its 登记日期 and 交办日期 at 09:00 Beijing time (none given: now), as ``import:<NAME>`` (the
office), marked imported. A matched row records only what it adds: the assignment of an item
registered and not yet assigned; a later 完成时限, by the acts that move a deadline (an
extension requested and approved, now). Anything else that differs from the ledger (a title,
units, milestones, an earlier deadline) has no act to record it: a problem on that cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from api.cli.seed import assign_plan_task, draft_plan_task, imported_task_id_for
from api.imports.legacy_acts import RowProblem
from api.imports.outcome import Outcome
from api.imports.plan_rows import HEADERS, PlanRow
from api.labels import label
from domain.calendar import CHINA_TIME
from domain.errors import BusinessTimeRefused, InvalidTransition, LedgerError, ValidationError
from domain.ledger import Ledger
from domain.ledger_batches import Batch
from domain.meta import EventMeta
from domain.task import OPEN_WORK, Task
from domain.task_events import TaskState

NOTE = "按计划表导入"
FIELDS = {
    "title": "title",
    "section": "section",
    "description": "description",
    "number": "number",
    "lead_units": "lead_units",
    "cooperating_units": "cooperating_units",
    "cooperating_groups": "cooperating_units",
    "cooperation_note": "cooperation_note",
    "deadline": "deadline",
    "new_deadline": "deadline",
    "milestones": "milestones",
}
"""The column of each field the domain may refuse."""
DIFFERS = "与系统中的不同，且没有可记录这一改变的办理行为"


@dataclass
class Known:
    """What rows are matched against: the ledger's tasks by plan year and number, and every
    task's id; the units."""

    by_number: Mapping[tuple[int, int], UUID]
    ids: set[UUID]
    units: Mapping[str, UUID]
    """Every unit by its name (merged ones too: the export names a task's units as held)."""
    merged: set[str]
    """The names of the units merged into others: no task is assigned to them any more."""

    @property
    def names(self) -> dict[UUID, str]:
        return {unit: name for name, unit in self.units.items()}


def import_rows(ledger: Ledger, batch: Batch, rows: list[PlanRow], known: Known) -> Outcome:
    """Check every row and keep the tasks of the valid ones in ``batch`` (not saved)."""
    outcome = Outcome()
    seen_numbers: dict[tuple[int, int], int] = {}
    seen_ids: dict[UUID, int] = {}
    for row in rows:
        task, added, created = None, 0, False
        if not row.problems:
            _duplicates(row, seen_numbers, seen_ids)
        if not row.problems:
            try:
                task, added, created = _record(ledger, batch, row, known)
            except RowProblem as problem:
                row.problem(problem.key, str(problem))
        outcome.count(row.problems, task, added, created, batch)
    outcome.problems.sort()
    return outcome


def _duplicates(row: PlanRow, numbers: dict[tuple[int, int], int], ids: dict[UUID, int]) -> None:
    identity = (row.plan_year, row.number)
    if identity in numbers:
        row.problem("number", f"台账编号重复（与第{numbers[identity]}行相同）")
        return
    numbers[identity] = row.line
    if row.item_id is not None:
        if row.item_id in ids:
            row.problem("id", f"系统编号重复（与第{ids[row.item_id]}行相同）")
        ids.setdefault(row.item_id, row.line)


def _record(ledger: Ledger, batch: Batch, row: PlanRow, known: Known) -> tuple[Task, int, bool]:
    """The row's task with its new events; how many acts it adds; whether it is new."""
    matched = known.by_number.get((row.plan_year, row.number))
    if matched is not None:
        if row.item_id is not None and row.item_id != matched:
            raise RowProblem("id", f"不是系统中{row.label}的系统编号（{matched}）")
        task = ledger.get(Task, matched)
        return task, _changes(ledger, batch, row, task, known), False
    if row.item_id is not None and (row.item_id in known.ids or ledger.exists(row.item_id)):
        raise RowProblem("id", "系统编号已属于系统中另一事项")
    task_id = row.item_id or imported_task_id_for(row.plan_year, row.number)
    if ledger.exists(task_id):
        raise RowProblem("number", f"{row.label} 的编号已被系统中另一事项占用，请填写系统编号")
    registered = row.registered_on or row.assigned_on
    try:
        task = draft_plan_task(task_id, row.plan_year, row.plan_task(), _stamp(batch, registered))
    except LedgerError as error:
        raise _said(error, "registered_on") from None
    acts = 1 + _assign(batch, row, task, known, row.assigned_on or registered)
    return task, acts, True


def _assign(batch: Batch, row: PlanRow, task: Task, known: Known, day: date | None) -> int:
    if not row.assigned:
        return 0
    for key, names in (
        ("lead_units", row.lead_units),
        ("cooperating_units", row.cooperating_units),
    ):
        merged = [n for n in names if n in known.merged]
        if merged:
            raise RowProblem(key, f"“{merged[0]}”已并入其他单位，不能再交办")
    meta = _stamp(batch, day, task)
    if row.deadline is not None and row.deadline <= meta.business_date:
        when = "交办日期" if day is not None else "今天（未填写交办日期）"
        raise RowProblem("deadline", f"{row.deadline} 不晚于{when} {meta.business_date}")
    try:
        assign_plan_task(task, row.plan_task(), known.units.__getitem__, meta)
    except LedgerError as error:
        raise _said(error, "assigned_on") from None
    return 1


def _changes(ledger: Ledger, batch: Batch, row: PlanRow, task: Task, known: Known) -> int:
    """The acts recording what the row changes in ``task`` (a ``RowProblem`` for a change
    no act records)."""
    differs = [
        ("section", "section" in row.columns and row.section != task.section),
        ("title", row.title != task.title),
        ("description", "description" in row.columns and row.description != task.description),
    ]
    if task.state is TaskState.REGISTERED:
        _same(differs)
        return _assign(batch, row, task, known, row.assigned_on)
    names = known.names
    milestones = [(m.title, m.due) for m in task.milestones]
    differs += [
        ("lead_units", {names.get(u) for u in task.lead_units} != set(row.lead_units)),
        (
            "cooperating_units",
            {names.get(u) for u in task.cooperating_units} != set(row.cooperating_units)
            or set(task.cooperating_groups) != set(row.groups),
        ),
        (
            "cooperation_note",
            "cooperation_note" in row.columns and row.note != task.cooperation_note,
        ),
        (
            "milestones",
            "milestones" in row.columns
            and (
                [(m.title, m.due) for m in row.milestones] != milestones
                or any(
                    keyed and m.key != held.key
                    for m, keyed, held in zip(
                        row.milestones, row.keyed, task.milestones, strict=False
                    )
                )
            ),
        ),
    ]
    _same(differs)
    if row.deadline is None or row.deadline == task.deadline:
        return 0
    return _move_deadline(ledger, batch, task, row.deadline)


def _same(differs: list[tuple[str, bool]]) -> None:
    for key, changed in differs:
        if changed:
            raise RowProblem(key, DIFFERS)


def _move_deadline(ledger: Ledger, batch: Batch, task: Task, deadline: date) -> int:
    """A later deadline: requested and approved now, as the ledger moves a deadline."""
    held = task.deadline
    if held is not None and deadline < held:
        raise RowProblem("deadline", f"早于系统中的完成时限 {held}，没有可记录提前的办理行为")
    if task.state not in OPEN_WORK:
        raise RowProblem("deadline", f"事项{label(task.state)}，不能再调整完成时限")
    if task.pending_extension is not None:
        raise RowProblem("deadline", f"系统中已有待决定的延期申请（至 {task.pending_extension}）")
    meta = _stamp(batch, None, task)
    reason = f"{NOTE}：完成时限由 {held} 调整为 {deadline}"
    try:
        task.request_extension(
            deadline, reason, meta, ledger.current_rules().decision_due(meta.business_date)
        )
        task.decide_extension(True, NOTE, meta)
    except LedgerError as error:
        raise _said(error, "deadline") from None
    return 2


def _stamp(batch: Batch, day: date | None, task: Task | None = None) -> EventMeta:
    """The metadata of an act on ``day`` at 09:00 Beijing time (None: now); not before the
    task's last act, nor after now."""
    now = batch.ledger.clock()
    if day is None:
        at = now
    else:
        at = datetime.combine(day, time(9), tzinfo=CHINA_TIME)
        if now.astimezone(CHINA_TIME).date() == day:
            at = min(at, now)
    if task is not None and task.pending_events:
        at = max(at, task.last_occurred_at)
    return batch.stamp(at)


def _said(error: LedgerError, key: str) -> RowProblem:
    """A refusal of the domain, said in Chinese on the column it concerns."""
    if isinstance(error, RowProblem):
        return error
    if isinstance(error, InvalidTransition):
        return RowProblem(key, "事项当前状态下不能办理")
    if isinstance(error, BusinessTimeRefused):
        return RowProblem(key, "日期不能晚于今天")
    if isinstance(error, ValidationError):
        column = FIELDS.get(error.field, key)
        return RowProblem(column, f"{HEADERS.get(column, '')}无法记录（{error.message}）")
    return RowProblem(key, f"无法记录（{error}）")
