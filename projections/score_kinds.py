"""How enterprise evaluations and published quarterly scores appear in the read models."""

from __future__ import annotations

from typing import Any

from domain.enterprise_evaluation import EnterpriseEvaluation
from domain.quarter_scores import PublishedScore, QuarterScores
from projections import score_tables as st
from projections.item_kind import Kind, Rows
from projections.item_state import id_text
from projections.projection import Change


class EvaluationKind(Kind[EnterpriseEvaluation]):
    item_class, table = EnterpriseEvaluation, st.enterprise_evaluations

    def columns(self, e: EnterpriseEvaluation) -> dict[str, Any]:
        return {
            "enterprise": e.enterprise,
            "unit": id_text(e.unit),
            "quarter": e.quarter,
            "mean": e.mean,
            "scores": [{"criterion": s.criterion, "score": str(s.score)} for s in e.scores],
            "recorded_on": e.recorded_on,
        }


class QuarterScoresKind(Kind[QuarterScores]):
    item_class, table = QuarterScores, st.quarter_scores

    def columns(self, q: QuarterScores) -> dict[str, Any]:
        return {
            "quarter": q.quarter,
            "formula_version": q.formula_version,
            "formula": dict(q.formula),
            "published_on": q.published_on,
            "first_published_on": q.first_published_on,
            "publications": q.publications,
            "scores": [_score_row(s) for s in q.scores],
        }

    def side_rows(self, change: Change, q: QuarterScores) -> Rows:
        return [
            (
                st.score_formulas,
                {
                    "version": q.formula_version,
                    "formula": dict(q.formula),
                    "last_published_on": q.published_on,
                },
            )
        ]


def _score_row(s: PublishedScore) -> dict[str, Any]:
    return {
        "unit": id_text(s.unit),
        "score": str(s.score),
        "rank": s.rank,
        "rates": dict(s.rates),
        "parts": dict(s.parts),
        "rating": None if s.rating is None else str(s.rating),
        "evaluations": s.evaluations,
    }
