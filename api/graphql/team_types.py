"""三支队伍 in GraphQL: the policy's teams, a case's team and the figures by team."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from domain.teams import Team as PolicyTeam
from domain.teams import team_named
from projections.views import team_figures as tf


@strawberry.type(
    description="One of the three teams (三支队伍) whose findings come in through the "
    "三支队伍监督 channel, as the policy lists them (`[[teams]]` of the policy file)."
)
class Team:
    key: str = strawberry.field(description="What a case records: `team` of receiveComplaint.")
    name: str | None = strawberry.field(
        description="Its Chinese name (营商环境监督员); null for a team the policy in force no "
        "longer lists."
    )

    @classmethod
    def of(cls, key: str, teams: Sequence[PolicyTeam]) -> Team:
        named = team_named(key, teams)
        return cls(key=key, name=named.name if named else None)


@strawberry.type(
    description="三支队伍: one team's findings (its 三支队伍监督 cases) as of the day, counted "
    "as a channel's are (rates in percent, 四舍五入)."
)
class TeamFigures:
    key: str = strawberry.field(description="The team's key, as its cases record it.")
    name: str | None = strawberry.field(
        description="As the policy names it; null for a team the policy no longer lists."
    )
    received: int
    open: int
    overdue: int = strawberry.field(description="Open past the deadline to close on asOf.")
    closed: int
    returned: int = strawberry.field(description="退单.")
    founded: int = strawberry.field(description="Verified as founded (the finding stands).")
    rectified: int
    rectification_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None = strawberry.field(description="Call-back satisfaction.")
    sign_for_overdue: int = strawberry.field(description="As ChannelFigures.signForOverdue.")
    return_overdue: int = strawberry.field(description="As ChannelFigures.returnOverdue.")

    @classmethod
    def of(cls, f: tf.TeamFigures) -> TeamFigures:
        return cls(
            key=f.key,
            name=f.name,
            received=f.received,
            open=f.open,
            overdue=f.overdue,
            closed=f.closed,
            returned=f.returned,
            founded=f.founded,
            rectified=f.rectified,
            rectification_rate=f.rectification_rate,
            on_time_rate=f.on_time_rate,
            satisfaction_rate=f.satisfaction_rate,
            sign_for_overdue=f.sign_for_overdue,
            return_overdue=f.return_overdue,
        )
