"""三支队伍: the 三支队伍监督 cases' figures by team, as of any business date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from domain.teams import Team, team_named
from projections import tables as t
from projections.running_totals import summed
from projections.views.case_figures import CaseFigures
from projections.views.overdue_cases import overdue_complaints
from projections.views.sign_for_waits import awaiting_past_deadline


@dataclass(frozen=True)
class TeamFigures(CaseFigures):
    """One team's figures as of the day: the cases its members found (三支队伍监督)."""

    key: str
    name: str | None
    """As the policy names it; None for a team the policy no longer lists."""
    counts: dict[str, int]
    overdue: int
    sign_fors_awaited_overdue: int = 0


def team_figures(conn: Connection, as_of: date, teams: Sequence[Team]) -> list[TeamFigures]:
    """Each of ``teams`` (the policy's, in its order, even with no case), then any other
    team a case received by ``as_of`` names (a list changed since), by key."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (team, metric), total in summed(conn, t.team_deltas, ("team", "metric"), as_of).items():
        counts[team][metric] = int(total)
    overdue = overdue_complaints(conn, as_of, "team")
    awaited = awaiting_past_deadline(conn, as_of, "team")
    listed = [team.key for team in teams]
    keys = listed + sorted(k for k in counts if k not in listed)
    return [
        TeamFigures(
            key,
            named.name if (named := team_named(key, teams)) else None,
            counts.get(key, {}),
            overdue.get(key, 0),
            awaited.get(key, 0),
        )
        for key in keys
    ]
