"""The API asking the policy table (``api.permissions``): root fields, and the unit a caller
is confined to."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from api import permissions
from api.permissions import Rule
from projections.views.listing import Criteria


class Allowed(BasePermission):
    """A root field the caller's role may use (``api.permissions.FIELDS``)."""

    message = "Forbidden: your role may not use this field"
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - strawberry reads it per class

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return permissions.field_rule(info.context.actor.role, info.field_name) is not Rule.DENY


def own_unit(info: Info[Any, Any]) -> str | None:
    """The unit the caller is confined to on this field, or None when it sees everything."""
    actor = info.context.actor
    if permissions.field_rule(actor.role, info.field_name) is Rule.OWN:
        return str(actor.unit)
    return None


def confined(criteria: Criteria, unit: str | None) -> Criteria:
    """``criteria`` within the caller's unit: asking for another unit finds nothing."""
    if unit is None:
        return criteria
    if criteria.unit is not None and criteria.unit != unit:
        return Criteria(one_of={"id": []})
    return Criteria(criteria.equal, criteria.one_of, criteria.between, unit=unit)
