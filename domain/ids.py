"""The ids of the ledger's items, typed by what they name.

A command's id parameter says what it names by its type: ``task_id: TaskId`` names a
task, ``lead_units: Sequence[UnitId]`` units, ``cited_items: Sequence[ItemId]`` any item.
At run time each is a plain ``UUID`` (stored and read as before); the API reads the type
to tell what an input names (``api.graphql.mutations``), and refuses to build a mutation
from a command taking a bare ``UUID``.
"""

from __future__ import annotations

from typing import Any, NewType
from uuid import UUID

UnitId = NewType("UnitId", UUID)
TaskId = NewType("TaskId", UUID)
ComplaintId = NewType("ComplaintId", UUID)
LegacyIssueId = NewType("LegacyIssueId", UUID)
LegacyTargetId = NewType("LegacyTargetId", UUID)
InterviewId = NewType("InterviewId", UUID)
ReferralId = NewType("ReferralId", UUID)
AssessmentId = NewType("AssessmentId", UUID)
MeasureId = NewType("MeasureId", UUID)
AccessTokenId = NewType("AccessTokenId", UUID)
EnterpriseId = NewType("EnterpriseId", UUID)
ItemId = NewType("ItemId", UUID)
"""The id of any item of the ledger, whatever its type."""

ANY_ITEM = ItemId.__name__


def is_item_id(hint: Any) -> bool:
    """Whether ``hint`` is one of the typed ids (a ``NewType`` over ``UUID``)."""
    return isinstance(hint, NewType) and hint.__supertype__ is UUID


def item_type_named(hint: Any) -> str | None:
    """The item type an id type names (``TaskId`` -> ``"Task"``, as ``Task.item_type``);
    None for ``ItemId``, which names any item."""
    if not is_item_id(hint):
        raise TypeError(f"{hint!r} is not an id type of the ledger")
    name: str = hint.__name__
    return None if name == ANY_ITEM else name.removesuffix("Id")
