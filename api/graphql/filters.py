"""The filters people use on each list, turned into read-model criteria."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta

import strawberry
from strawberry.utils.str_converters import to_camel_case

from api.graphql.enums import (
    AssessmentKind,
    Channel,
    ComplaintState,
    EnterpriseState,
    InterviewState,
    LegacyCategory,
    LegacyState,
    Light,
    MeasureKind,
    MeasureState,
    ReferralState,
    TaskState,
    Tier,
)
from api.graphql.global_ids import item_uuid
from api.graphql.moments import checked_optional, utc_moment
from domain.errors import ValidationError
from domain.text import check_text
from projections.views.audit_index import AuditFilter
from projections.views.listing import Criteria

MAX_POSITIONS = 500
"""The most log positions one filter of the audit trail may name."""


class TextChecked:
    """Every filter's text, checked as it is made, before anything is read: a text the
    ledger never records (NUL, another control character but tab and newline, DEL, a lone
    surrogate) is refused naming the field (``filter.actorId``), not sent to the database
    (which cannot encode a lone surrogate, nor PostgreSQL a NUL: "Unexpected error.").
    Such a text matches nothing anyway. Every filter input derives from this class, so a
    text field added later is checked too."""

    def __post_init__(self) -> None:
        for field in fields(self):  # type: ignore[arg-type]  # every filter is a dataclass
            value = getattr(self, field.name)
            texts = value if isinstance(value, list) else [value]
            for text in texts:
                if isinstance(text, str):
                    check_text(f"filter.{to_camel_case(field.name)}", text)


def _unit(value: strawberry.ID | None) -> str | None:
    return None if value is None else str(item_uuid("filter.unit", str(value), "Unit"))


def _values(enums: list[object] | None) -> list[object] | None:
    return None if enums is None else [getattr(e, "value", e) for e in enums]


def _criteria(
    unit: strawberry.ID | None,
    one_of: dict[str, list[object] | None],
    equal: dict[str, object | None] | None = None,
    between: dict[str, tuple[object, object]] | None = None,
) -> Criteria:
    return Criteria(
        equal={k: v for k, v in (equal or {}).items() if v is not None},
        one_of={k: _values(v) or [] for k, v in one_of.items() if v is not None},
        between={k: b for k, b in (between or {}).items() if b != (None, None)},
        unit=_unit(unit),
    )


@strawberry.input(description="Every field left out matches everything.")
class TaskFilter(TextChecked):
    unit: strawberry.ID | None = strawberry.field(
        default=None, description="Tasks the unit leads or cooperates on."
    )
    states: list[TaskState] | None = None
    lights: list[Light] | None = strawberry.field(default=None, description="As of today.")
    plan_year: int | None = None
    tiers: list[Tier] | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None

    def criteria(self) -> Criteria:
        return _criteria(
            self.unit,
            {"state": self.states, "tier": self.tiers},  # type: ignore[dict-item]
            {"plan_year": self.plan_year},
            {"deadline": (self.deadline_from, self.deadline_to)},
        )


@strawberry.input(description="Every field left out matches everything.")
class ComplaintFilter(TextChecked):
    unit: strawberry.ID | None = strawberry.field(
        default=None,
        description="Cases the unit took first, answers for, handles or is the subject of.",
    )
    channels: list[Channel] | None = None
    teams: list[str] | None = strawberry.field(
        default=None,
        description="三支队伍监督 cases of these teams (their keys); other channels' cases name "
        "no team.",
    )
    enterprise: strawberry.ID | None = strawberry.field(
        default=None, description="Cases naming this registered enterprise (`Enterprise:<uuid>`)."
    )
    states: list[ComplaintState] | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue_only: bool = strawberry.field(
        default=False, description="Only cases open past their deadline, as of today."
    )

    def criteria(self, today: date) -> Criteria:
        criteria = _criteria(
            self.unit,
            {"channel": self.channels, "team": self.teams, "state": self.states},  # type: ignore[dict-item]
            between={"received_on": (self.received_from, self.received_to)},
        )
        if self.enterprise is not None:
            named = item_uuid("filter.enterprise", str(self.enterprise), "Enterprise")
            criteria.equal["enterprise"] = str(named)
        if self.overdue_only:
            criteria.equal["closed_on"] = None
            criteria.between["close_by"] = (None, today - timedelta(days=1))
        return criteria


@strawberry.input(description="Every field left out matches everything.")
class LegacyIssueFilter(TextChecked):
    unit: strawberry.ID | None = strawberry.field(default=None, description="The responsible unit.")
    categories: list[LegacyCategory] | None = None
    states: list[LegacyState] | None = None
    tiers: list[Tier] | None = None
    target_year: int | None = None
    baseline: bool | None = None
    registered_from: date | None = None
    registered_to: date | None = None

    def criteria(self) -> Criteria:
        return _criteria(
            self.unit,
            {"category": self.categories, "state": self.states, "tier": self.tiers},  # type: ignore[dict-item]
            {"target_year": self.target_year, "baseline": self.baseline},
            {"registered_on": (self.registered_from, self.registered_to)},
        )


@strawberry.input(description="Every field left out matches everything.")
class InterviewFilter(TextChecked):
    unit: strawberry.ID | None = None
    states: list[InterviewState] | None = None
    scheduled_from: datetime | None = None
    scheduled_to: datetime | None = None

    def criteria(self) -> Criteria:
        return _criteria(
            self.unit,
            {"state": self.states},  # type: ignore[dict-item]
            between={
                "scheduled_for": (
                    utc_moment("filter.scheduledFrom", self.scheduled_from),
                    utc_moment("filter.scheduledTo", self.scheduled_to),
                )
            },
        )


@strawberry.input(description="Every field left out matches everything.")
class ReferralFilter(TextChecked):
    unit: strawberry.ID | None = None
    states: list[ReferralState] | None = None

    def criteria(self) -> Criteria:
        return _criteria(self.unit, {"state": self.states})  # type: ignore[dict-item]


@strawberry.input(description="Every field left out matches everything.")
class AssessmentFilter(TextChecked):
    unit: strawberry.ID | None = None
    period: str | None = strawberry.field(default=None, description="As 2021 or 2021-Q2.")
    kinds: list[AssessmentKind] | None = None

    def criteria(self) -> Criteria:
        return _criteria(self.unit, {"kind": self.kinds}, {"period": self.period})  # type: ignore[dict-item]


@strawberry.input(description="Every field left out matches everything.")
class MeasureFilter(TextChecked):
    unit: strawberry.ID | None = strawberry.field(default=None, description="The responsible unit.")
    states: list[MeasureState] | None = None
    kinds: list[MeasureKind] | None = None
    proposed_from: date | None = None
    proposed_to: date | None = None

    def criteria(self) -> Criteria:
        return _criteria(
            self.unit,
            {"state": self.states, "kind": self.kinds},  # type: ignore[dict-item]
            between={"proposed_on": (self.proposed_from, self.proposed_to)},
        )


@strawberry.input(description="Every field left out matches everything.")
class EnterpriseFilter(TextChecked):
    unit: strawberry.ID | None = strawberry.field(
        default=None,
        description="Enterprises the unit serves, or whose last contract binds it.",
    )
    states: list[EnterpriseState] | None = None

    def criteria(self) -> Criteria:
        return _criteria(self.unit, {"state": self.states})  # type: ignore[dict-item]


@strawberry.input(description="The audit trail's filter; every field left out matches everything.")
class EventFilter(TextChecked):
    actor_id: str | None = None
    unit: strawberry.ID | None = strawberry.field(default=None, description="The actor's unit.")
    item_id: strawberry.ID | None = None
    item_type: str | None = None
    event_type: str | None = strawberry.field(default=None, description="As `Assigned`.")
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    known_at: datetime | None = strawberry.field(
        default=None, description="Only what had been recorded by then."
    )
    backdated_only: bool = False
    exclude_imported: bool = strawberry.field(
        default=False,
        description="Leave out the entries entered from an earlier record (`imported`: a "
        "plan's seed, records carried over).",
    )
    positions: list[int] | None = strawberry.field(
        default=None,
        description="Only the entries at these log positions (as a referral's `evidence`); "
        f"at most {MAX_POSITIONS}.",
    )

    def audit_filter(self) -> AuditFilter:
        item = None if self.item_id is None else str(item_uuid("filter.itemId", str(self.item_id)))
        return AuditFilter(
            actor_id=self.actor_id,
            unit=_unit(self.unit),
            item_id=item,
            item_type=self.item_type,
            event_type=self.event_type,
            occurred_from=checked_optional("filter.occurredFrom", self.occurred_from),
            occurred_to=checked_optional("filter.occurredTo", self.occurred_to),
            recorded_from=checked_optional("filter.recordedFrom", self.recorded_from),
            recorded_to=checked_optional("filter.recordedTo", self.recorded_to),
            known_at=checked_optional("filter.knownAt", self.known_at),
            backdated_only=self.backdated_only,
            exclude_imported=self.exclude_imported,
            positions=_positions(self.positions),
        )


def _positions(given: list[int] | None) -> tuple[int, ...] | None:
    if given is not None and len(given) > MAX_POSITIONS:
        raise ValidationError("filter.positions", f"names {len(given)}, at most {MAX_POSITIONS}")
    return None if given is None else tuple(sorted(set(given)))
