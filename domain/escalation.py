"""The 1+1+N resolution mechanism (“1+1+N”化解机制) and plan milestones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.errors import ValidationError


class Tier(Enum):
    """Who handles an item: the task force (项目专班), then the leading group's
    office (领导小组办公室), then the leading group itself (领导小组)."""

    TASK_FORCE = "task_force"
    OFFICE = "office"
    LEADING_GROUP = "leading_group"

    def above(self) -> Tier | None:
        """The next tier up, or None at the top."""
        order = list(Tier)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


@dataclass(frozen=True)
class Milestone:
    """A dated step of a plan, e.g. “7月底前完成2个试点村的服务驿站建设”."""

    key: str
    title: str
    due: date


def check_milestones(milestones: Sequence[Milestone], deadline: date | None) -> None:
    """Milestone keys are unique and, where there is a deadline, none falls after it."""
    keys = [m.key for m in milestones]
    if len(set(keys)) != len(keys):
        raise ValidationError("milestones", "keys must be unique")
    for milestone in milestones:
        if not milestone.key.strip() or not milestone.title.strip():
            raise ValidationError("milestones", "each needs a key and a title")
        if deadline is not None and milestone.due > deadline:
            raise ValidationError(
                "milestones", f"{milestone.key} is due after the deadline {deadline}"
            )
