"""Timed acts (限时办结 and 超时默许): what the ledger's own clock records when a limit passes.

Pure: when a day has passed, the moment an act on it takes as its business time, the
rules of the policy, and the acts that are due as of a moment among the open deadlines
a caller found. No I/O; ``api.runtime.timed_clock`` finds the deadlines and records.

A deadline day ``D`` passes at the next midnight in Beijing; the act on it happens at
the last instant of ``D`` (23:59:59.999999 Beijing time, so its business date is ``D``
itself, after every act of that day) and is recorded once the clock has reached the
next midnight: never earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from uuid import UUID

from domain.calendar import CHINA_TIME
from domain.errors import InvalidTransition, ValidationError

LAST_INSTANT = time(23, 59, 59, 999999, tzinfo=CHINA_TIME)


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in Beijing time: the business time of a timed act on it."""
    return datetime.combine(day, LAST_INSTANT)


def has_passed(day: date, now: datetime) -> bool:
    """Whether ``day`` (Beijing time) is over at ``now``."""
    return now > end_of_day(day)


class TimedActKind(Enum):
    """What the clock records when a limit passes."""

    OVERDUE_TASK = "overdue_task"
    """限时办结: a system 催办 of an open task past its deadline."""
    OVERDUE_COMPLAINT = "overdue_complaint"
    """限时办结: a system 催办 of an open case past its deadline to close."""
    DEEMED_EXTENSION = "deemed_extension"
    """超时默许: a task's extension request not decided in time, deemed approved."""


@dataclass(frozen=True)
class DueAct:
    """One timed act: its kind, the item and the day whose passing makes it due."""

    kind: TimedActKind
    item_id: UUID
    day: date

    @property
    def moment(self) -> datetime:
        """Its business time: the end of ``day``."""
        return end_of_day(self.day)

    @property
    def idempotency_key(self) -> str:
        """One key per item and deadline: a second recorder's attempt writes nothing."""
        return f"timed:{self.kind.value}:{self.item_id}:{self.day.isoformat()}"


def due_as_of(candidates: Iterable[DueAct], now: datetime) -> list[DueAct]:
    """The candidates whose day has passed at ``now``, in the order of their moments."""
    due = {act for act in candidates if has_passed(act.day, now)}
    return sorted(due, key=lambda act: (act.moment, act.kind.value, str(act.item_id)))


class TimedActNotDue(InvalidTransition):
    """A timed act asked for before its day has passed."""

    def __init__(self, item_type: str, state: str, step: str, day: date) -> None:
        super().__init__(item_type, state, step, f"{day} has not passed yet")


URGED_ITEMS = ("task", "complaint")
REQUEST_KINDS = ("extension_request",)


@dataclass(frozen=True)
class TimedActRules:
    """The policy's ``[timed_acts]``: which items are urged when their deadline passes,
    which kinds of request are deemed approved (超时默许), and within how many working
    days after the day of the request a decision is due."""

    urge_overdue: frozenset[str]
    deemed_approval: frozenset[str]
    decision_working_days: int

    @property
    def extensions_deemed_approved(self) -> bool:
        return "extension_request" in self.deemed_approval


def timed_act_rules_from(data: Mapping[str, Any]) -> TimedActRules:
    """The ``[timed_acts]`` table, checked: lists of known names, a count >= 1."""
    table = data.get("timed_acts")
    if not isinstance(table, Mapping):
        raise ValidationError("policy.timed_acts", "is missing or not a table")
    days = table.get("decision_working_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValidationError(
            "policy.timed_acts.decision_working_days", f"must be a whole number >= 1, not {days!r}"
        )
    return TimedActRules(
        urge_overdue=_names(table, "urge_overdue", URGED_ITEMS),
        deemed_approval=_names(table, "deemed_approval", REQUEST_KINDS),
        decision_working_days=days,
    )


def _names(table: Mapping[str, Any], key: str, known: tuple[str, ...]) -> frozenset[str]:
    names = table.get(key)
    field = f"policy.timed_acts.{key}"
    if not isinstance(names, list):
        raise ValidationError(field, "must be a list")
    for name in names:
        if name not in known:
            raise ValidationError(field, f"{name!r} is not one of {', '.join(known)}")
    return frozenset(names)
