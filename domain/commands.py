"""A ledger command, declared where it is written.

Each command is one ``Ledger`` method marked ``@command(...)``: the mark says what the
command creates (none: it changes the item its id parameter names) and whether only the
service and the CLI run it, on the ledger's own behalf (``service=True``: no mutation).
The name its idempotency receipts store is the method's name in camelCase
(``assign_task`` -> ``assignTask``), as every receipt written so far has it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from domain.meta import LedgerItem

P = ParamSpec("P")
R = TypeVar("R")

_SPEC = "__ledger_command__"
_running: ContextVar[str | None] = ContextVar("ledger_command", default=None)


@dataclass(frozen=True)
class CommandSpec:
    """What a command's declaration says about it."""

    method: str
    creates: type[LedgerItem] | None = None
    """The type of item the command makes; None: it changes the item its id names."""
    service: bool = False
    """Run by the service and the CLI on the ledger's own behalf: offered as no mutation."""
    reads_views: bool = False
    """Computes what it records from the read models: they reach the log's end first."""

    @property
    def name(self) -> str:
        """The command's name as its receipts store it: ``assign_task`` -> ``assignTask``."""
        return camel(self.method)


def command(
    *, creates: type[LedgerItem] | None = None, service: bool = False, reads_views: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a ``Ledger`` method a command (see the module's documentation)."""

    def declare(method: Callable[P, R]) -> Callable[P, R]:
        spec = CommandSpec(method.__name__, creates, service, reads_views)

        @functools.wraps(method)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            token = _running.set(spec.name)
            try:
                return method(*args, **kwargs)
            finally:
                _running.reset(token)

        setattr(run, _SPEC, spec)
        return run

    return declare


def spec_of(function: Callable[..., object]) -> CommandSpec | None:
    """The declaration of a command method; None for any other function."""
    spec = getattr(function, _SPEC, None)
    return spec if isinstance(spec, CommandSpec) else None


def running_command() -> str:
    """The name of the command running in this thread (what its receipt stores)."""
    name = _running.get()
    if name is None:
        raise RuntimeError("the ledger writes only within a method declared @command")
    return name


def camel(name: str) -> str:
    """``reply_to_complaint`` -> ``replyToComplaint``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True)
class Deprecated:
    """Marks a command's parameter kept for earlier callers, with what to use instead:
    ``interviewee: Annotated[str | None, Deprecated("use interviewees")] = None``. The
    parameter still works; the API shows it as deprecated, with ``reason``."""

    reason: str
