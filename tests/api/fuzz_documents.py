"""Hypothesis strategies for the fuzz tests: GraphQL documents built from the schema's own
fields with hostile arguments, token soup, and request bodies shaped almost like GraphQL
requests.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)
from hypothesis import strategies as st

from tests.api.fuzz_harness import MUTATION_TYPE, MUTATIONS, QUERY_TYPE, RESULT, SCHEMA, encode
from tests.api.fuzz_values import PLAUSIBLE, chance, ints, json_values, literal, strings, value_of


@st.composite
def selection(draw: st.DrawFn, of: Any, depth: int, wild: int) -> str:
    """A selection set on ``of``: some of its fields with random arguments and aliases,
    fragments on the types an interface or union may be."""
    named = get_named_type(of)
    if isinstance(named, GraphQLUnionType):
        members = draw(st.lists(st.sampled_from(named.types), max_size=2, unique=True))
        inner = [f"... on {m.name} {draw(selection(m, depth + 1, wild))}" for m in members]
        return "{ __typename " + " ".join(inner) + " }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
    names = sorted(named.fields)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    parts = ["__typename"] if draw(st.booleans()) else []
    for i, name in enumerate(chosen):
        definition = named.fields[name]
        args = []
        for arg_name, arg in definition.args.items():
            if isinstance(arg.type, GraphQLNonNull) or draw(st.booleans()):
                args.append(f"{arg_name}: {literal(draw(value_of(arg.type, wild)), arg.type)}")
        head = (f"f{i}: " if draw(st.booleans()) else "") + name
        head += f"({', '.join(args)})" if args else ""
        inner_type = get_named_type(definition.type)
        if isinstance(inner_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            if depth >= 4:
                head += " { __typename }"
            else:
                head += " " + draw(selection(inner_type, depth + 1, wild))
        parts.append(head)
    if isinstance(named, GraphQLInterfaceType):
        possible = SCHEMA.get_possible_types(named)
        member = draw(st.sampled_from(possible))
        parts.append(f"... on {member.name} {{ __typename }}")
    return "{ " + " ".join(parts) + " }"


def cursor_of(value: Any) -> str:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursors = st.one_of(
    strings,
    st.binary(max_size=40).map(lambda b: base64.urlsafe_b64encode(b).decode()),
    st.tuples(
        st.sampled_from(
            [
                "tasks",
                "complaints",
                "legacy_issues",
                "interviews",
                "referrals",
                "assessments",
                "events",
                "units",
                "nope",
            ]
        ),
        st.lists(json_values, max_size=4),
    ).map(lambda t: cursor_of([t[0], *t[1]])),
    json_values.map(cursor_of),
)
"""Garbage cursors: junk, base64 of junk, and cursors of the right form with wrong keys."""


@st.composite
def list_query(draw: st.DrawFn, wild: int) -> str:
    """A list query with hostile paging: huge or negative ``first``, garbage ``after``."""
    name = draw(
        st.sampled_from(
            [
                "tasks",
                "complaints",
                "legacyIssues",
                "interviews",
                "referrals",
                "assessments",
                "events",
            ]
        )
    )
    definition = QUERY_TYPE.fields[name]
    args = [
        f"first: {literal(draw(st.one_of(ints, json_values)), definition.args['first'].type)}",
        f"after: {literal(draw(cursors), None)}",
    ]
    if draw(st.booleans()):
        filter_type = definition.args["filter"].type
        args.append(f"filter: {literal(draw(value_of(filter_type, wild)), filter_type)}")
    picked = draw(st.permutations(args))[: draw(st.integers(1, len(args)))]
    body = draw(selection(definition.type, 1, wild))
    return f"{{ {name}({', '.join(picked)}) {body} }}"


@st.composite
def schema_query(draw: st.DrawFn) -> str:
    wild = draw(st.sampled_from([PLAUSIBLE, 0, 5, 30]))
    if draw(st.integers(0, 2)) == 0:
        return draw(list_query(wild))
    return "query " + draw(selection(QUERY_TYPE, 0, wild))


@st.composite
def mutation_document(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One to three mutations with random inputs, inline or as variables."""
    wild = draw(st.sampled_from([PLAUSIBLE, PLAUSIBLE, 0, 3, 30]))
    names = draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
    inline = draw(st.booleans())
    declared: list[str] = []
    variables: dict[str, Any] = {}
    fields = []
    for i, name in enumerate(names):
        input_type = MUTATION_TYPE.fields[name].args["input"].type
        value = draw(value_of(input_type, wild))
        if inline:
            argument = literal(value, input_type)
        else:
            wrong = chance(draw, 5)
            declared.append(f"$i{i}: {'String' if wrong else input_type}")
            variables[f"i{i}"] = value
            argument = f"$i{i}"
        alias = f"m{i}: " if i or draw(st.booleans()) else ""
        fields.append(f"{alias}{name}(input: {argument}) {{ {RESULT} }}")
    signature = f"({', '.join(declared)})" if declared else ""
    return f"mutation Fuzz{signature} {{ {' '.join(fields)} }}", variables


SOUP = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "...",
    "on",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "F",
    "$x",
    "$x: Int",
    "@skip(if: true)",
    "@include(if: $x)",
    "@deprecated",
    '"s"',
    '"""block"""',
    "1",
    "-1",
    "1.5e308",
    "true",
    "null",
    "=",
    "!",
    "|",
    "&",
    ",",
    "#c\n",
    "__typename",
    "__schema",
    '__type(name: "Task")',
    "types",
    "name",
    "fields",
    "id",
    'node(id: "x")',
    "units",
    "tasks",
    "edges",
    "mergedInto",
    "totalCount",
    "registerUnit",
    "input",
    "ENUM",
    "\u0000",
    "\ufeff",
]
soup = st.lists(st.sampled_from(SOUP), max_size=40).map(" ".join)
"""Token soup: GraphQL's own words in random order."""


envelopes = st.fixed_dictionaries(
    {},
    optional={
        "query": st.one_of(json_values, strings, soup),
        "variables": json_values,
        "operationName": json_values,
        "extensions": json_values,
        "id": json_values,
    },
)
"""JSON objects shaped almost like a GraphQL request."""

deep_json = st.tuples(st.sampled_from(["[", '{"a":']), st.sampled_from([3, 50, 2000, 100_000]))
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(encode),
    json_values.map(lambda v: encode(v, ascii_only=False)),
    envelopes.map(encode),
    st.lists(envelopes, max_size=3).map(encode),  # a batch
    deep_json.map(lambda d: d[0].encode() * d[1] + b"1" + (b"]" if d[0] == "[" else b"}") * d[1]),
    strings.map(lambda s: s.encode("utf-16", "surrogatepass")),
)
