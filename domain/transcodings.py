"""How the ledger's own value types are written into stored events (JSON)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.assessment import AssessmentKind, Verdict
from domain.channels import Channel
from domain.enterprise_evaluation import CriterionScore
from domain.escalation import Milestone, Tier
from domain.finding import Finding, FindingKind
from domain.legacy_issue import LegacyCategory
from domain.measure import MeasureKind
from domain.meta import Actor, Role
from domain.person import Person
from domain.quarter_scores import PublishedScore
from domain.unit import UnitKind


class EnumAsValue(Transcoding):
    """Any of the ledger's enums, by its value."""

    def __init__(self, enum_class: type[Enum]) -> None:
        self.type = enum_class
        self.name = f"enum:{enum_class.__name__}"
        self._enum_class = enum_class

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self._enum_class(data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        return {"id": obj.id, "role": obj.role, "unit": obj.unit}

    def decode(self, data: dict[str, Any]) -> Actor:
        return Actor(id=data["id"], role=data["role"], unit=data["unit"])


class MilestoneAsDict(Transcoding):
    type = Milestone
    name = "milestone"

    def encode(self, obj: Milestone) -> dict[str, Any]:
        return {"key": obj.key, "title": obj.title, "due": obj.due}

    def decode(self, data: dict[str, Any]) -> Milestone:
        return Milestone(key=data["key"], title=data["title"], due=data["due"])


class PersonAsDict(Transcoding):
    type = Person
    name = "person"

    def encode(self, obj: Person) -> dict[str, Any]:
        return {"name": obj.name, "post": obj.post, "unit": obj.unit}

    def decode(self, data: dict[str, Any]) -> Person:
        return Person(name=data["name"], post=data["post"], unit=data["unit"])


class FindingAsDict(Transcoding):
    type = Finding
    name = "finding"

    def encode(self, obj: Finding) -> dict[str, Any]:
        return {"item": obj.item, "kind": obj.kind, "founded_on": obj.founded_on}

    def decode(self, data: dict[str, Any]) -> Finding:
        return Finding(item=data["item"], kind=data["kind"], founded_on=data["founded_on"])


class CriterionScoreAsDict(Transcoding):
    type = CriterionScore
    name = "criterion_score"

    def encode(self, obj: CriterionScore) -> dict[str, Any]:
        return {"criterion": obj.criterion, "score": obj.score}

    def decode(self, data: dict[str, Any]) -> CriterionScore:
        return CriterionScore(criterion=data["criterion"], score=data["score"])


class PublishedScoreAsDict(Transcoding):
    type = PublishedScore
    name = "published_score"

    def encode(self, obj: PublishedScore) -> dict[str, Any]:
        return {
            "unit": obj.unit,
            "score": obj.score,
            "rank": obj.rank,
            "rates": dict(obj.rates),
            "parts": dict(obj.parts),
            "rating": obj.rating,
            "evaluations": obj.evaluations,
        }

    def decode(self, data: dict[str, Any]) -> PublishedScore:
        return PublishedScore(
            unit=data["unit"],
            score=data["score"],
            rank=data["rank"],
            rates=data["rates"],
            parts=data["parts"],
            rating=data.get("rating"),
            evaluations=data.get("evaluations", 0),
        )


LEDGER_ENUMS: tuple[type[Enum], ...] = (
    Role,
    UnitKind,
    Channel,
    Tier,
    LegacyCategory,
    AssessmentKind,
    Verdict,
    MeasureKind,
    FindingKind,
)


def register_ledger_transcodings(transcoder: JSONTranscoder) -> None:
    """Teach ``transcoder`` the ledger's dates, enums, actors, milestones, people and
    findings."""
    transcoder.register(DateAsISO())
    transcoder.register(ActorAsDict())
    transcoder.register(MilestoneAsDict())
    transcoder.register(PersonAsDict())
    transcoder.register(FindingAsDict())
    transcoder.register(CriterionScoreAsDict())
    transcoder.register(PublishedScoreAsDict())
    for enum_class in LEDGER_ENUMS:
        transcoder.register(EnumAsValue(enum_class))
