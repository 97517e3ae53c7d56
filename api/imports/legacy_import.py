"""``ledger import legacy-issues FILE``: each row of a 历史遗留问题总台账 sheet matched to a
problem of the ledger, and the acts it adds recorded as a person would have recorded them.

**Matching** a row (``_match``): a number of the survey's own (台账编号 such as CX-2021-001)
names one problem, whose id derives from it: the row is that problem, held or new, whatever
its 系统编号 (which may only name no other problem of this ledger). A number of the ledger's
own form (YL-000123) names the problem of the row's 系统编号 when this ledger holds it, else
the legacy problem without a number created at log position 123; a row naming neither came
from another ledger and is an error asking for its 系统编号, never a new problem. A new row
without a survey number is registered under its 系统编号 (a round trip keeps ids). So a
number is one problem, and importing the same file twice writes nothing the second time.

**Replaying**: a new row's acts from its registration on, each on its own day (09:00
Beijing time), as ``import:<NAME>`` (the office), marked imported; a matched row's acts
beyond those the ledger holds, in order; a row asking for what the ledger has no act for (a
new title, another category) is a problem. Everything is checked in memory first; then the
rows are written in one transaction (``domain.ledger_batches``): with any problem, nothing
(unless ``skip_invalid``: the valid rows), and nothing at all when ``dry_run``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID, uuid4

from api.imports.legacy_acts import RowProblem, comparable, held_acts, row_acts
from api.imports.legacy_rows import HEADERS, Act, LegacyRow
from api.imports.outcome import Outcome
from api.labels import label
from domain.calendar import CHINA_TIME
from domain.errors import BusinessTimeRefused, InvalidTransition, LedgerError, ValidationError
from domain.escalation import Milestone, Tier
from domain.ledger import Ledger
from domain.ledger_batches import Batch
from domain.legacy_issue import DERIVED_NUMBER, LegacyIssue, legacy_issue_id_for

NOTE = "按总台账导入"
ACT_NAMES = {
    "PlanAdopted": "制定方案",
    "MilestoneReached": "完成节点",
    "Escalated": "升级",
    "Suspended": "中止",
    "Resumed": "恢复",
    "ResolutionVerified": "销号",
    "Reopened": "重新打开",
}
FIELD_KEYS = {"title": "title", "cause": "cause", "parties": "parties", "number": "number"}


@dataclass
class Known:
    """What the ledger holds that rows are matched against: its problems' ids, and the
    problem created at each log position."""

    issues: set[UUID]
    created_at: Mapping[int, UUID]


def import_rows(ledger: Ledger, batch: Batch, rows: list[LegacyRow], known: Known) -> Outcome:
    """Check every row and keep the items of the valid ones in ``batch`` (not saved)."""
    outcome = Outcome()
    seen_ids: dict[UUID, int] = {}
    seen_numbers: dict[str, int] = {}
    for row in rows:
        if not row.problems:
            _duplicates(row, seen_ids, seen_numbers, known)
        issue, added, created = None, 0, False
        if not row.problems:
            try:
                issue, added, created = _replay(ledger, batch, row, known)
            except RowProblem as problem:
                row.problem(problem.key, str(problem))
        outcome.count(row.problems, issue, added, created, batch)
    outcome.problems.sort()
    return outcome


def _duplicates(
    row: LegacyRow, ids: dict[UUID, int], numbers: dict[str, int], known: Known
) -> None:
    row.item_id = _match(row, known)
    if row.number:
        if row.number in numbers:
            row.problem("number", f"台账编号重复（与第{numbers[row.number]}行相同）")
            return
        numbers[row.number] = row.line
    if row.item_id is not None:
        if row.item_id in ids:
            row.problem("id", f"与第{ids[row.item_id]}行是同一问题")
        ids.setdefault(row.item_id, row.line)


def _match(row: LegacyRow, known: Known) -> UUID | None:
    """The problem the row names, or a new one's id (None: a new id): "Matching" above."""
    if row.number and not DERIVED_NUMBER.fullmatch(row.number):
        owner = legacy_issue_id_for(row.number)
        if row.item_id is not None and row.item_id != owner and row.item_id in known.issues:
            if owner in known.issues:
                row.problem("id", f"是系统中另一问题的系统编号（台账编号“{row.number}”另有其问题）")
            return row.item_id  # held without this number: the facts are compared
        return owner
    if row.number and (row.item_id is None or row.item_id not in known.issues):
        if row.item_id is not None:
            return row.item_id
        created = known.created_at.get(int(row.number[3:]))
        if created is None or created not in known.issues:
            row.problem("number", "本系统中没有此编号的问题（来自另一系统？请填写其系统编号）")
        return created
    return row.item_id


def _replay(
    ledger: Ledger, batch: Batch, row: LegacyRow, known: Known
) -> tuple[LegacyIssue, int, bool]:
    acts = row_acts(row)
    escalations = sum(1 for a in acts if a.kind == "Escalated")
    if row.item_id is not None and row.item_id in known.issues:
        issue = ledger.get(LegacyIssue, row.item_id)
        _same_facts(row, issue)
        held = held_acts(issue, ledger.item_events(issue.id))
        with_history = row.history is not None
        mine, theirs = comparable(acts, with_history), comparable(held, with_history)
        if mine[: len(theirs)] != theirs:
            key = "history" if with_history else "state"
            raise RowProblem(key, f"与系统中已记录的办理过程不一致（已记录：{_told(theirs)}）")
        new_acts = mine[len(theirs) :]
        created = False
    else:
        tier = row.tier or Tier.TASK_FORCE
        for _ in range(escalations):
            lower = [t for t in Tier if t.above() is tier]
            if not lower:
                raise RowProblem("tier", "办理过程中的升级次数多于督办层级所能有的")
            tier = lower[0]
        number = row.number if row.number and not DERIVED_NUMBER.fullmatch(row.number) else None
        try:
            issue = LegacyIssue.register(
                row.item_id or uuid4(),
                title=row.title,
                category=row.category,
                cause=row.cause,
                parties=row.parties,
                responsible_unit=row.unit,  # type: ignore[arg-type]
                tier=tier,
                target_year=row.target_year,
                baseline=row.baseline,
                meta=batch.stamp(_at(row.registered_on, None, batch)),
                number=number,
            )
        except LedgerError as error:
            raise _said(error, "registered_on") from None
        new_acts, created = acts, True
    if row.history is None and not created:
        new_acts = new_acts + _undated(row, issue, new_acts)
    for act in new_acts:
        try:
            _act(issue, act, row, batch)
        except LedgerError as error:
            raise _said(error, "history" if row.history is not None else "state", act) from None
    _ends_as_said(row, issue)
    return issue, len(new_acts), created


def _undated(row: LegacyRow, issue: LegacyIssue, coming: list[Act]) -> list[Act]:
    """Without 办理过程: milestones newly marked 已完成, and escalations up to the row's tier,
    on the last day the row or the ledger knows of."""
    days = [a.day for a in coming] + [issue.last_occurred_at.astimezone(CHINA_TIME).date()]
    day = max(days)
    reached = [
        Act(day, "MilestoneReached", i)
        for i, m in enumerate(row.milestones, 1)
        if m[2]
        and i <= len(issue.milestones)
        and issue.milestones[i - 1].key not in issue.milestones_reached
    ]
    steps = list(Tier).index(row.tier) - list(Tier).index(issue.tier) if row.tier else 0
    return reached + [Act(day, "Escalated")] * max(steps, 0)


def _act(issue: LegacyIssue, act: Act, row: LegacyRow, batch: Batch) -> None:
    meta = batch.stamp(_at(act.day, issue, batch))
    if act.kind == "PlanAdopted":
        milestones = [Milestone(f"m{i}", t, due) for i, (t, due, _) in enumerate(row.milestones, 1)]
        issue.adopt_plan(NOTE, milestones, meta)
    elif act.kind == "MilestoneReached":
        if not act.ordinal or act.ordinal > len(issue.milestones):
            raise RowProblem("history", f"没有第{act.ordinal}个工作节点")
        issue.reach_milestone(issue.milestones[act.ordinal - 1].key, meta)
    elif act.kind == "Escalated":
        issue.escalate(NOTE, meta)
    elif act.kind == "Suspended":
        issue.suspend(NOTE, meta)
    elif act.kind == "Resumed":
        issue.resume(NOTE, meta)
    elif act.kind == "ResolutionVerified":
        issue.verify_resolution(NOTE, meta)
    else:
        issue.reopen(NOTE, meta)


def _at(day: date, issue: LegacyIssue | None, batch: Batch) -> datetime:
    """09:00 Beijing time of ``day``; not before the item's last act, nor after now."""
    at = datetime.combine(day, time(9), tzinfo=CHINA_TIME)
    if issue is not None and issue.last_occurred_at.astimezone(CHINA_TIME).date() == day:
        at = max(at, issue.last_occurred_at)
    now = batch.ledger.clock()
    return min(at, now) if now.astimezone(CHINA_TIME).date() == day else at


def _same_facts(row: LegacyRow, issue: LegacyIssue) -> None:
    """What the ledger has no act for is the same in the row as in the ledger."""
    differs = [
        ("title", row.title != issue.title),
        ("category", row.category is not issue.category),
        ("cause", row.cause != issue.cause),
        ("parties", "parties" in row.columns and row.parties != list(issue.parties)),
        ("responsible_unit", row.unit != issue.responsible_unit),
        ("target_year", row.target_year != issue.target_year),
        ("baseline", row.baseline != issue.baseline),
    ]
    for key, changed in differs:
        if changed:
            raise RowProblem(key, "与系统中的不同，且没有可记录这一改变的办理行为")
    if issue.milestones and "milestones" in row.columns:
        held = [(m.title, m.due) for m in issue.milestones]
        if [(t, due) for t, due, _ in row.milestones] != held:
            raise RowProblem("milestones", "与系统中已制定的方案节点不同")
    if row.number and DERIVED_NUMBER.fullmatch(row.number) and issue.number is not None:
        raise RowProblem("number", f"与系统中的台账编号（{issue.number}）不同")
    if row.number and not DERIVED_NUMBER.fullmatch(row.number) and row.number != issue.number:
        has = issue.number or "无"
        if row.item_id != legacy_issue_id_for(row.number):  # matched by its 系统编号
            raise RowProblem("id", f"是系统中另一问题的系统编号（其台账编号：{has}）")
        raise RowProblem("number", f"与系统中的台账编号（{has}）不同")


def _ends_as_said(row: LegacyRow, issue: LegacyIssue) -> None:
    if row.state is not None and row.state is not issue.state:
        raise RowProblem("state", f"与办理过程不符（办理后为“{label(issue.state)}”）")
    if row.tier is not None and row.tier is not issue.tier:
        raise RowProblem("tier", f"与办理过程不符（办理后为“{label(issue.tier)}”）")
    reached = [
        issue.milestones[i].key in issue.milestones_reached for i in range(len(issue.milestones))
    ]
    if row.history is not None and row.milestones and [m[2] for m in row.milestones] != reached:
        raise RowProblem("milestones", "已完成的节点与办理过程不符")


def _said(error: LedgerError, key: str, act: Act | None = None) -> RowProblem:
    """A refusal of the domain, said in Chinese on the column it concerns."""
    what = f"{act.day} {ACT_NAMES[act.kind]}：" if act is not None else ""
    if isinstance(error, RowProblem):
        return error
    if isinstance(error, InvalidTransition):
        return RowProblem(key, f"{what}当前状态下不能办理")
    if isinstance(error, BusinessTimeRefused):
        return RowProblem(key, f"{what}日期不能晚于今天，也不能早于已记录的办理")
    if isinstance(error, ValidationError):
        if error.field == "target_year":
            return RowProblem("target_year", "须为 2021、2022、2025 中不早于登记年度的一年")
        column = FIELD_KEYS.get(error.field, key)
        return RowProblem(column, f"{what}{HEADERS.get(column, '')}无法记录（{error.message}）")
    return RowProblem(key, f"{what}无法记录（{error}）")


def _told(acts: list[Act]) -> str:
    shown = [f"{a.day} {ACT_NAMES[a.kind]}{a.ordinal or ''}" for a in acts]
    return "、".join(shown) if shown else "无"
