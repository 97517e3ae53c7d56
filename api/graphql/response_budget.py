"""The response budget: no answer to a query or mutation is larger than ``RESPONSE_BUDGET``.

Every other limit bounds one part of an answer (a page of a list, a page of a history, a
text of an event); aliases multiply them. So the answer is measured as it is built, field
by field, in bytes of the JSON it will be sent as (near enough: UTF-8, quotes, names and
punctuation counted, whitespace not). Once it passes the budget every field still to come
fails at once, so the rest is never built, and the whole answer becomes one error,
``RESPONSE_TOO_LARGE``, with no data. Subscriptions, whose events are answered one by one,
are not measured.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from graphql import GraphQLError, GraphQLLeafType, OperationType, get_named_type
from strawberry.extensions import SchemaExtension

RESPONSE_BUDGET = 8_000_000
"""The most bytes an answer may take (8 MB)."""
CODE = "RESPONSE_TOO_LARGE"


class OverBudget(GraphQLError):
    """The answer being built has passed the budget: every field still to come fails with
    this (a refusal, not a fault: it is neither masked nor logged), and the answer becomes
    one ``RESPONSE_TOO_LARGE``."""

    def __init__(self) -> None:
        super().__init__("the answer is larger than the response budget")


def json_size(value: Any, room: int) -> int:
    """About how many bytes ``value`` takes as JSON; counting stops once past ``room``."""
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, str):
        return 2 + (len(value) if value.isascii() else len(value.encode("utf-8", "replace")))
    if isinstance(value, int | float):
        return len(repr(value))
    if isinstance(value, Enum):
        return 2 + len(str(value.name))
    if isinstance(value, datetime | date):
        return 34
    if isinstance(value, Mapping):
        total = 2
        for key, item in value.items():
            total += json_size(str(key), room - total) + 1 + json_size(item, room - total) + 1
            if total > room:
                return total
        return total
    if isinstance(value, list | tuple):
        total = 2
        for item in value:
            total += json_size(item, room - total) + 1
            if total > room:
                return total
        return total
    return len(str(value)) + 2


class ResponseBudget(SchemaExtension):
    """Measures each answer as graphql-core builds it; over the budget, one error instead."""

    def __init__(self, *, budget: int = RESPONSE_BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self.over = False

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if self.over and result is not None:
            result.data = None
            result.errors = [self.refusal()]

    def refusal(self) -> GraphQLError:
        return GraphQLError(
            f"the answer is larger than the response budget of {self.budget:,} bytes; ask "
            "for less (fewer aliases or fields, smaller pages with `first`)",
            extensions={"code": CODE, "budget": self.budget},
        )

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if info.operation.operation is OperationType.SUBSCRIPTION:
            return _next(root, info, *args, **kwargs)
        if self.over:
            raise OverBudget
        value = _next(root, info, *args, **kwargs)
        leaf = isinstance(get_named_type(info.return_type), GraphQLLeafType)
        if inspect.isawaitable(value):
            return self._measured_later(value, info, leaf)
        self._count(value, info, leaf)
        return value

    async def _measured_later(self, pending: Any, info: Any, leaf: bool) -> Any:
        value = await pending
        if self.over:
            raise OverBudget
        self._count(value, info, leaf)
        return value

    def _count(self, value: Any, info: Any, leaf: bool) -> None:
        """The field's name, and its value if it is a leaf (objects are counted by their
        fields as those are resolved; a list by its punctuation)."""
        name = info.path.key
        used = len(name) + 4 if isinstance(name, str) else 0
        room = self.budget - self.used
        if leaf:
            used += json_size(value, room - used)
        elif isinstance(value, list | tuple):
            used += 2 + len(value)
        self.used += used
        if self.used > self.budget:
            self.over = True
            raise OverBudget
