"""The acts a work-order row tells of, in order, those the ledger already holds of its case,
and each act replayed on the case by the case's own methods.

A row may carry the acts of a case's lifecycle the 12345 platform records, each with its
date and time (``ACTS``): dispatch (派单时间, to 承办单位), sign-for, the first reply,
verification (属实/不属实), rectification, call-back (满意 or not) and closing. Each needs
the act before it in that lifecycle (``NEEDS``: a case is signed for once dispatched,
verified once signed for, closed once called back) and is not earlier than it; the reply
comes once the case is dispatched, before its rectification. Returns, hand-overs,
extensions, appeals and reopenings are not in a work order: they are recorded in the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from api.imports.legacy_acts import RowProblem
from api.imports.work_order_rows import HEADERS, MOMENTS, WorkOrderRow
from domain.calendar import CHINA_TIME
from domain.complaint import Complaint
from domain.meta import EventMeta, LedgerEvent
from domain.timeliness import TimeRules

NOTE = "按12345工单导入"
ACTS = {
    "dispatched_at": "Dispatched",
    "signed_for_at": "SignedFor",
    "replied_at": "Replied",
    "verified_at": "Verified",
    "rectified_at": "RectificationReported",
    "called_back_at": "CalledBack",
    "closed_at": "Closed",
}
"""Each act's column, by the event it records, in the order of the lifecycle."""
assert tuple(ACTS) == MOMENTS
NEEDS = {
    "signed_for_at": "dispatched_at",
    "replied_at": "dispatched_at",
    "verified_at": "signed_for_at",
    "rectified_at": "verified_at",
    "called_back_at": "rectified_at",
    "closed_at": "called_back_at",
}
"""The act each act comes after."""
GIVEN_WITH = {"dispatched_at": "handling_unit", "verified_at": "founded"}
GIVEN_WITH["called_back_at"] = "satisfied"
"""The cell an act's column goes with: both given or neither."""
KEY_OF = {kind: key for key, kind in ACTS.items()} | {"Redispatched": "dispatched_at"}
RANK = {key: n for n, key in enumerate(ACTS)}
TEXT_OF = {"replied_at": ("reply", "text"), "verified_at": ("finding", "finding")}
TEXT_OF["rectified_at"] = ("rectification", "narrative")
"""An act's text: the row's column, and the event's field."""


@dataclass(frozen=True)
class Act:
    """One act after receipt: its column and its moment."""

    key: str
    at: datetime


def shown(at: datetime) -> str:
    return at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def row_acts(row: WorkOrderRow) -> list[Act]:
    """The acts of the row after receipt, in order (``RowProblem`` if they cannot be)."""
    moments = row.moments
    for key, cell in GIVEN_WITH.items():
        given = getattr(row, cell) is not None
        if moments.get(key) is not None and not given:
            raise RowProblem(cell, f"不能为空（已有{HEADERS[key]}）")
        if given and moments.get(key) is None:
            raise RowProblem(key, f"不能为空（已有{HEADERS[cell]}）")
    acts = []
    for key in ACTS:
        at = moments.get(key)
        if at is None:
            continue
        need = NEEDS.get(key)
        if need is not None and moments.get(need) is None:
            raise RowProblem(key, f"缺少{HEADERS[need]}（{HEADERS[key]}须在其后）")
        before = moments.get(need) if need else None
        floor, said = (before, HEADERS[need]) if need and before else (row.received_at, "受理时间")
        if at < floor:
            raise RowProblem(key, f"时间顺序有误：早于{said}（{shown(floor)}）")
        acts.append(Act(key, at))
    return sorted(acts, key=lambda a: (a.at, RANK[a.key]))


def held_acts(events: list[LedgerEvent]) -> dict[str, LedgerEvent]:
    """The latest event of each act the ledger holds of a case, by the act's column."""
    held: dict[str, LedgerEvent] = {}
    for event in events[1:]:
        key = KEY_OF.get(type(event).__name__)
        if key is not None:
            held[key] = event
    return held


def new_acts(row: WorkOrderRow, acts: list[Act], held: Mapping[str, LedgerEvent]) -> list[Act]:
    """The row's acts the ledger does not hold yet; ``RowProblem`` where a column of the
    sheet says other than what the ledger holds (no act records such a change)."""
    for key in ACTS:
        event = held.get(key)
        if event is None or key not in row.columns:
            continue
        at = row.moments.get(key)
        if at is None:
            raise RowProblem(key, f"系统中已记录（{shown(event.occurred_at)}），不能改为空")
        if at != event.occurred_at.replace(microsecond=0):
            raise RowProblem(key, f"与系统中已记录的不同（已记录：{shown(event.occurred_at)}）")
        _same_details(row, key, event)
    return [a for a in acts if a.key not in held]


def _same_details(row: WorkOrderRow, key: str, event: LedgerEvent) -> None:
    cell = GIVEN_WITH.get(key)
    if cell is not None and cell in row.columns:
        recorded = getattr(event, {"handling_unit": "unit"}.get(cell, cell))
        if getattr(row, cell) != recorded:
            raise RowProblem(cell, "与系统中已记录的不同，且没有可记录这一改变的办理行为")
    if key in TEXT_OF:
        column, field = TEXT_OF[key]
        given = row.texts.get(column, "")
        if given and given != getattr(event, field):
            raise RowProblem(column, "与系统中已记录的不同，且没有可记录这一改变的办理行为")


def replay(case: Complaint, act: Act, row: WorkOrderRow, rules: TimeRules, meta: EventMeta) -> None:
    """Record ``act`` on ``case`` as the row gives it."""
    texts = row.texts
    if act.key == "dispatched_at":
        assert row.handling_unit is not None  # given with it (row_acts)
        case.dispatch(row.handling_unit, rules, meta)
    elif act.key == "signed_for_at":
        assert case.handling_unit is not None  # signed for once dispatched
        case.sign_for(case.handling_unit, meta)
    elif act.key == "replied_at":
        case.reply(texts.get("reply") or NOTE, rules, meta)
    elif act.key == "verified_at":
        assert row.founded is not None
        case.verify(row.founded, texts.get("finding") or NOTE, meta)
    elif act.key == "rectified_at":
        case.report_rectification(texts.get("rectification") or NOTE, [], meta)
    elif act.key == "called_back_at":
        assert row.satisfied is not None
        case.call_back(row.satisfied, NOTE, meta)
    else:
        case.close(NOTE, meta)
