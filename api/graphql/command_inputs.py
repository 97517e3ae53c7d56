"""A command's parameters as the fields of its mutation's input, read from its signature.

Each parameter's GraphQL type comes from its annotation; an id says what it names by its
type (``task_id: TaskId``, ``lead_units: Sequence[UnitId]``, ``domain.ids``), so an input
naming another type of item is refused. A bare ``UUID`` says nothing of what it names:
the schema is not built.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Union
from uuid import UUID

import strawberry

from api.graphql.global_ids import item_uuid
from api.graphql.moments import checked_moment
from domain.commands import Deprecated, camel
from domain.enterprise_evaluation import CriterionScore
from domain.errors import ValidationError
from domain.escalation import Milestone
from domain.ids import is_item_id, item_type_named
from domain.person import Person


@strawberry.input(description="A dated step of a plan.")
class MilestoneInput:
    key: str
    title: str
    due: date


@strawberry.input(description="A person, with the post they hold (职务).")
class PersonInput:
    name: str
    post: str
    unit: strawberry.ID | None = strawberry.field(
        default=None, description="The unit they serve in, where it is not the unit concerned."
    )


@strawberry.input(
    description="One criterion an enterprise rates an agency on, and its score (0-100)."
)
class CriterionScoreInput:
    criterion: str
    score: Decimal


class Parameter:
    """One parameter of a command, as an input field; ``Annotated[..., Deprecated(reason)]``
    makes a deprecated one."""

    def __init__(self, command: str, parameter: inspect.Parameter, hint: Any) -> None:
        self.deprecation: str | None = None
        if typing.get_origin(hint) is Annotated:
            marks = [m for m in hint.__metadata__ if isinstance(m, Deprecated)]
            self.deprecation = marks[0].reason if marks else None
            hint = typing.get_args(hint)[0]
        self.name = parameter.name
        self.positional = parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        self.required = parameter.default is inspect.Parameter.empty
        self.hint = hint
        try:
            self.graphql_type = _graphql_type(hint)
        except TypeError as error:
            raise TypeError(f"Ledger.{command}, parameter {self.name}: {error}") from None
        id_type = _id_type(hint)
        self.is_id = id_type is not None
        self.names = item_type_named(id_type) if id_type is not None else None
        """The item type the id names (None: any item, or not an id)."""
        self.unit = self.names == "Unit"

    def convert(self, value: Any) -> Any:
        """The input value as the command takes it."""
        return _convert(self.name, self.hint, value)


def _graphql_type(hint: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _graphql_type(inner[0]) | None
    if origin is not None and issubclass(origin, Sequence):
        return list[_graphql_type(args[0])]  # type: ignore[misc]
    if is_item_id(hint):
        return strawberry.ID
    if hint is UUID:
        raise TypeError(
            "a bare UUID does not say what it names: type it with an id of domain.ids "
            "(TaskId, UnitId, ...; ItemId for any item)"
        )
    simple: dict[Any, Any] = {
        Milestone: MilestoneInput,
        Person: PersonInput,
        CriterionScore: CriterionScoreInput,
        str: str,
        int: int,
        bool: bool,
        date: date,
        datetime: datetime,
        Decimal: Decimal,
    }
    if hint in simple:
        return simple[hint]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    raise TypeError(f"no GraphQL input type for {hint!r}")


def _id_type(hint: Any) -> Any:
    """The id type within ``hint`` (``TaskId | None``, ``Sequence[UnitId]``), if any."""
    if is_item_id(hint):
        return hint
    for arg in typing.get_args(hint):
        found = _id_type(arg)
        if found is not None:
            return found
    return None


def _convert(name: str, hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(camel(name), "is not valid text (a lone surrogate)") from None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return _convert(name, next(a for a in args if a is not type(None)), value)
    if origin is not None and issubclass(origin, Sequence):
        return [_convert(name, args[0], v) for v in value]
    if is_item_id(hint):
        return item_uuid(camel(name), str(value), item_type_named(hint))
    if hint is Milestone:
        return Milestone(key=value.key, title=value.title, due=value.due)
    if hint is Person:
        unit = None if value.unit is None else item_uuid(camel(name), str(value.unit), "Unit")
        return Person(name=value.name, post=value.post, unit=unit)
    if hint is CriterionScore:
        return CriterionScore(criterion=value.criterion, score=value.score)
    if hint is datetime:
        return checked_moment(camel(name), value)
    return value


def input_type(method: str, parameters: list[Parameter], on_existing_item: bool) -> type:
    """The mutation's input type: the command's parameters, the guards of a command on an
    existing item, the idempotency key and the business time."""
    annotations: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for p in parameters:
        if p.required:
            annotations[p.name] = p.graphql_type
        else:  # left out: the command's own default
            optional = type(None) in typing.get_args(p.graphql_type)
            annotations[p.name] = p.graphql_type if optional else p.graphql_type | None
            defaults[p.name] = strawberry.field(default=None, deprecation_reason=p.deprecation)
    if on_existing_item:
        annotations["expected_version"] = int | None
        defaults["expected_version"] = strawberry.field(
            default=None,
            description="The version the caller last saw; a stale one gets "
            "ConcurrencyConflict and writes nothing.",
        )
    annotations["idempotency_key"] = str | None
    defaults["idempotency_key"] = strawberry.field(
        default=None,
        description="The same key sent again with the same token returns the first "
        "result and writes nothing. Keys belong to the token that sends them: another "
        "token's same key is another act.",
    )
    annotations["occurred_at"] = datetime | None
    defaults["occurred_at"] = strawberry.field(
        default=None,
        description="Business time, when it happened (default: now); never in the "
        "future, back-dated only within the policy's limit.",
    )
    name = pascal(method) + "Input"
    cls = type(name, (), {"__annotations__": annotations, **defaults})
    return strawberry.input(cls, name=name, description=f"Input of `{camel(method)}`.")


def pascal(name: str) -> str:
    return re.sub(r"(^|_)([a-z])", lambda m: m.group(2).upper(), name)
