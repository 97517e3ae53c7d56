"""Unit (责任单位): a responsible unit, as 区直部门, 街道 or 驻区单位."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import ValidationError
from domain.ids import UnitId
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.text import id_from_text


class UnitKind(Enum):
    """What sort of unit it is."""

    DEPARTMENT = "department"
    SUBDISTRICT = "subdistrict"
    STATIONED = "stationed"
    ENTERPRISE = "enterprise"


GROUP_LABELS = {
    UnitKind.DEPARTMENT: "区直各部门各单位",
    UnitKind.SUBDISTRICT: "各街道",
    UnitKind.STATIONED: "各驻区单位",
    UnitKind.ENTERPRISE: "各区属企业",
}
"""How a plan names every unit of a kind at once, as a task's cooperating group."""


class UnitState(Enum):
    ACTIVE = "active"
    MERGED = "merged"


def unit_id_for(name: str) -> UnitId:
    """The stable id of the unit first registered under ``name``."""
    return UnitId(id_from_text("unit", "name", name))


class Unit(LedgerItem):
    """A unit that leads, cooperates on or answers for supervised items.

    Units are renamed and merged over the years; the history keeps every name.
    """

    item_type = "Unit"

    class Registered(LedgerCreated):
        name: str
        kind: UnitKind

        def apply(self, unit: Unit) -> None:
            unit.name = self.name
            unit.kind = self.kind
            unit.former_names = ()
            unit.merged_into = None
            unit.state = UnitState.ACTIVE

    class Renamed(LedgerEvent):
        name: str

        def apply(self, unit: Unit) -> None:
            unit.former_names = (*unit.former_names, unit.name)
            unit.name = self.name

    class Merged(LedgerEvent):
        into: UUID

        def apply(self, unit: Unit) -> None:
            unit.merged_into = self.into
            unit.state = UnitState.MERGED

    if TYPE_CHECKING:  # state set by the events; no dataclass __init__
        name: str
        kind: UnitKind
        former_names: tuple[str, ...]
        merged_into: UUID | None
        state: UnitState

    @classmethod
    def register(cls, name: str, kind: UnitKind, meta: EventMeta) -> Unit:
        return cls._start(
            cls.Registered, meta, unit_id_for(_clean(name)), name=_clean(name), kind=kind
        )

    def rename(self, name: str, meta: EventMeta) -> None:
        self._require("rename", UnitState.ACTIVE)
        if _clean(name) == self.name:
            raise ValidationError("name", "is the unit's current name")
        self._emit(self.Renamed, meta, name=_clean(name))

    def merge_into(self, other: UUID, meta: EventMeta) -> None:
        self._require("merge", UnitState.ACTIVE)
        if other == self.id:
            raise ValidationError("into", "a unit cannot merge into itself")
        self._emit(self.Merged, meta, into=other)


def _clean(name: Any) -> str:
    text = str(name).strip()
    if not text:
        raise ValidationError("name", "must not be empty")
    return text
