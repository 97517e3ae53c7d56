"""Deadlines, overdue status and the green / yellow / red light.

All of them are computed here from the policy and the working-day calendar;
no caller ever types one in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.calendar import WorkingDayCalendar
from domain.channels import Channel
from domain.policy import ChannelLimits, Policy


class Light(Enum):
    """Green on track; yellow near the deadline or lagging; red overdue."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_LABELS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}


@dataclass(frozen=True)
class TimeRules:
    """The policy and the calendar, together: everything a deadline needs."""

    policy: Policy
    calendar: WorkingDayCalendar

    def limits(self, channel: Channel) -> ChannelLimits:
        return self.policy.limits(channel)

    def due(self, start: date, working_days: int) -> date:
        """The last day of a limit of ``working_days`` counted from ``start``."""
        return self.calendar.add_working_days(start, working_days)

    def decision_due(self, requested_on: date) -> date | None:
        """The last day to decide an extension requested on ``requested_on`` before it is
        deemed approved (超时默许); None when the policy does not deem them approved."""
        rules = self.policy.timed_acts
        if not rules.extensions_deemed_approved:
            return None
        return self.due(requested_on, rules.decision_working_days)

    def is_overdue(self, deadline: date, today: date, done_on: date | None = None) -> bool:
        """Overdue when the deadline passed before the work was done (or today)."""
        return (done_on or today) > deadline

    def light(
        self, *, start: date, deadline: date, today: date, progress: int | None = None
    ) -> Light:
        """The light of open work that started on ``start`` and is due on ``deadline``.

        Red once ``today`` is past the deadline. Yellow when the deadline is
        within ``yellow_within_working_days`` working days, or when ``progress``
        (percent) trails the share of working days elapsed by more than
        ``progress_lag_points``. Green otherwise.
        """
        if today > deadline:
            return Light.RED
        left = self.calendar.working_days_between(today, deadline)
        if left <= self.policy.yellow_within_working_days:
            return Light.YELLOW
        if progress is not None and self._lags(start, deadline, today, progress):
            return Light.YELLOW
        return Light.GREEN

    def milestone_light(
        self, *, start: date, due: date, today: date, reached_on: date | None
    ) -> Light | None:
        """The light of a dated milestone (节点) of open work that started on ``start``:
        none once it is reached (by ``today``); otherwise the light of open work due on the
        milestone's day, by that day alone (a milestone reports no progress of its own)."""
        if reached_on is not None and reached_on <= today:
            return None
        return self.light(start=start, deadline=due, today=today)

    def milestone_missed(
        self, *, due: date, today: date, reached_on: date | None, closed_on: date | None = None
    ) -> bool:
        """Whether a milestone due on ``due`` is missed as of ``today``: its day has passed
        and it was not reached by then, nor the whole work closed (销号) by then. One reached
        after its day stays missed (missed, then reached late); a reaching or closing after
        ``today`` is not known on ``today``."""
        done = [day for day in (reached_on, closed_on) if day is not None and day <= today]
        return self.is_overdue(due, today, min(done, default=None))

    def _lags(self, start: date, deadline: date, today: date, progress: int) -> bool:
        total = self.calendar.working_days_between(start, deadline)
        if total <= 0:
            return False
        elapsed = max(0, self.calendar.working_days_between(start, today))
        expected = 100 * elapsed / total
        return progress + self.policy.progress_lag_points < expected
