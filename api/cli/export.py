"""Rows for ``ledger export``: what is in the ledger now, for people and programs.

Tasks, complaints and legacy issues are read from the read models (the projections'
tables, brought up to date first; see ``api.cli.read_models``), in the order the items
were created; the few fields no table holds come from the items' own events (see
``api.item_details``). Events are the log itself, walked in order.

Every coded value comes with its Chinese label beside it (``status`` and
``status_label``). Complainants' names and phone numbers are personal data: the
complaints export leaves them out, and the events export shows them masked (张**,
138****1234), as the API shows them to a read that states no purpose; never in clear,
nor sealed (text recorded in clear before sealing is masked too).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Table

from api.bootstrap import open_ledger
from api.cli.inventory import ledger_events
from api.cli.read_models import AUDIT, in_creation_order, unit_names, up_to_date
from api.graphql.disclosure import MASKS, UNREADABLE
from api.item_details import items_at
from api.keys.personal_data_cipher import AesSealer
from api.labels import label
from api.settings import Settings
from domain.channels import Channel
from domain.complaint import Complaint
from domain.complaint_events import ComplaintState
from domain.escalation import Tier
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory, LegacyIssue, LegacyState
from domain.meta import COMMON_FIELDS, LedgerEvent
from domain.personal import PERSONAL_FIELDS, Sealer
from domain.task import Task
from domain.task_events import TaskState
from domain.timeliness import Light
from projections import tables as t
from projections.views.task_board import light_of

Row = dict[str, Any]
READ_MODELS = {
    "tasks": ("tasks", AUDIT),
    "complaints": ("complaints", "tasks", AUDIT),  # the units' names are the tasks'
    "legacy-issues": ("legacy", "tasks", AUDIT),
}
"""The projections each export reads; the events export reads the log alone."""


@contextmanager
def exporter_for(settings: Settings, what: str, today: date) -> Iterator[Exporter]:
    """An exporter of ``what`` as of ``today``: over read models brought up to date (and
    refused, in one line, when they have stopped), or over the log for the events."""
    if what not in READ_MODELS:
        ledger = open_ledger(settings, create=False)
        try:
            yield Exporter(ledger, today)
        finally:
            ledger.close()
        return
    with up_to_date(settings, READ_MODELS[what]) as runner:
        yield Exporter(runner.ledger, today, runner.engine)


class Exporter:
    """Builds export rows from one ledger as of ``today``; ``read_models`` is the engine of
    its projections' tables (up to date), which every export but the events' reads."""

    def __init__(self, ledger: Ledger, today: date, read_models: Engine | None = None) -> None:
        self.ledger, self.today, self.read_models = ledger, today, read_models
        self.rules = ledger.current_rules()  # with every holiday schedule adopted so far

    def rows(self, kind: str) -> Iterator[Row]:
        producers: Mapping[str, Callable[[], Iterator[Row]]] = {
            "tasks": self.tasks,
            "complaints": self.complaints,
            "legacy-issues": self.legacy_issues,
            "events": self.events,
        }
        return producers[kind]()

    def tasks(self) -> Iterator[Row]:
        rows, names = self._read(t.tasks)
        tasks = items_at(self.ledger, Task, {r["id"]: r["version"] for r in rows})
        for r in sorted(rows, key=lambda r: (r["plan_year"], r["number"] or 10**6)):
            task = tasks[r["id"]]
            light = self.task_light(r)
            yield {
                "id": r["id"],
                "version": r["version"],
                "plan_year": r["plan_year"],
                "number": r["number"],
                "section": r["section"],
                "title": r["title"],
                "lead_units": [_name(names, u) for u in r["lead_units"]],
                "cooperating_units": [_name(names, u) for u in r["cooperating_units"]],
                "cooperation_note": task.cooperation_note,
                "milestones": [
                    {
                        "key": m.key,
                        "title": m.title,
                        "due": m.due.isoformat(),
                        "reached": m.key in task.milestones_reached,
                    }
                    for m in task.milestones
                ],
                "deadline": _iso(r["deadline"]),
                "status": r["state"],
                "status_label": label(TaskState(r["state"])),
                "progress": r["progress"],
                "light": light.value if light else "",
                "light_label": label(light),
                "tier": r["tier"],
                "tier_label": label(Tier(r["tier"])),
                "urge_count": r["urge_count"],
            }

    def complaints(self) -> Iterator[Row]:
        rows, names = self._read(t.complaints)
        complaints = items_at(self.ledger, Complaint, {r["id"]: r["version"] for r in rows})
        for r in rows:
            done = r["closed_on"]
            yield {
                "id": r["id"],
                "version": r["version"],
                "channel": r["channel"],
                "channel_label": label(Channel(r["channel"])),
                "summary": complaints[r["id"]].summary,
                "first_responder": _name(names, r["first_responder"]),
                "accountable_unit": _name(names, r["accountable_unit"]),
                "handling_unit": _name(names, r["handling_unit"]),
                "received_on": r["received_on"].isoformat(),
                "close_by": r["close_by"].isoformat(),
                "close_by_provisional": r["deadline_provisional"],
                "closed_on": _iso(done),
                "status": r["state"],
                "status_label": label(ComplaintState(r["state"])),
                "overdue": self.rules.is_overdue(r["close_by"], self.today, done),
                "returns": r["returns"],
                "reopenings": r["reopenings"],
                "satisfied": r["satisfied"],
                "reward_yuan": r["reward_yuan"],
            }

    def legacy_issues(self) -> Iterator[Row]:
        rows, names = self._read(t.legacy_issues)
        issues = items_at(self.ledger, LegacyIssue, {r["id"]: r["version"] for r in rows})
        for r in rows:
            issue = issues[r["id"]]
            yield {
                "id": r["id"],
                "version": r["version"],
                "title": r["title"],
                "category": r["category"],
                "category_label": label(LegacyCategory(r["category"])),
                "cause": issue.cause,
                "parties": list(issue.parties),
                "responsible_unit": _name(names, r["responsible_unit"]),
                "tier": r["tier"],
                "tier_label": label(Tier(r["tier"])),
                "target_year": r["target_year"],
                "baseline": r["baseline"],
                "status": r["state"],
                "status_label": label(LegacyState(r["state"])),
                "milestones_reached": len(issue.milestones_reached),
                "milestones": len(issue.milestones),
            }

    def events(self) -> Iterator[Row]:
        mask = masking(self.ledger.sealer)
        for position, event in ledger_events(self.ledger):
            yield event_row(position, event, mask)

    def task_light(self, row: Row) -> Light | None:
        """The light of open work, by the same rule as the task board (and the API)."""
        return light_of(
            self.rules,
            state=row["state"],
            assigned_on=row["assigned_on"],
            deadline=row["deadline"],
            progress=row["progress"],
            today=self.today,
        )

    def _read(self, table: Table) -> tuple[list[Row], dict[str, str]]:
        """The rows of an item table in the order the items were created, and the units'
        names."""
        if self.read_models is None:
            raise ValueError("this exporter reads the log only: it has no read models")
        with self.read_models.connect() as conn:
            return in_creation_order(conn, table), unit_names(conn)


def _name(names: Mapping[str, str], unit_id: str | None) -> str:
    if unit_id is None:
        return ""
    return names.get(unit_id, unit_id)


def masking(sealer: Sealer) -> Callable[[str, str], str]:
    """Personal data (field, recorded text) as an export shows it: opened with the ledger's
    key and masked; text that key cannot open shows as the API shows it."""
    opener = sealer.open if isinstance(sealer, AesSealer) else None

    def mask(field: str, recorded: str) -> str:
        try:
            text = recorded if opener is None else opener(recorded)
        except ValueError:
            return UNREADABLE
        return MASKS[field](text)

    return mask


def event_row(position: int, event: LedgerEvent, mask: Callable[[str, str], str]) -> Row:
    """One event of the audit trail, flat, with its own fields under ``data`` (personal data
    through ``mask``)."""
    item_type, _, event_type = type(event).__qualname__.partition(".")
    data = {k: plain(v) for k, v in vars(event).items() if k not in COMMON_FIELDS}
    for field in PERSONAL_FIELDS:
        if isinstance(data.get(field), str) and data[field]:
            data[field] = mask(field, data[field])
    return {
        "position": position,
        "item_id": str(event.originator_id),
        "item_type": item_type,
        "version": event.originator_version,
        "type": event_type,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "actor_id": event.actor.id,
        "actor_role": event.actor.role.value,
        "actor_role_label": label(event.actor.role),
        "actor_unit": str(event.actor.unit or ""),
        "request_id": event.request_id,
        "imported": event.imported,
        "data": data,
    }


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
