"""One mutation per command of the ledger, made from the command's own signature.

``Ledger.assign_task(ctx, task_id, *, lead_units, deadline, ...)`` becomes
``assignTask(input: AssignTaskInput!): MutationResult!`` whose input has
``taskId``, ``leadUnits``, ``deadline``, ... plus ``expectedVersion`` (for a
command on an existing item), ``idempotencyKey`` and ``occurredAt``. The input
cannot drift from the command: it is read from it. Every mutation answers with
``MutationResult``: the success payload or one typed error; a refusal writes
nothing.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union
from uuid import UUID

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql import error_types as errors
from api.graphql.context import Context
from api.graphql.ids import item_uuid
from api.graphql.lookup import node_by_id
from api.graphql.moments import checked_moment, checked_optional
from api.graphql.nodes import NODE_KINDS, Node
from api.graphql.reading import read_own_writes
from api.permissions import Rule
from domain.errors import LedgerError, ValidationError
from domain.errors import NotFound as NotFoundError
from domain.escalation import Milestone
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, LedgerItem
from projections.views.listing import concerns

ACTING_UNIT_ARGUMENTS = ("unit", "to_unit")
"""Arguments naming the unit that acts: a unit's staff may name only their own."""

# The item type an id parameter names, by the parameter's name.
ID_TYPES = {
    "task_id": "Task",
    "complaint_id": "Complaint",
    "issue_id": "LegacyIssue",
    "interview_id": "Interview",
    "referral_id": "Referral",
    "unit_id": "Unit",
    "assessment_id": "Assessment",
    "target_id": "LegacyTarget",
    "unit": "Unit",
    "into": "Unit",
    "lead_units": "Unit",
    "cooperating_units": "Unit",
    "first_responder": "Unit",
    "to_unit": "Unit",
    "responsible_unit": "Unit",
    "subject_unit": "Unit",
}


@strawberry.input(description="A dated step of a plan.")
class MilestoneInput:
    key: str
    title: str
    due: date


@strawberry.type(description="What a command wrote.")
class MutationSuccess:
    item_id: strawberry.ID = strawberry.field(description="Global id of the item written.")
    version: int = strawberry.field(description="The item's version after the command.")
    position: int = strawberry.field(
        description="Log position of the command's last event: pass it as the "
        "`X-Ledger-Position` header to read your own write."
    )
    replayed: bool = strawberry.field(
        description="True when an idempotency key repeated an earlier command of the same "
        "token: nothing new was written and this is the first result."
    )

    @strawberry.field(
        description="The item as the read models hold it once they include this write "
        "(null if they do not within the service's wait)."
    )
    async def item(self, info: Info[Context, Any]) -> Node | None:
        services = info.context.services
        if not await services.projector.wait_for(self.position, services.limits.read_wait_seconds):
            return None
        return await node_by_id(info, str(self.item_id))


MutationResult = Annotated[
    Union[  # noqa: UP007 - strawberry names the union from this form
        MutationSuccess,
        errors.ValidationError,
        errors.NotFound,
        errors.ConcurrencyConflict,
        errors.InvalidTransition,
        errors.Forbidden,
        errors.AlreadyExists,
        errors.IdempotencyKeyReused,
        errors.RateLimited,
    ],
    strawberry.union("MutationResult", description="The success payload or a typed error."),
]


class Parameter:
    """One parameter of a command, as an input field."""

    def __init__(self, parameter: inspect.Parameter, hint: Any) -> None:
        self.name = parameter.name
        self.positional = parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        self.required = parameter.default is inspect.Parameter.empty
        self.hint = hint
        self.graphql_type = _graphql_type(hint)

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
    simple: dict[Any, Any] = {
        UUID: strawberry.ID,
        Milestone: MilestoneInput,
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


def _convert(name: str, hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(_camel(name), "is not valid text (a lone surrogate)") from None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return _convert(name, next(a for a in args if a is not type(None)), value)
    if origin is not None and issubclass(origin, Sequence):
        return [_convert(name, args[0], v) for v in value]
    if hint is UUID:
        return item_uuid(_camel(name), str(value), ID_TYPES.get(name))
    if hint is Milestone:
        return Milestone(key=value.key, title=value.title, due=value.due)
    if hint is datetime:
        return checked_moment(_camel(name), value)
    return value


class Command:
    """A ledger command and the mutation made from it."""

    def __init__(self, method: str) -> None:
        self.method = method
        function = getattr(Ledger, method)
        hints = typing.get_type_hints(function)
        parameters = list(inspect.signature(function).parameters.values())[2:]  # self, ctx
        self.parameters = [Parameter(p, hints[p.name]) for p in parameters]
        self.on_existing_item = any(p.positional for p in self.parameters)
        self.doc = inspect.getdoc(function) or ""
        self.input_type = self._input_type()

    @property
    def field_name(self) -> str:
        return _camel(self.method)

    def _input_type(self) -> type:
        annotations: dict[str, Any] = {}
        defaults: dict[str, Any] = {}
        for p in self.parameters:
            if p.required:
                annotations[p.name] = p.graphql_type
            else:  # left out: the command's own default
                optional = _is_optional(p.graphql_type)
                annotations[p.name] = p.graphql_type if optional else p.graphql_type | None
                defaults[p.name] = None
        if self.on_existing_item:
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
        name = _pascal(self.method) + "Input"
        cls = type(name, (), {"__annotations__": annotations, **defaults})
        return strawberry.input(cls, name=name, description=f"Input of `{self.field_name}`.")

    def field(self) -> Any:
        async def resolve(info: Info[Context, Any], input: Any) -> Any:
            return await self.run(info.context, input)

        resolve.__annotations__ = {
            "info": Info[Context, Any],
            "input": self.input_type,
            "return": MutationResult,
        }
        roles = ", ".join(r.value for r in permissions.roles_for(self.method))
        summary = self.doc.split("\n\n")[0].replace("\n", " ")
        return strawberry.mutation(
            resolver=resolve,
            name=self.field_name,
            description=f"{summary} Roles: {roles}.".strip(),
        )

    async def run(self, context: Context, given: Any) -> Any:
        actor = context.actor
        rule = permissions.command_rule(actor.role, self.method)
        if rule is Rule.DENY:
            return self._forbidden(actor, f"a {actor.role.value} may not {self.field_name}")
        assert context.principal is not None
        wait = context.services.mutation_limit.take(context.principal.token_id)
        if wait:
            return errors.RateLimited(
                message=f"too many mutations with this token; retry in {wait:.1f} s",
                retry_after_seconds=round(wait, 1),
            )
        try:
            args, kwargs = self._arguments(given)
            if rule is Rule.OWN:
                refusal = await self._outside_unit(context, args, kwargs)
                if refusal is not None:
                    return refusal
            ctx = CommandContext(
                actor=actor,
                occurred_at=checked_optional("occurredAt", given.occurred_at),
                request_id=context.request_id,
                expected_version=getattr(given, "expected_version", None),
                idempotency_key=given.idempotency_key,
                fingerprint=fingerprint_of(given, context.services.sealer.fingerprint),
            )
            method: Callable[..., Written] = getattr(context.services.ledger, self.method)
            written = await context.services.call(method, ctx, *args, **kwargs)
        except LedgerError as error:
            return errors.typed_error(error)
        return MutationSuccess(
            item_id=strawberry.ID(f"{_item_type_of(self, written)}:{written.item_id}"),
            version=written.version,
            position=written.position,
            replayed=written.replayed,
        )

    def _forbidden(self, actor: Actor, message: str) -> errors.Forbidden:
        return errors.Forbidden(message=message, action=self.field_name, role=actor.role.value)

    async def _outside_unit(
        self, context: Context, args: list[Any], kwargs: dict[str, Any]
    ) -> errors.Forbidden | errors.NotFound | None:
        """A unit's staff act for their own unit, on items that concern it: another
        unit's item answers as an id that does not exist."""
        actor = context.actor
        own = str(actor.unit)
        await read_own_writes(context)  # the item may be theirs since the client's last write
        for name in ACTING_UNIT_ARGUMENTS:
            if name in kwargs and str(kwargs[name]) != own:
                return self._forbidden(
                    actor, f"a unit's staff act only for their own unit ({name})"
                )
        for p, value in zip((p for p in self.parameters if p.positional), args, strict=False):
            item_type = ID_TYPES[p.name]
            kind = NODE_KINDS[item_type][0]
            if not await context.services.read(concerns, kind, str(value), own):
                return errors.NotFound(
                    message=f"no {item_type} with id {value}",
                    item_type=item_type,
                    item_id=str(value),
                )
            acting = await context.services.call(self._acting_units, context, value)
            if own not in acting:
                relation = " or ".join(permissions.ACTING_AS[self.method])
                return self._forbidden(
                    actor, f"only the item's {relation.replace('_', ' ')} may {self.field_name}"
                )
        return None

    def _acting_units(self, context: Context, item_id: UUID) -> set[str]:
        """The units the item itself names in the relation the command needs (read from
        the log, not the read models: a case re-dispatched a moment ago counts)."""
        try:
            item = context.services.ledger.get(LedgerItem, item_id)
        except NotFoundError:
            return set()
        units: set[str] = set()
        for attribute in permissions.ACTING_AS.get(self.method, ()):
            value = getattr(item, attribute, None)
            named = value if isinstance(value, tuple | list) else [value]
            units.update(str(u) for u in named if u is not None)
        return units

    def _arguments(self, given: Any) -> tuple[list[Any], dict[str, Any]]:
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for p in self.parameters:
            value = p.convert(getattr(given, p.name))
            if p.positional:
                args.append(value)
            elif value is not None or p.required:
                kwargs[p.name] = value
        return args, kwargs


def fingerprint_of(given: Any, digest: Callable[[str], str]) -> str:
    """A keyed digest of a mutation's input (its idempotency key aside): the same key
    sent again with another input is refused instead of replayed. Keyed, because the
    input may hold personal data that must not be guessable from the stored receipt."""
    fields = {k: v for k, v in dataclasses.asdict(given).items() if k != "idempotency_key"}
    return digest(json.dumps(fields, sort_keys=True, default=str))


def _item_type_of(command: Command, written: Written) -> str:
    """The written item's type, from the command's id parameter or its name."""
    for p in command.parameters:
        if p.positional:
            return ID_TYPES[p.name]
    return CREATED_TYPES[command.method]


CREATED_TYPES = {
    "register_unit": "Unit",
    "register_task": "Task",
    "receive_complaint": "Complaint",
    "register_legacy_issue": "LegacyIssue",
    "set_legacy_target": "LegacyTarget",
    "schedule_interview": "Interview",
    "refer_to_discipline": "Referral",
    "record_assessment": "Assessment",
}


def _is_optional(graphql_type: Any) -> bool:
    return type(None) in typing.get_args(graphql_type)


SERVICE_COMMANDS = frozenset(
    {
        "issue_token",
        "revoke_token",
        "record_disclosure",
        "adopt_holiday_schedule",
        "recompute_complaint_deadlines",
    }
)
"""Commands the service and the CLI run on the ledger's own behalf: not mutations."""


def ledger_commands() -> list[str]:
    """The ledger's command methods offered as mutations: public, taking a
    CommandContext first, not one of the service's own."""
    return sorted(
        name
        for name, function in inspect.getmembers(Ledger, inspect.isfunction)
        if not name.startswith("_")
        and name not in SERVICE_COMMANDS
        and list(inspect.signature(function).parameters)[1:2] == ["ctx"]
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _pascal(name: str) -> str:
    return re.sub(r"(^|_)([a-z])", lambda m: m.group(2).upper(), name)


@cache
def commands() -> list[Command]:
    return [Command(method) for method in ledger_commands()]


@cache
def build_mutation_type() -> type:
    """The Mutation root type, one field per command."""
    namespace = {command.field_name: command.field() for command in commands()}
    return strawberry.type(type("Mutation", (), namespace), name="Mutation")
