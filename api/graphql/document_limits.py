"""Guards on a GraphQL document that hold before any validation rule looks at it.

A document of a few hundred bytes can name fragments that each spread the one
before twice: expanded, it is exponentially large, and a rule that walks every
spread (the depth and alias limits do) freezes whatever thread runs it. So the
expanded size is counted first, each fragment once (memoised), and a document
over ``MAX_SELECTIONS`` is refused before validation; parsing and validation run
in a worker thread, never on the event loop that answers every other client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from functools import cache, lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from strawberry.extensions import SchemaExtension

MAX_SELECTIONS = 5000
"""The most field selections a document may expand to, counting every fragment spread."""
VALIDATION_CACHE_SIZE = 256


def expanded_selections(document: DocumentNode) -> int:
    """How many field selections the document's operations make once every fragment
    spread is replaced by its fragment; each fragment is counted once and remembered."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}
    expanding: set[str] = set()  # a cycle is refused by validation; here it counts 0

    def fragment(name: str) -> int:
        if name not in sizes:
            if name in expanding or name not in fragments:
                return 0
            expanding.add(name)
            sizes[name] = selections(fragments[name].selection_set)
            expanding.discard(name)
        return sizes[name]

    def selections(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                total += 1 + selections(node.selection_set)
            elif isinstance(node, InlineFragmentNode):
                total += selections(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                total += fragment(node.name.value)
        return total

    operations = (d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return sum(selections(operation.selection_set) for operation in operations)


def too_large(document: DocumentNode, limit: int = MAX_SELECTIONS) -> GraphQLError | None:
    """The refusal of a document that expands past ``limit`` selections, if it does."""
    size = expanded_selections(document)
    if size <= limit:
        return None
    return GraphQLError(
        f"the document expands to {size} field selections (fragments spread in full); "
        f"the limit is {limit}",
        extensions={"code": "BAD_USER_INPUT"},
    )


@cache
def _cached_validation() -> Callable[..., Any]:
    from strawberry.schema.schema import validate_document  # imported late: a cycle

    return lru_cache(maxsize=VALIDATION_CACHE_SIZE)(validate_document)


def validate_within_limits(schema: Any, document: DocumentNode, rules: Any) -> list[GraphQLError]:
    """The document's size checked first, then its validation (cached per document)."""
    refusal = too_large(document)
    if refusal is not None:
        return [refusal]
    errors: list[GraphQLError] = _cached_validation()(schema, document, rules)
    return errors


class GuardedDocuments(SchemaExtension):
    """Parses and validates in a worker thread, refusing an oversized document first.

    A repeated document (a dashboard's) is validated once: the result is cached with
    the rules, which are made once per schema."""

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            with suppress(GraphQLError):  # a syntax error: strawberry parses again and says so
                context.graphql_document = await asyncio.to_thread(
                    parse, context.query, **context.parse_options
                )
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.graphql_document is not None:
            context.pre_execution_errors = await asyncio.to_thread(
                validate_within_limits,
                context.schema._schema,
                context.graphql_document,
                context.validation_rules,
            )
        yield
