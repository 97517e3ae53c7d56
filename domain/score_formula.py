"""督导考核奖惩: a unit's score for a period, by the ledger's formula, from its figures.

The formula (one shape, its weights in the policy's ``[assessment_formula]``, named by a
version a publication records with them)::

    score = 100 × Σ wᵢ·rᵢ / Σ wᵢ  −  Σ pⱼ·nⱼ,   kept within 0..100, to one decimal place

- each rate ``rᵢ`` (0 to 1) with its weight ``wᵢ``: ``task_on_time`` (tasks it leads
  closed on time, of those closed or overdue), ``efficiency`` (行政效能: cases it closed
  within their limit, of those it closed), ``rectification`` (整改: founded exposures
  and interview demands due that it met), ``enterprise_rating`` (企业评议: the mean of
  the enterprises' ratings, of 100). A rate with nothing to measure in the period is left
  out and the others weigh in its place; with none, the mean counts as full marks;
- each penalty ``pⱼ`` (points per count ``nⱼ``): ``overdue_tasks`` (open past their
  deadline at the period's end), ``interviews`` (约谈 held), ``referrals`` (移交 made),
  ``once_notice_breaches`` (一次告知), ``late_answers`` (sign-fors and returns late).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from domain.errors import ValidationError

RATES = ("task_on_time", "efficiency", "rectification", "enterprise_rating")
PENALTIES = ("overdue_tasks", "interviews", "referrals", "once_notice_breaches", "late_answers")
FULL_MARKS = "full_marks"
"""The term a unit with no rate to measure is given instead: 100 points (按满分)."""
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
"""A formula version: letters, digits, '.', '_' and '-', at most 32 characters."""
HUNDRED, TENTH = Decimal(100), Decimal("0.1")


@dataclass(frozen=True)
class ScoreFormula:
    """The formula's version and its weights: per rate, its weight; per penalty, the
    points one count of it takes off."""

    version: str
    weights: Mapping[str, Decimal]
    penalties: Mapping[str, Decimal]

    def as_record(self) -> dict[str, str]:
        """Every weight and penalty as text, keyed ``weight.<rate>`` / ``penalty.<name>``:
        what a publication records of the formula it used."""
        record = {f"weight.{k}": str(v) for k, v in self.weights.items()}
        record.update({f"penalty.{k}": str(v) for k, v in self.penalties.items()})
        return record

    @classmethod
    def from_record(cls, version: str, record: Mapping[str, str]) -> ScoreFormula:
        """The formula a publication recorded (``as_record``)."""
        pick: dict[str, dict[str, Decimal]] = {"weight": {}, "penalty": {}}
        for key, value in record.items():
            kind, _, name = key.partition(".")
            pick[kind][name] = Decimal(value)
        return cls(version, pick["weight"], pick["penalty"])


@dataclass(frozen=True)
class Rate:
    """A share: ``met`` of ``due`` (None: nothing due, the rate is left out)."""

    met: Decimal
    due: Decimal

    @property
    def value(self) -> Decimal | None:
        return None if self.due == 0 else min(self.met / self.due, Decimal(1))


@dataclass(frozen=True)
class UnitFigures:
    """What the formula reads of one unit's period."""

    unit: str
    rates: Mapping[str, Rate]
    counts: Mapping[str, int]


@dataclass(frozen=True)
class Component:
    """One term of a unit's score: a rate (``value`` 0-1, or None when left out) with its
    weight, or a penalty's count with its points per count; ``points`` its part of the score
    (a penalty's negative)."""

    key: str
    value: Decimal | None
    weight: Decimal
    points: Decimal


@dataclass(frozen=True)
class UnitScore:
    unit: str
    score: Decimal
    rank: int = 0
    components: tuple[Component, ...] = field(default_factory=tuple)


def score_of(figures: UnitFigures, formula: ScoreFormula) -> UnitScore:
    """The unit's score by ``formula``, with each term's part in it."""
    rates = [(k, figures.rates.get(k, Rate(Decimal(0), Decimal(0))).value) for k in RATES]
    counted = [(k, v) for k, v in rates if v is not None and formula.weights.get(k, 0) > 0]
    total_weight = sum((formula.weights[k] for k, _ in counted), Decimal(0))
    parts: list[tuple[str, Decimal | None, Decimal, Decimal]] = []
    for key, value in rates:
        weight = formula.weights.get(key, Decimal(0))
        share = weight / total_weight if value is not None and weight else Decimal(0)
        parts.append((key, value, weight, HUNDRED * share * (value or 0)))
    if not counted:
        parts.append((FULL_MARKS, None, Decimal(0), HUNDRED))
    for key in PENALTIES:
        n, points = figures.counts.get(key, 0), formula.penalties.get(key, Decimal(0))
        parts.append((key, Decimal(n), points, Decimal(0) - points * n))
    raw = sum((p for *_, p in parts), Decimal(0))
    components = tuple(Component(k, _shown(v), w, _tenth(p)) for k, v, w, p in parts)
    return UnitScore(figures.unit, _tenth(max(Decimal(0), min(HUNDRED, raw))), 0, components)


def ranked(scores: Iterable[UnitScore], names: Mapping[str, str]) -> list[UnitScore]:
    """Highest score first (then by name); equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda s: (-s.score, names.get(s.unit, ""), s.unit))
    out: list[UnitScore] = []
    for n, s in enumerate(ordered, start=1):
        rank = out[-1].rank if out and out[-1].score == s.score else n
        out.append(UnitScore(s.unit, s.score, rank, s.components))
    return out


def formula_from(data: Mapping[str, Any]) -> ScoreFormula:
    """The policy's ``[assessment_formula]``: ``version``, ``[weights]`` (each rate, 0 or
    more, one at least above 0) and ``[penalties]`` (each, 0 or more); the first thing
    wrong is named (``policy.assessment_formula.weights.efficiency``)."""
    where = "policy.assessment_formula"
    table = data.get("assessment_formula")
    if not isinstance(table, Mapping):
        raise ValidationError(where, "must be a table")
    version = table.get("version")
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        raise ValidationError(f"{where}.version", "must be letters, digits, . _ - (32 at most)")
    weights = _numbers(table, "weights", RATES, where)
    if not any(weights.values()):
        raise ValidationError(f"{where}.weights", "at least one weight must be above 0")
    return ScoreFormula(version, weights, _numbers(table, "penalties", PENALTIES, where))


def _numbers(
    table: Mapping[str, Any], name: str, keys: tuple[str, ...], where: str
) -> dict[str, Decimal]:
    entries = table.get(name)
    if not isinstance(entries, Mapping):
        raise ValidationError(f"{where}.{name}", "must be a table")
    unknown = sorted(set(entries) - set(keys))
    if unknown:
        raise ValidationError(f"{where}.{name}.{unknown[0]}", f"is not one of {', '.join(keys)}")
    return {key: _number(entries.get(key, 0), f"{where}.{name}.{key}") for key in keys}


def _number(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(where, "must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str of an int or float always parses
        raise ValidationError(where, "must be a number") from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1000):
        raise ValidationError(where, "must be between 0 and 1000")
    return number


def _shown(value: Decimal | None) -> Decimal | None:
    """A rate or count as shown: to four decimal places at most, no trailing zeros."""
    if value is None:
        return None
    shown = value.quantize(Decimal("0.0001")).normalize()
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown


def _tenth(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
