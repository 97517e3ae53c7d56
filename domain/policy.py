"""The time-limit policy: per-channel working-day limits and the light thresholds.

The defaults live in ``default_policy.toml`` beside this module; a deployment
overrides any value with its own file. This module only parses and checks the
mapping read from those files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.channels import Channel
from domain.errors import ValidationError


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
class Policy:
    """Every time limit and threshold the ledger computes with."""

    max_backdate_days: int
    yellow_within_working_days: int
    progress_lag_points: int
    channels: Mapping[Channel, ChannelLimits]
    interview_criteria: InterviewCriteria
    backdated_after_hours: int

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
            backdated_after_hours=_count(data, "audit", "backdated_after_hours"),
        )


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


def _count(data: Mapping[str, Any], table: str, key: str) -> int:
    value = _table(data, table).get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"policy.{table}.{key}", f"must be a whole number >= 0, not {value!r}"
        )
    return value
