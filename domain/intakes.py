"""Intakes (受理专线): lines a case comes in by, within a channel, each with its own limit
to receipt in clock hours. The 331 project sets up a 24-hour line for administrative
complaints and reports (设立24小时行政投诉举报电话) and an around-the-clock line serving
enterprises (设立“全天候”服务企业热线); the work plan does not say how they are run, so they
are a list of the policy (``[[intakes]]`` in ``default_policy.toml``): a key, recorded in
the case's events, a Chinese name, the channel its cases belong to, and the hours within
which a case must be receipted. A deployment's own list replaces the default whole.

The hours are clock hours: nights, weekends and holidays count (a 24-hour line). A case
is receipted by its first handling act, its dispatch to a unit (``Complaint.Dispatched``:
signing for, returning and replying all come after it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.channels import CHANNEL_LABELS, Channel
from domain.errors import ValidationError
from domain.teams import KEY, LONGEST_NAME

SETTINGS = frozenset({"key", "name", "channel", "receipt_hours"})
LONGEST_RECEIPT_HOURS = 24 * 366


@dataclass(frozen=True)
class Intake:
    """One intake line: its key, its Chinese name, its channel and its receipt limit."""

    key: str
    name: str
    channel: Channel
    receipt_hours: int

    def receipt_by(self, received_at: datetime) -> datetime:
        """When a case received at ``received_at`` must be receipted: that many clock
        hours later (nights and holidays count)."""
        return received_at + timedelta(hours=self.receipt_hours)


def intakes_from(data: Mapping[str, Any]) -> tuple[Intake, ...]:
    """The policy's ``intakes``: a list of tables (none: no intake of its own), no key
    twice; the first thing wrong is named (``policy.intakes[1].receipt_hours``)."""
    entries = data.get("intakes", [])
    if not isinstance(entries, list):
        raise ValidationError("policy.intakes", "must be a list of [[intakes]] tables")
    intakes = tuple(_intake(entry, f"policy.intakes[{n}]") for n, entry in enumerate(entries))
    keys = [intake.key for intake in intakes]
    for n, key in enumerate(keys):
        if key in keys[:n]:
            raise ValidationError(f"policy.intakes[{n}].key", f"{key!r} is named twice")
    return intakes


def _intake(entry: object, where: str) -> Intake:
    if not isinstance(entry, Mapping):
        raise ValidationError(where, "must be a table with a key, a name, a channel and hours")
    unknown = sorted(set(entry) - SETTINGS)
    if unknown:
        raise ValidationError(f"{where}.{unknown[0]}", "is not a setting of an intake")
    key, name = entry.get("key"), entry.get("name")
    channel, hours = entry.get("channel"), entry.get("receipt_hours")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise ValidationError(
            f"{where}.key", f"must be lower-case letters, digits and _ (32 at most), not {key!r}"
        )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > LONGEST_NAME:
        raise ValidationError(f"{where}.name", f"must be a text of 1 to {LONGEST_NAME} characters")
    channels = [c.value for c in Channel]
    if channel not in channels:
        raise ValidationError(
            f"{where}.channel", f"must be one of {', '.join(channels)}, not {channel!r}"
        )
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise ValidationError(f"{where}.receipt_hours", f"must be a whole number, not {hours!r}")
    if not 1 <= hours <= LONGEST_RECEIPT_HOURS:
        raise ValidationError(
            f"{where}.receipt_hours", f"must be 1 to {LONGEST_RECEIPT_HOURS} hours, not {hours}"
        )
    return Intake(key, name.strip(), Channel(channel), hours)


def intake_of_case(
    channel: Channel, intake: str | None, intakes: Sequence[Intake]
) -> Intake | None:
    """The intake a case received through ``channel`` names: one of ``intakes`` (by key),
    of that channel; None when it names none (a blank one is none)."""
    given = (intake or "").strip()
    if not given:
        return None
    found = intake_named(given, intakes)
    if found is None:
        keys = ", ".join(i.key for i in intakes) or "the policy lists none"
        raise ValidationError("intake", f"{given[:40]!r} is not an intake of the policy: {keys}")
    if found.channel is not channel:
        raise ValidationError(
            "intake",
            f"{found.name} takes {CHANNEL_LABELS[found.channel]} cases, "
            f"not a {CHANNEL_LABELS[channel]} case",
        )
    return found


def intake_named(key: str, intakes: Sequence[Intake]) -> Intake | None:
    """The policy's intake of ``key`` (None: the policy no longer lists it)."""
    return next((i for i in intakes if i.key == key), None)
