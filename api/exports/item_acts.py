"""What the audit index says of each exported item: where it was created (its stable
number), the business day of each of its acts, and which version it had on a given day.

**台账编号** (the number a row keeps in every export, whoever exports it and whenever):
a task of a plan is ``RW<plan year>-<its number in the plan, two digits>`` (RW2021-07 is the
2021 plan's item 7). Nothing else the ledger holds has a number of its own, so its number is
a prefix for its kind and the log position of the event that created it, six digits or more:
``TS-000123`` a complaint (投诉), ``YL-`` a legacy problem (遗留), ``YT-`` an interview (约谈),
``YJ-`` a referral (移交), ``RW-`` a task without a plan number; a scorecard row is
``KH-<period>-`` and its unit's position. The log is append-only, so a position, once
given, is the item's for good; it never depends on the order or the filter of an export.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from domain.calendar import CHINA_TIME
from projections import tables as t

PREFIXES = {
    "tasks": "RW",
    "complaints": "TS",
    "legacy-issues": "YL",
    "interviews": "YT",
    "referrals": "YJ",
    "scorecards": "KH",
}
CHUNK = 500
AUDIT = "audit"
"""The projection the acts come from (``projections.audit``)."""


def derived_number(what: str, position: int) -> str:
    """The 台账编号 of an item of list ``what`` created at log ``position``."""
    return f"{PREFIXES[what]}-{position:06d}"


def task_number(plan_year: int, number: int | None, position: int) -> str:
    """A plan's task by its plan and number; one without a number by its position."""
    if number is None:
        return derived_number("tasks", position)
    return f"RW{plan_year}-{number:02d}"


def business_day(moment: datetime) -> date:
    """The day in Beijing of a stored moment (SQLite gives it back without its zone: UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TIME).date()


@dataclass
class ItemActs:
    """One item's events as the audit index lists them: (version, type, business day)."""

    position: int = 0
    events: list[tuple[int, str, date]] = field(default_factory=list)

    @property
    def latest(self) -> int:
        """The latest version the audit index has of the item (0: none yet)."""
        return self.events[-1][0] if self.events else 0

    def version_on(self, day: date | None) -> int:
        """The version the item had at the end of ``day`` (its latest with no day given):
        its events up to the first one that happened later. 0: it did not exist yet."""
        version = 0
        for number, _, happened in self.events:
            if day is not None and happened > day:
                break
            version = number
        return version

    def first(self, types: Iterable[str], up_to: int) -> date | None:
        """The day of the first of these acts, up to version ``up_to``."""
        wanted = set(types)
        days = [d for v, kind, d in self.events if kind in wanted and v <= up_to]
        return days[0] if days else None

    def last(self, types: Iterable[str], up_to: int) -> date | None:
        """The day of the latest of these acts, up to version ``up_to``."""
        wanted = set(types)
        days = [d for v, kind, d in self.events if kind in wanted and v <= up_to]
        return days[-1] if days else None


class ReadModelStopped(RuntimeError):
    """The audit index has stopped on an event: the acts' dates (and which items and
    versions an export holds) would be stale for good."""

    def __init__(self, name: str, position: int) -> None:
        super().__init__(
            f"the read model {name} has stopped at position {position}: "
            "the export cannot be made until it is mended (see /readyz, ledger status)"
        )


def audit_stopped(conn: Connection) -> None:
    """``ReadModelStopped`` if the audit index (the acts' source) has stopped."""
    s = t.projection_status
    query = select(s.c.failed_position).where(s.c.name == AUDIT)
    failed = conn.execute(query).scalar()
    if failed is not None:
        raise ReadModelStopped(AUDIT, int(failed))


def acts_of(conn: Connection, item_ids: Sequence[str]) -> dict[str, ItemActs]:
    """Each item's acts, by id (a few hundred ids a query)."""
    a = t.audit_events
    found: dict[str, ItemActs] = {}
    for start in range(0, len(item_ids), CHUNK):
        chunk = list(item_ids[start : start + CHUNK])
        query = (
            select(a.c.item_id, a.c.position, a.c.version, a.c.event_type, a.c.occurred_at)
            .where(a.c.item_id.in_(chunk))
            .order_by(a.c.position)
        )
        for item_id, position, version, event_type, occurred_at in conn.execute(query):
            acts = found.setdefault(str(item_id), ItemActs(position=int(position)))
            acts.events.append((int(version), str(event_type), business_day(occurred_at)))
    return found
