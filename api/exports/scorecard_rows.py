"""The scorecards' sheet (单位考核): every unit's figures for a period, as the export
writes them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from api.exports.item_acts import ItemActs, acts_of, audit_stopped
from api.exports.ledger_columns import SHEETS, Kind
from domain.errors import ValidationError
from domain.period import Period
from projections.views.scorecards import unit_scorecards

FIGURES = [c for c in SHEETS["scorecards"].columns if c.kind is Kind.NUMBER]
ASSESSMENT_LABELS = {
    "results_applied": "成果运用",
    "unit_assessment": "督导考核",
    "enterprise_evaluation": "企业评议",
}


def scorecard_rows(
    conn: Connection, period: str | None, as_of: date | None, unit: str | None
) -> list[dict[str, Any]]:
    """Every unit's scorecard for the period (a unit's staff, ``unit``: their unit's alone)."""
    if as_of is not None:
        raise ValidationError(
            "asOf", "scorecards are by period (a year or a quarter), not as of a day"
        )
    if not period:
        raise ValidationError("period", "is required for scorecards (2021, or 2021-Q2)")
    audit_stopped(conn)
    cards = unit_scorecards(conn, str(Period.parse(period)))
    positions = acts_of(conn, [c.unit for c in cards])
    rows = []
    for card in cards:
        if unit is not None and card.unit != unit:
            continue
        position = positions.get(card.unit, ItemActs()).position
        row: dict[str, Any] = {
            "number": f"KH-{card.period}-{position:06d}",
            "id": card.unit,
            "unit": card.name,
            "period": card.period,
        }
        row.update({c.key: card[c.key] for c in FIGURES})
        row["overdue"], row["overdue_sign_fors"] = card.overdue_tasks, card.overdue_sign_fors
        row["assessments"] = [_assessment(k, s) for k, s in card.assessments.items()]
        rows.append(row)
    return rows


def _assessment(key: str, score: Any) -> str:
    kind, _, period = key.partition(":")
    return f"{ASSESSMENT_LABELS.get(kind, kind)}{f'（{period}）' if period else ''} {score}"
