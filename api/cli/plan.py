"""A work plan as data: read from TOML, checked whole before anything is written."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from domain.errors import LedgerError
from domain.escalation import Milestone
from domain.unit import UnitKind

BUILTIN_PLANS = {"changxing-2021": "changxing-2021.toml"}


class PlanError(LedgerError):
    """The plan file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class PlanTask:
    number: int
    section: str
    title: str
    description: str
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    cooperation_note: str
    deadline: date
    milestones: tuple[Milestone, ...]
    cooperating_groups: tuple[UnitKind, ...] = ()
    """The kinds of unit the note names as a whole (各街道: every SUBDISTRICT)."""


@dataclass(frozen=True)
class PlanTarget:
    year: int
    goal: str
    due: date
    required_resolved_percent: int | None


@dataclass(frozen=True)
class Plan:
    """A year's work plan: its units, items and legacy-issue targets."""

    key: str
    title: str
    year: int
    issued_on: date
    issued_by: str
    units: tuple[tuple[str, UnitKind], ...]
    tasks: tuple[PlanTask, ...]
    targets: tuple[PlanTarget, ...]


def builtin_plan(name: str) -> Plan:
    if name not in BUILTIN_PLANS:
        raise PlanError(f"no built-in plan {name!r}; known: {', '.join(BUILTIN_PLANS)}")
    text = files("api").joinpath("seeds", BUILTIN_PLANS[name]).read_text(encoding="utf-8")
    return parse_plan(name, tomllib.loads(text), source=name)


def read_plan(path: Path) -> Plan:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"no plan file {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PlanError(f"{path} is not valid TOML: {error}") from None
    return parse_plan(path.stem, data, source=str(path))


def parse_plan(key: str, data: Mapping[str, Any], *, source: str) -> Plan:
    f = _Fields(source)
    issued_on = f.date(data, "issued_on")
    units = tuple(
        (f.text(u, f"units[{i}].name"), f.kind(u, f"units[{i}].kind"))
        for i, u in enumerate(f.tables(data, "units"))
    )
    tasks = tuple(
        _task(f, t, f"tasks[{i}]", issued_on) for i, t in enumerate(f.tables(data, "tasks"))
    )
    numbers = [t.number for t in tasks]
    if len(set(numbers)) != len(numbers):
        raise PlanError(f"{source}: tasks: item numbers must be unique")
    targets = tuple(
        _target(f, t, f"legacy_targets[{i}]")
        for i, t in enumerate(f.tables(data, "legacy_targets", required=False))
    )
    return Plan(
        key=key,
        title=f.text(data, "plan"),
        year=f.integer(data, "year"),
        issued_on=issued_on,
        issued_by=f.text(data, "issued_by"),
        units=units,
        tasks=tasks,
        targets=targets,
    )


def _task(f: _Fields, t: Mapping[str, Any], where: str, issued_on: date) -> PlanTask:
    deadline = f.date(t, f"{where}.deadline")
    if deadline <= issued_on:
        raise PlanError(
            f"{f.source}: {where}.deadline: {deadline} is not after the plan "
            f"was issued ({issued_on})"
        )
    milestones = tuple(
        Milestone(
            key=f.text(m, f"{where}.milestones[{j}].key"),
            title=f.text(m, f"{where}.milestones[{j}].title"),
            due=f.date(m, f"{where}.milestones[{j}].due"),
        )
        for j, m in enumerate(f.tables(t, f"{where}.milestones", required=False))
    )
    return PlanTask(
        number=f.integer(t, f"{where}.number"),
        section=f.text(t, f"{where}.section"),
        title=f.text(t, f"{where}.title"),
        description=f.text(t, f"{where}.description", blank=True),
        lead_units=f.names(t, f"{where}.lead_units", required=True),
        cooperating_units=f.names(t, f"{where}.cooperating_units"),
        cooperation_note=f.text(t, f"{where}.cooperation_note", blank=True),
        deadline=deadline,
        milestones=milestones,
        cooperating_groups=f.kinds(t, f"{where}.cooperating_groups"),
    )


def _target(f: _Fields, t: Mapping[str, Any], where: str) -> PlanTarget:
    percent = t.get("required_resolved_percent")
    return PlanTarget(
        year=f.integer(t, f"{where}.year"),
        goal=f.text(t, f"{where}.goal"),
        due=f.date(t, f"{where}.due"),
        required_resolved_percent=None
        if percent is None
        else f.integer(t, f"{where}.required_resolved_percent"),
    )


class _Fields:
    """Typed access to parsed TOML that names the file and field when a value is wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def _get(
        self, table: Mapping[str, Any], path: str, kind: type | tuple[type, ...], what: str
    ) -> Any:
        value = table.get(_key(path))
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise PlanError(f"{self.source}: {path}: expected {what}, got {value!r}")
        return value

    def text(self, table: Mapping[str, Any], path: str, *, blank: bool = False) -> str:
        """A text field; with ``blank=True`` it may be empty or left out."""
        if blank and _key(path) not in table:
            return ""
        value: str = self._get(table, path, str, "text")
        if not blank and not value.strip():
            raise PlanError(f"{self.source}: {path}: must not be empty")
        return value.strip()

    def integer(self, table: Mapping[str, Any], path: str) -> int:
        value: int = self._get(table, path, int, "a whole number")
        return value

    def date(self, table: Mapping[str, Any], path: str) -> date:
        value = self._get(table, path, date, "a date (YYYY-MM-DD)")
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise PlanError(f"{self.source}: {path}: expected a date, not a date-time")
        return value

    def kind(self, table: Mapping[str, Any], path: str) -> UnitKind:
        return self._kind(self.text(table, path), path)

    def kinds(self, table: Mapping[str, Any], path: str) -> tuple[UnitKind, ...]:
        """A list of kinds of unit (``["subdistrict", "stationed"]``); none when left out."""
        value = table.get(_key(path), [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PlanError(f"{self.source}: {path}: expected a list of kinds of unit")
        return tuple(self._kind(v.strip(), path) for v in value)

    def _kind(self, value: str, path: str) -> UnitKind:
        try:
            return UnitKind(value)
        except ValueError:
            known = ", ".join(k.value for k in UnitKind)
            raise PlanError(f"{self.source}: {path}: {value!r} is not one of {known}") from None

    def names(
        self, table: Mapping[str, Any], path: str, *, required: bool = False
    ) -> tuple[str, ...]:
        value = table.get(_key(path), [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise PlanError(f"{self.source}: {path}: expected a list of unit names")
        if required and not value:
            raise PlanError(f"{self.source}: {path}: at least one unit is needed")
        return tuple(v.strip() for v in value)

    def tables(
        self, table: Mapping[str, Any], path: str, *, required: bool = True
    ) -> Sequence[Mapping[str, Any]]:
        value = table.get(_key(path), None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise PlanError(f"{self.source}: {path}: expected a list of tables")
        return value


def _key(path: str) -> str:
    """The key a field path ends in: ``tasks[3].deadline`` -> ``deadline``."""
    return path.rsplit(".", 1)[-1].split("[", maxsplit=1)[0]
