"""One mutation per command of the ledger, made from the command's own signature.

``Ledger.assign_task(ctx, task_id, *, lead_units, deadline, ...)`` becomes
``assignTask(input: AssignTaskInput!): MutationResult!`` whose input has
``taskId``, ``leadUnits``, ``deadline``, ... plus ``expectedVersion`` (for a
command on an existing item), ``idempotencyKey`` and ``occurredAt``. The input
cannot drift from the command: it is read from it (``api.graphql.command_inputs``).
What an id names is read from its type, what a command creates from its declaration
(``domain.commands``), who may run it from its line in ``api.permissions``. Every
mutation answers with ``MutationResult``: the success payload or one typed error; a
refusal writes nothing.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql import error_types as errors
from api.graphql.command_inputs import Parameter, input_type
from api.graphql.context import Context
from api.graphql.moments import checked_optional
from api.graphql.mutation_result import MutationResult, MutationSuccess, fingerprint_of
from api.graphql.nodes import NODE_KINDS
from api.graphql.observability import counted
from api.graphql.reading import read_own_writes, views_at_log_end
from api.permissions import Rule
from domain.commands import CommandSpec, camel, spec_of
from domain.errors import LedgerError
from domain.errors import NotFound as NotFoundError
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, LedgerItem
from domain.unit import Unit, UnitKind
from projections.views.listing import concerns


class Command:
    """A ledger command and the mutation made from it."""

    def __init__(self, method: str, ledger: type[Ledger] = Ledger) -> None:
        self.method = method
        function = getattr(ledger, method)
        spec = spec_of(function)
        if spec is None:
            raise TypeError(f"Ledger.{method} is not declared a command (@command)")
        self.spec: CommandSpec = spec
        hints = typing.get_type_hints(function, include_extras=True)
        parameters = list(inspect.signature(function).parameters.values())[2:]  # self, ctx
        self.parameters = [Parameter(method, p, hints[p.name]) for p in parameters]
        self.on_existing_item = any(p.positional for p in self.parameters)
        self.item_type = self._item_type()
        if method not in permissions.RULES_BY_METHOD:
            raise TypeError(f"Ledger.{method} has no line in the policy table (api.permissions)")
        self.doc = inspect.getdoc(function) or ""
        self.input_type = input_type(method, self.parameters, self.on_existing_item)

    @property
    def field_name(self) -> str:
        return camel(self.method)

    def _item_type(self) -> str:
        """The type of the item the command writes: the one its id names, or the one it
        declares it creates."""
        for p in self.parameters:
            if p.positional:
                if p.names not in NODE_KINDS:
                    raise TypeError(
                        f"Ledger.{self.method}, parameter {p.name}: the item a command "
                        "acts on is named by a typed id of an item the API serves"
                    )
                return p.names
        if self.spec.creates is None:
            raise TypeError(
                f"Ledger.{self.method} names no item to act on and declares none it creates"
            )
        return self.spec.creates.item_type

    def field(self) -> Any:
        async def resolve(info: Info[Context, Any], input: Any) -> Any:
            return await counted(info.context, self.field_name, self.run(info.context, input))

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
            if self.spec.reads_views and not await self._answered(context, method, ctx):
                await views_at_log_end(context)
            written = await context.services.call(method, ctx, *args, **kwargs)
        except LedgerError as error:
            return errors.typed_error(error)
        return MutationSuccess(
            item_id=strawberry.ID(f"{self.item_type}:{written.item_id}"),
            version=written.version,
            position=written.position,
            replayed=written.replayed,
        )

    async def _answered(
        self, context: Context, method: Callable[..., Written], ctx: CommandContext
    ) -> bool:
        """Whether ``ctx``'s key was answered before (a retry replays it at once)."""
        if ctx.idempotency_key is None:
            return False
        try:
            return (
                await context.services.call(context.services.ledger.answered, method, ctx)
                is not None
            )
        except LedgerError:
            return False  # the command itself says what is wrong

    def _forbidden(self, actor: Actor, message: str) -> errors.Forbidden:
        return errors.Forbidden(message=message, action=self.field_name, role=actor.role.value)

    async def _outside_unit(
        self, context: Context, args: list[Any], kwargs: dict[str, Any]
    ) -> errors.Forbidden | errors.NotFound | None:
        """A unit's staff act for their own unit (they may name no other unit), on items
        that concern it: another unit's item answers as an id that does not exist."""
        actor = context.actor
        own = str(actor.unit)
        await read_own_writes(context)  # the item may be theirs since the client's last write
        for p in self.parameters:
            if p.unit and not p.positional and p.name in kwargs:
                value = kwargs[p.name]
                named = value if isinstance(value, list) else [value]
                if any(str(unit) != own for unit in named):
                    return self._forbidden(
                        actor, f"a unit's staff act only for their own unit ({p.name})"
                    )
        kind = NODE_KINDS[self.item_type][0]
        for value in args:  # the id of the item acted on
            if not await context.services.read(concerns, kind, str(value), own):
                return errors.NotFound(
                    message=f"no {self.item_type} with id {value}",
                    item_type=self.item_type,
                    item_id=str(value),
                )
            if not await context.services.call(self._acts_as, context, value, own):
                relation = " or ".join(permissions.acting_as(self.method))
                return self._forbidden(
                    actor, f"only the item's {relation.replace('_', ' ')} may {self.field_name}"
                )
        return None

    def _acts_as(self, context: Context, item_id: UUID, own: str) -> bool:
        """Whether the unit is what the command needs it to be to the item: named in one of
        the item's relations the command's rule lists, or of a kind one of them names (a
        task's cooperating groups), as the unit is now. Read from the log, not the read
        models: a case re-dispatched a moment ago counts."""
        ledger = context.services.ledger
        try:
            item = ledger.get(LedgerItem, item_id)
        except NotFoundError:
            return False
        named: set[Any] = set()
        for attribute in permissions.acting_as(self.method):
            value = getattr(item, attribute, None)
            named.update(value if isinstance(value, tuple | list) else [value])
        kinds = {k for k in named if isinstance(k, UnitKind)}
        if own in {str(u) for u in named - kinds if u is not None}:
            return True
        return bool(kinds) and _kind_of(ledger, own) in kinds

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


def _kind_of(ledger: Ledger, unit: str) -> UnitKind | None:
    try:
        return ledger.get(Unit, UUID(unit)).kind
    except NotFoundError:
        return None


def ledger_commands(ledger: type[Ledger] = Ledger) -> list[str]:
    """The ledger's commands offered as mutations: every method declared a command but
    the service's own (``@command(service=True)``). A public method taking a
    ``CommandContext`` first that is not declared a command stops the build."""
    names = []
    for name, function in inspect.getmembers(ledger, inspect.isfunction):
        spec = spec_of(function)
        if spec is None:
            takes_context = list(inspect.signature(function).parameters)[1:2] == ["ctx"]
            if takes_context and not name.startswith("_"):
                raise TypeError(f"Ledger.{name} takes a command's context: declare it @command")
            continue
        if not spec.service:
            names.append(name)
    return sorted(names)


def commands_of(ledger: type[Ledger]) -> list[Command]:
    return [Command(method, ledger) for method in ledger_commands(ledger)]


@cache
def commands() -> list[Command]:
    return commands_of(Ledger)


@cache
def build_mutation_type(ledger: type[Ledger] = Ledger) -> type:
    """The Mutation root type, one field per command of ``ledger`` (the tests pass a
    ``Ledger`` with a command added)."""
    made = commands() if ledger is Ledger else commands_of(ledger)
    namespace = {command.field_name: command.field() for command in made}
    return strawberry.type(type("Mutation", (), namespace), name="Mutation")
