"""The three teams (三支队伍) whose findings come in through the fifth channel.

The work plan names the mechanism (三支队伍监督机制) but not the teams, so they are a list of
the policy (``[[teams]]`` in ``default_policy.toml``): each a key, recorded in the case's
events, and a Chinese name, shown. A deployment's own list replaces the default whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.channels import CHANNEL_LABELS, Channel
from domain.errors import ValidationError

KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""A team's key: lower-case letters, digits and underscores, at most 32 characters."""
LONGEST_NAME = 100


@dataclass(frozen=True)
class Team:
    """One of the three teams (三支队伍): its key and its Chinese name."""

    key: str
    name: str


def teams_from(data: Mapping[str, Any]) -> tuple[Team, ...]:
    """The policy's ``teams``: a list of one or more tables, each a ``key`` and a ``name``,
    no key twice; the first thing wrong is named (``policy.teams[2].key``)."""
    entries = data.get("teams")
    if not isinstance(entries, list) or not entries:
        raise ValidationError("policy.teams", "must be a list of one or more [[teams]] tables")
    teams = tuple(_team(entry, f"policy.teams[{n}]") for n, entry in enumerate(entries))
    keys = [team.key for team in teams]
    for n, key in enumerate(keys):
        if key in keys[:n]:
            raise ValidationError(f"policy.teams[{n}].key", f"{key!r} is named twice")
    return teams


def _team(entry: object, where: str) -> Team:
    if not isinstance(entry, Mapping):
        raise ValidationError(where, "must be a table with a key and a name")
    unknown = sorted(set(entry) - {"key", "name"})
    if unknown:
        raise ValidationError(f"{where}.{unknown[0]}", "is not a setting of a team")
    key, name = entry.get("key"), entry.get("name")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise ValidationError(
            f"{where}.key", f"must be lower-case letters, digits and _ (32 at most), not {key!r}"
        )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > LONGEST_NAME:
        raise ValidationError(f"{where}.name", f"must be a text of 1 to {LONGEST_NAME} characters")
    return Team(key, name.strip())


def team_of_case(channel: Channel, team: str | None, teams: Sequence[Team]) -> str | None:
    """The team a case received through ``channel`` is recorded with: a 三支队伍监督 case
    names one of ``teams`` (by key); a case of any other channel names none. A blank team
    is no team."""
    given = (team or "").strip() or None
    if channel is not Channel.THREE_TEAMS:
        if given is not None:
            label = CHANNEL_LABELS[channel]
            raise ValidationError(
                "team", f"only a 三支队伍监督 case names a team, not a {label} case"
            )
        return None
    keys = ", ".join(t.key for t in teams)
    if given is None:
        raise ValidationError("team", f"a 三支队伍监督 case must name its team: one of {keys}")
    if given not in {t.key for t in teams}:
        raise ValidationError("team", f"{given[:40]!r} is not a team of the policy: one of {keys}")
    return given


def team_named(key: str, teams: Sequence[Team]) -> Team | None:
    """The policy's team of ``key`` (None: the policy no longer lists it)."""
    return next((t for t in teams if t.key == key), None)
