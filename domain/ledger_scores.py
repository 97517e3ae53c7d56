"""Ledger commands on units' quarterly scores (督导考核奖惩, 结果公开发布).

The scores come from the figures the read models hold, by the policy's formula: the
service (``api.bootstrap``) gives the ledger the means to read them (``scores_from``), a
port the domain calls and does not implement. Before the command runs, the API lets the
read models reach the log's end (``reads_views``), so every act recorded before counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.commands import command
from domain.errors import ValidationError
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.meta import EventMeta
from domain.quarter_scores import (
    PublishedScore,
    QuarterScores,
    ended_quarter,
    quarter_of,
    quarter_scores_id_for,
)
from domain.score_formula import ScoreFormula

QuarterScorer = Callable[[str, ScoreFormula], Sequence[PublishedScore]]
"""Every unit's score for a quarter by a formula, ranked, from the read models."""


class ScoreCommands(LedgerBase):
    """The publication of a quarter's unit scores."""

    _scorer: QuarterScorer | None = None

    def score_with(self, scorer: QuarterScorer) -> None:
        """Read units' scores with ``scorer`` (the wiring gives it the read models')."""
        self._scorer = scorer

    @command(creates=QuarterScores, reads_views=True)
    def publish_quarter_scores(
        self, ctx: CommandContext, *, quarter: str, reason: str = ""
    ) -> Written:
        """Publish every unit's score for a quarter that has ended (2021-Q2), computed from
        the ledger's figures by the policy's formula, whose version and weights are recorded
        with them (结果公开发布). Published again, with the reason, when the figures were
        corrected or the formula changed; the league shows the latest. A reason given with
        the first publication is kept as its note."""
        period = str(quarter_of(quarter))
        formula = self.policy.assessment_formula
        item_id = quarter_scores_id_for(period)
        if not self.exists(item_id):
            return self._create(
                ctx,
                lambda m: QuarterScores.publish(
                    quarter=period,
                    formula_version=formula.version,
                    formula=formula.as_record(),
                    scores=self._scores(m, period, formula),
                    meta=m,
                    note=reason,
                ),
            )
        return self._change(
            QuarterScores,
            item_id,
            ctx,
            lambda q, m: q.republish(
                formula_version=formula.version,
                formula=formula.as_record(),
                scores=self._scores(m, period, formula),
                reason=reason,
                meta=m,
            ),
        )

    def _scores(self, meta: EventMeta, quarter: str, formula: ScoreFormula) -> list[PublishedScore]:
        ended_quarter(quarter, meta.business_date)
        if self._scorer is None:
            raise ValidationError(
                "quarter", "scores are computed from the read models: publish through the service"
            )
        return list(self._scorer(quarter, formula))
