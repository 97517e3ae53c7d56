"""Rows for ``ledger export``: what is in the ledger now, for people and programs.

Every coded value comes with its Chinese label beside it (``status`` and
``status_label``). Complainants' names and phone numbers are personal data: the
complaints export leaves them out, and the events export shows them masked (张**,
138****1234), as the API shows them to a read that states no purpose; never in clear,
nor sealed (text recorded in clear before sealing is masked too).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from api.cli.inventory import current_items, ledger_events
from api.cli.labels import label
from api.graphql.disclosure import MASKS, UNREADABLE
from api.keys.personal_data_cipher import AesSealer
from domain.complaint import Complaint
from domain.ledger import Ledger
from domain.legacy_issue import LegacyIssue
from domain.meta import COMMON_FIELDS, LedgerEvent
from domain.personal import PERSONAL_FIELDS, Sealer
from domain.task import Task
from domain.timeliness import Light
from domain.unit import Unit
from projections.views.task_board import light_of

Row = dict[str, Any]


class Exporter:
    """Builds export rows from one ledger as of ``today``."""

    def __init__(self, ledger: Ledger, today: date) -> None:
        self.ledger, self.today = ledger, today
        self.rules = ledger.current_rules()  # with every holiday schedule adopted so far
        self._unit_names: dict[UUID, str] | None = None

    def rows(self, kind: str) -> Iterator[Row]:
        producers: Mapping[str, Callable[[], Iterator[Row]]] = {
            "tasks": self.tasks,
            "complaints": self.complaints,
            "legacy-issues": self.legacy_issues,
            "events": self.events,
        }
        return producers[kind]()

    def tasks(self) -> Iterator[Row]:
        items = current_items(self.ledger, Task)
        for task in sorted(items.values(), key=lambda t: (t.plan_year, t.number or 10**6)):
            light = self.task_light(task)
            yield {
                "id": str(task.id),
                "version": task.version,
                "plan_year": task.plan_year,
                "number": task.number,
                "section": task.section,
                "title": task.title,
                "lead_units": self._names(task.lead_units),
                "cooperating_units": self._names(task.cooperating_units),
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
                "deadline": _iso(task.deadline),
                "status": task.state.value,
                "status_label": label(task.state),
                "progress": task.progress,
                "light": light.value if light else "",
                "light_label": label(light),
                "tier": task.tier.value,
                "tier_label": label(task.tier),
                "urge_count": task.urge_count,
            }

    def complaints(self) -> Iterator[Row]:
        for c in current_items(self.ledger, Complaint).values():
            done = c.closed_on
            yield {
                "id": str(c.id),
                "version": c.version,
                "channel": c.channel.value,
                "channel_label": label(c.channel),
                "summary": c.summary,
                "first_responder": self._name(c.first_responder),
                "accountable_unit": self._name(c.accountable_unit),
                "handling_unit": self._name(c.handling_unit),
                "received_on": c.received_on.isoformat(),
                "close_by": c.close_by.isoformat(),
                "close_by_provisional": c.deadline_provisional,
                "closed_on": _iso(done),
                "status": c.state.value,
                "status_label": label(c.state),
                "overdue": self.rules.is_overdue(c.close_by, self.today, done),
                "returns": c.return_count,
                "reopenings": c.reopen_count,
                "satisfied": c.satisfied,
                "reward_yuan": c.reward,
            }

    def legacy_issues(self) -> Iterator[Row]:
        for issue in current_items(self.ledger, LegacyIssue).values():
            yield {
                "id": str(issue.id),
                "version": issue.version,
                "title": issue.title,
                "category": issue.category.value,
                "category_label": label(issue.category),
                "cause": issue.cause,
                "parties": list(issue.parties),
                "responsible_unit": self._name(issue.responsible_unit),
                "tier": issue.tier.value,
                "tier_label": label(issue.tier),
                "target_year": issue.target_year,
                "baseline": issue.baseline,
                "status": issue.state.value,
                "status_label": label(issue.state),
                "milestones_reached": len(issue.milestones_reached),
                "milestones": len(issue.milestones),
            }

    def events(self) -> Iterator[Row]:
        mask = masking(self.ledger.sealer)
        for position, event in ledger_events(self.ledger):
            yield event_row(position, event, mask)

    def task_light(self, task: Task) -> Light | None:
        """The light of open work, by the same rule as the task board."""
        return light_of(
            self.rules,
            state=task.state.value,
            assigned_on=task.assigned_on,
            deadline=task.deadline,
            progress=task.progress,
            today=self.today,
        )

    def _names(self, unit_ids: tuple[UUID, ...]) -> list[str]:
        return [self._name(u) for u in unit_ids]

    def _name(self, unit_id: UUID | None) -> str:
        if unit_id is None:
            return ""
        if self._unit_names is None:
            units = current_items(self.ledger, Unit)
            self._unit_names = {u.id: u.name for u in units.values()}
        return self._unit_names.get(unit_id, str(unit_id))


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
