"""``ledger import work-orders FILE``: a batch of 12345 work orders from the city platform,
each row one case, matched to the ledger's case by its 工单编号 and the acts it adds
recorded as a person would have recorded them.

**Matching** a row: by 系统编号 when the sheet has that column and the case is in this
ledger (its 工单编号 must then be the case's); else by 工单编号 (a case's id derives from
its number: ``domain.complaint_numbers``); else the row is a new case, received with its
number.

**Replaying**: a new row is received at its 受理时间 (the deadlines counted from it by the
policy's working-day limits; an intake line's receipt deadline in clock hours), its
personal data sealed exactly as ``receive_complaint`` seals it, then its acts in order,
each at its own time (``api.imports.work_order_acts``), as ``import:<NAME>`` (the office,
which may take every step of a case), marked imported. A matched row records only the acts
it adds; the same row again is 未变; a row whose case differs from the ledger's where no
act records such a change (another summary, channel, first responder, a moved act) is a
problem on that cell. Everything is checked in memory first, then written at once
(``domain.ledger_batches``), as the legacy import is (``api.imports.legacy_import``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from api.imports.legacy_acts import RowProblem
from api.imports.outcome import Outcome
from api.imports.work_order_acts import Act, held_acts, new_acts, replay, row_acts, shown
from api.imports.work_order_rows import HEADERS, WorkOrderRow
from domain.complaint import Complaint
from domain.complaint_numbers import DERIVED_NUMBER, complaint_id_for
from domain.errors import BusinessTimeRefused, InvalidTransition, LedgerError, ValidationError
from domain.ledger import Ledger
from domain.ledger_batches import Batch
from domain.meta import LedgerEvent
from domain.timeliness import TimeRules

FIELD_KEYS = {
    "summary": "summary",
    "complainant_name": "complainant_name",
    "complainant_phone": "complainant_phone",
    "number": "number",
    "intake": "channel",
    "team": "channel",
    "channel": "channel",
    "text": "reply",
    "finding": "finding",
    "narrative": "rectification",
}
"""The column of a field the domain names in a refusal."""


@dataclass(frozen=True)
class Known:
    """The cases this ledger holds (their ids), and how to read sealed personal data to
    compare it (``opened``: the text as given, or a ``ValueError``)."""

    cases: set[UUID]
    opened: Callable[[str], str]


def import_rows(ledger: Ledger, batch: Batch, rows: list[WorkOrderRow], known: Known) -> Outcome:
    """Check every row and keep the cases of the valid ones in ``batch`` (not saved)."""
    outcome = Outcome()
    rules = ledger.current_rules()
    numbers: dict[str, int] = {}
    for row in rows:
        if not row.problems and row.number:
            _number(row, numbers, known)
        case, added, created = None, 0, False
        if not row.problems:
            try:
                case, added, created = _replay(ledger, batch, row, known, rules)
            except RowProblem as problem:
                row.problem(problem.key, str(problem))
        outcome.count(row.problems, case, added, created, batch)
    outcome.problems.sort()
    return outcome


def _number(row: WorkOrderRow, numbers: dict[str, int], known: Known) -> None:
    if DERIVED_NUMBER.fullmatch(row.number):
        row.problem("number", "TS- 开头的台账编号是系统自编的，不是工单编号")
        return
    if row.number in numbers:
        row.problem("number", f"工单编号重复（与第{numbers[row.number]}行相同）")
        return
    numbers[row.number] = row.line
    if row.item_id is None or row.item_id not in known.cases:
        try:
            row.item_id = complaint_id_for(row.number)
        except ValidationError as error:
            row.problem("number", f"工单编号无法记录（{error.message}）")


def _replay(
    ledger: Ledger, batch: Batch, row: WorkOrderRow, known: Known, rules: TimeRules
) -> tuple[Complaint, int, bool]:
    acts = row_acts(row)
    assert row.item_id is not None
    if row.item_id in known.cases:
        events = ledger.item_events(row.item_id)
        case = _folded(events)
        _same_facts(row, case, events[0], known)
        coming, created = new_acts(row, acts, held_acts(events)), False
    else:
        try:
            case = Complaint.receive(
                row.item_id,
                channel=row.channel,
                summary=row.summary,
                complainant_name=ledger._sealed("complainant_name", row.complainant_name),
                complainant_phone=ledger._sealed("complainant_phone", row.complainant_phone),
                subject_unit=row.subject_unit,
                first_responder=row.first_responder,  # type: ignore[arg-type]
                rules=rules,
                meta=batch.stamp(row.received_at),
                enterprise=row.enterprise,
                intake=row.intake,
                number=row.number,
            )
        except LedgerError as error:
            raise _said(error, "received_at") from None
        coming, created = acts, True
    for act in coming:
        try:
            replay(case, act, row, rules, batch.stamp(act.at))
        except LedgerError as error:
            raise _said(error, act.key, act) from None
    return case, len(coming), created


def _folded(events: list[LedgerEvent]) -> Complaint:
    """The case its events make (read once, for the case and for its acts)."""
    case: Any = None
    for event in events:
        case = event.mutate(case)
    assert isinstance(case, Complaint)
    return case


def _same_facts(row: WorkOrderRow, case: Complaint, received: LedgerEvent, known: Known) -> None:
    """What no act records is the same in the row as in the ledger."""
    if case.number != row.number:
        raise RowProblem("number", f"与系统中的工单编号（{case.number or '无'}）不同")
    if received.occurred_at.replace(microsecond=0) != row.received_at:
        raise RowProblem("received_at", f"与系统中的不同（已记录：{shown(received.occurred_at)}）")
    columns = row.columns
    differs = [
        ("channel", (row.channel, row.intake) != (case.channel, case.intake)),
        ("summary", row.summary != case.summary),
        ("complainant_name", _differs(known, row.complainant_name, case.complainant_name)),
        ("complainant_phone", _differs(known, row.complainant_phone, case.complainant_phone)),
        ("first_responder", row.first_responder != case.first_responder),
        ("subject_unit", "subject_unit" in columns and row.subject_unit != case.subject_unit),
        ("enterprise", "enterprise" in columns and row.enterprise != case.enterprise),
    ]
    for key, changed in differs:
        if changed and key in columns:
            raise RowProblem(key, "与系统中的不同，且没有可记录这一改变的办理行为")


def _differs(known: Known, given: str, recorded: str) -> bool:
    try:
        return known.opened(recorded) != given.strip()
    except ValueError:
        return True


def _said(error: LedgerError, key: str, act: Act | None = None) -> RowProblem:
    """A refusal of the domain, said in Chinese on the column it concerns."""
    what = f"{HEADERS[act.key]} {shown(act.at)}：" if act is not None else ""
    if isinstance(error, RowProblem):
        return error
    if isinstance(error, InvalidTransition):
        return RowProblem(key, f"{what}案件当前状态下不能办理")
    if isinstance(error, BusinessTimeRefused):
        return RowProblem(key, f"{what}时间不能晚于现在，也不能早于已记录的办理")
    if isinstance(error, ValidationError):
        column = FIELD_KEYS.get(error.field, key)
        return RowProblem(column, f"{HEADERS.get(column, '')}无法记录（{error.message}）")
    return RowProblem(key, f"{what}无法记录（{error}）")
