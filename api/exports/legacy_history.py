"""办理过程: every dated act of a legacy problem after its registration, one entry each, in
the order recorded (``2021-07-01 制定方案``, ``2021-08-02 完成节点1``, ``2022-03-01 升级``,
``2022-05-06 中止``, ``2022-06-01 恢复``, ``2023-01-10 销号``, ``2023-04-02 重新打开``), so
that a sheet carries each repeated act's day, not only the last, and an import
(``api.imports``) can record the same acts on the same days: the legacy totals as of any
day depend on them (``projections.views.legacy_totals``)."""

from __future__ import annotations

import re
from datetime import date

from api.exports.item_acts import ItemActs
from domain.legacy_issue import LegacyIssue

ACT_LABELS = {
    "PlanAdopted": "制定方案",
    "MilestoneReached": "完成节点",
    "Escalated": "升级",
    "Suspended": "中止",
    "Resumed": "恢复",
    "ResolutionVerified": "销号",
    "Reopened": "重新打开",
}
"""Each act of the history by its event type; a milestone's is followed by its ordinal in
the plan (完成节点1 is the plan's first)."""
ACT_TYPES = {label: kind for kind, label in ACT_LABELS.items()}
ENTRY = re.compile(r"(\d{4}-\d{2}-\d{2}) (制定方案|完成节点(\d+)|升级|中止|恢复|销号|重新打开)")


def legacy_history(issue: LegacyIssue, acts: ItemActs, up_to: int) -> list[str]:
    """The entries of ``issue``'s history up to version ``up_to``."""
    ordinal = {
        version: i
        for i, m in enumerate(issue.milestones, 1)
        for key, version in issue.reached_in.items()
        if key == m.key
    }
    entries = []
    for version, kind, day in acts.events:
        if version > up_to or kind not in ACT_LABELS:
            continue
        label = ACT_LABELS[kind] + (
            str(ordinal.get(version, "")) if kind == "MilestoneReached" else ""
        )
        entries.append(f"{day.isoformat()} {label}")
    return entries


def parse_entry(text: str) -> tuple[date, str, int | None] | None:
    """One entry as (day, event type, milestone ordinal or None); None if it is not one."""
    found = ENTRY.fullmatch(text.strip())
    if found is None:
        return None
    try:
        day = date.fromisoformat(found.group(1))
    except ValueError:
        return None
    act = found.group(2)
    if found.group(3) is not None:
        return day, "MilestoneReached", int(found.group(3))
    return day, ACT_TYPES[act], None
