"""The figures of a set of cases as of a day, from their dated totals: a channel's
(``overview.ChannelFigures``) and a team's (``team_figures.TeamFigures``) alike."""

from __future__ import annotations

from projections import rates


class CaseFigures:
    """What the counts of cases (the dated totals summed up to the day), the cases open
    past their deadline and the dispatches awaited past their sign-for deadline show."""

    counts: dict[str, int]
    overdue: int
    sign_fors_awaited_overdue: int
    """Dispatches awaiting their sign-for on the day, past its deadline."""

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)

    @property
    def open(self) -> int:
        return rates.open_cases(self.counts)

    @property
    def closed(self) -> int:
        return self.counts.get("closed", 0)

    @property
    def returned(self) -> int:
        return self.counts.get("returned", 0)

    @property
    def sign_for_overdue(self) -> int:
        """跟踪问效: sign-fors recorded after their deadline by the day, and dispatches
        still awaiting their sign-for past it on the day."""
        return self.counts.get("late_sign_fors", 0) + self.sign_fors_awaited_overdue

    @property
    def return_overdue(self) -> int:
        """跟踪问效: returns (退单) recorded after their deadline by the day."""
        return self.counts.get("late_returns", 0)

    @property
    def founded(self) -> int:
        """Cases verified as founded (their finding stands), whether rectified yet or not."""
        return self.counts.get("to_rectify", 0)

    @property
    def rectified(self) -> int:
        return self.counts.get("rectified", 0)

    @property
    def rectification_rate(self) -> float | None:
        return rates.rectification_rate(self.counts)

    @property
    def on_time_rate(self) -> float | None:
        return rates.on_time_rate(self.counts)

    @property
    def satisfaction_rate(self) -> float | None:
        return rates.satisfaction_rate(self.counts)

    @property
    def rewards(self) -> int:
        return self.counts.get("rewarded", 0)

    @property
    def reward_yuan(self) -> int:
        return self.counts.get("reward_yuan", 0)

    @property
    def mean_reply_working_days(self) -> float | None:
        return rates.mean_reply_working_days(self.counts)
