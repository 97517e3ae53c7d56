"""The policy: per-channel working-day limits, the light thresholds, and the limits on
what a command may record (the longest text and the longest list of each field).

The defaults live in ``default_policy.toml`` beside this module; a deployment
overrides any value with its own file. This module only parses and checks the
mapping read from those files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from domain.channels import Channel
from domain.errors import ValidationError
from domain.intakes import Intake, intakes_from
from domain.score_formula import ScoreFormula, formula_from
from domain.teams import Team, teams_from
from domain.timed_acts import TimedActRules, timed_act_rules_from


@dataclass(frozen=True)
class ChannelLimits:
    """Working-day limits for one complaint channel."""

    sign_for: int
    return_: int
    first_reply: int
    close: int
    max_extension: int


@dataclass(frozen=True)
class InterviewCriteria:
    """When a unit is listed as a candidate for an interview (约谈)."""

    overdue_tasks: int
    unrectified_exposures: int
    bad_reviews: int
    bad_review_window_days: int


@dataclass(frozen=True)
class ReferralCriteria:
    """When a unit is listed as a candidate for referral to discipline inspection (情节严重)."""

    unmet_rectifications: int
    red_tasks_after_interview: int


OTHER = "other"
"""The limit of a field the policy does not name."""


@dataclass(frozen=True)
class InputLimits:
    """The most a command may record: characters per text field (and per entry of a list
    of texts), entries per list field. A field not named takes the ``other`` limit."""

    text: Mapping[str, int]
    lists: Mapping[str, int]

    def characters(self, field: str) -> int:
        """The longest text ``field`` (or one entry of it, for a list) may hold."""
        return self.text.get(field, self.text[OTHER])

    def entries(self, field: str) -> int:
        """The most entries list ``field`` may hold."""
        return self.lists.get(field, self.lists[OTHER])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> InputLimits:
        inputs = _table(data, "inputs")
        return cls(
            text=_limits(_table(inputs, "text", within="inputs."), "inputs.text"),
            lists=_limits(_table(inputs, "lists", within="inputs."), "inputs.lists"),
        )


@dataclass(frozen=True)
class Policy:
    """Every time limit and threshold the ledger computes with."""

    max_backdate_days: int
    yellow_within_working_days: int
    progress_lag_points: int
    channels: Mapping[Channel, ChannelLimits]
    interview_criteria: InterviewCriteria
    referral_criteria: ReferralCriteria
    backdated_after_hours: int
    inputs: InputLimits
    teams: tuple[Team, ...]
    """The three teams (三支队伍) a 三支队伍监督 case names one of."""
    intakes: tuple[Intake, ...]
    """The intake lines (受理专线: the 24-hour line) a case may name, each with its channel
    and its limit to receipt in clock hours."""
    timed_acts: TimedActRules
    """What the ledger's clock records when a limit passes (限时办结, 超时默许)."""
    assessment_formula: ScoreFormula
    """督导考核奖惩: the version and weights units' scores are computed with."""

    def limits(self, channel: Channel) -> ChannelLimits:
        return self.channels[channel]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        """Build a policy from parsed TOML, naming the first bad or missing key."""
        channels = _table(data, "channels")
        return cls(
            max_backdate_days=_count(data, "business_time", "max_backdate_days"),
            yellow_within_working_days=_count(data, "lights", "yellow_within_working_days"),
            progress_lag_points=_count(data, "lights", "progress_lag_points"),
            channels={c: _channel_limits(channels, c) for c in Channel},
            interview_criteria=InterviewCriteria(
                overdue_tasks=_count(data, "interview_criteria", "overdue_tasks"),
                unrectified_exposures=_count(data, "interview_criteria", "unrectified_exposures"),
                bad_reviews=_count(data, "interview_criteria", "bad_reviews"),
                bad_review_window_days=_count(data, "interview_criteria", "bad_review_window_days"),
            ),
            referral_criteria=ReferralCriteria(
                unmet_rectifications=_count(data, "referral_criteria", "unmet_rectifications"),
                red_tasks_after_interview=_count(
                    data, "referral_criteria", "red_tasks_after_interview"
                ),
            ),
            backdated_after_hours=_count(data, "audit", "backdated_after_hours"),
            inputs=InputLimits.from_mapping(data),
            teams=teams_from(data),
            intakes=intakes_from(data),
            timed_acts=timed_act_rules_from(data),
            assessment_formula=formula_from(data),
        )


@cache
def default_policy() -> Policy:
    """The policy of ``default_policy.toml`` alone, read once."""
    text = files("domain").joinpath("default_policy.toml").read_text(encoding="utf-8")
    return Policy.from_mapping(tomllib.loads(text))


def merge_policy(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with every value that ``override`` gives replaced, table by table."""
    merged = dict(base)
    for key, value in override.items():
        if key not in base:
            raise ValidationError(f"policy.{key}", "is not a policy setting")
        if isinstance(value, Mapping) and isinstance(base[key], Mapping):
            merged[key] = merge_policy(base[key], value)
        else:
            merged[key] = value
    return merged


def _channel_limits(channels: Mapping[str, Any], channel: Channel) -> ChannelLimits:
    name = f"channels.{channel.value}"
    table = {name: _table(channels, channel.value, within="channels.")}
    return ChannelLimits(
        sign_for=_count(table, name, "sign_for"),
        return_=_count(table, name, "return"),
        first_reply=_count(table, name, "first_reply"),
        close=_count(table, name, "close"),
        max_extension=_count(table, name, "max_extension"),
    )


def _table(data: Mapping[str, Any], name: str, within: str = "") -> Mapping[str, Any]:
    table = data.get(name)
    if not isinstance(table, Mapping):
        raise ValidationError(f"policy.{within}{name}", "is missing or not a table")
    return table


def _limits(table: Mapping[str, Any], name: str) -> dict[str, int]:
    """Every limit of an ``inputs`` table: whole numbers >= 1, ``other`` among them."""
    if OTHER not in table:
        raise ValidationError(f"policy.{name}.{OTHER}", "is missing")
    limits = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                f"policy.{name}.{key}", f"must be a whole number >= 1, not {value!r}"
            )
        limits[key] = value
    return limits


def _count(data: Mapping[str, Any], table: str, key: str) -> int:
    value = _table(data, table).get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"policy.{table}.{key}", f"must be a whole number >= 0, not {value!r}"
        )
    return value
