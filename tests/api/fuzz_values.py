"""Hypothesis strategies for the fuzz tests: hostile values of every kind the schema takes
(strings, numbers, dates, ids of items that exist and do not), and GraphQL literals of them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
)
from hypothesis import strategies as st

from tests.api.fuzz_harness import ITEM_TYPES, SEEDED
from tests.clock import now

SURROGATE_CHAR = re.compile("[\ud800-\udfff]")


NASTY = [
    "",
    " ",
    "\x00",
    "\t\r\n",
    "\u202e\u200b",
    "\ufeff",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "${jndi:ldap://x/a}",
    "{{7*7}}",
    "%s%n%x",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "null",
    "undefined",
    "NaN",
    "-0",
    "1e309",
    "Task:",
    ":",
    "::",
    "Task:Task:00000000-0000-0000-0000-000000000000",
    "\\",
    '"',
    "😀" * 20,
    "ｔａｓｋ",
    "٣٤",
    "²",
    "Ⅻ",
    "ß" * 100,
    "\U0010ffff",
    "\x7f\x80\x9f",
]
"""Strings known to upset parsers, templates and databases."""

small_text = st.text(max_size=30)
nasty_text = st.sampled_from(NASTY)
unicode_text = st.text(
    st.characters(codec=None, exclude_categories=["Cs"]), max_size=30
)  # control characters, private use, unassigned
surrogates = st.lists(st.characters(categories=["Cs"]), min_size=1, max_size=3).map("".join)
strings = st.one_of(small_text, nasty_text, unicode_text, small_text, surrogates)

ints = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.sampled_from([0, -1, 1, 100, 101, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, 10**30]),
    st.integers(),
)
floats = st.floats(allow_nan=True, allow_infinity=True)

NOW = now()
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.integers(-400, 400).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
    st.sampled_from(
        [
            "2021-02-30",
            "0000-00-00",
            "2021-13-01",
            "20210101",
            "2021-1-1",
            "-0001-01-01",
            "+10000-01-01",
            "2021-01-01T00:00:00Z",
            "today",
        ]
    ),
    strings,
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-14)), None])
datetimes = st.one_of(
    st.datetimes(timezones=zones).map(datetime.isoformat),
    st.integers(-(10**6), 10**5).map(lambda s: (NOW + timedelta(seconds=s)).isoformat()),
    st.sampled_from(
        [
            "2021-01-01T25:00:00+08:00",
            "2021-01-01T00:00:00+99:00",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00",
            "now",
        ]
    ),
    strings,
)
decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["NaN", "sNaN", "-Infinity", "1e999999999", "-0", "88.55", "1_000", "0x10", "1" * 5000]
    ),
    st.integers().map(str),
    floats,
    strings,
)


def seeded_id(pick: int) -> str:
    return seeded_of(None, pick)


ids = st.one_of(
    st.integers(0, 50).map(seeded_id),
    st.integers(0, 50).map(lambda i: seeded_id(i).split(":")[-1]),  # bare UUIDs
    st.builds(
        lambda kind, uuid: f"{kind}:{uuid}",
        st.sampled_from([*ITEM_TYPES, "Disclosure", "AccessToken", "Receipt", "task", ""]),
        st.uuids(),
    ),
    st.uuids().map(str),
    st.integers(0, 50).map(lambda i: seeded_id(i).replace(":", "::")),
    st.integers(0, 50).map(lambda i: seeded_id(i).upper()),
    strings,
)
"""Ids: real global ids, bare UUIDs, ids of other types and of nothing, junk."""

json_values = st.recursive(
    st.none() | st.booleans() | ints | floats | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(small_text, inner, max_size=4),
    max_leaves=12,
)
"""Any JSON value: the wrong type for any argument."""

SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "ID": ids,
    "String": strings,
    "Int": ints,
    "Float": floats,
    "Boolean": st.booleans(),
    "Date": dates,
    "DateTime": datetimes,
    "Decimal": decimals,
    "JSON": json_values,
}


def chance(draw: st.DrawFn, percent: int) -> bool:
    """True about ``percent`` times in a hundred: a number away from the ends Hypothesis
    favours, and False for 0, to which it shrinks."""
    return 40 <= draw(st.integers(0, 99)) < 40 + percent


WELL_TYPED: dict[str, st.SearchStrategy[Any]] = {
    **SCALARS,
    "Int": st.one_of(st.integers(-5, 120), st.integers(-(2**31), 2**31 - 1)),
    "Float": st.floats(allow_nan=False, allow_infinity=False),
    "Date": st.one_of(
        st.integers(-400, 400).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
        st.dates().map(date.isoformat),
    ),
    "DateTime": st.one_of(
        st.integers(-(10**6), 10**5).map(lambda s: (NOW + timedelta(seconds=s)).isoformat()),
        st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))])).map(
            datetime.isoformat
        ),
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.decimals(-1000, 1000, places=1).map(str),
    ),
}
"""Values of the right type (a ``String`` may still say anything)."""


PLAUSIBLE = -1
"""``wild`` for inputs a real client might send: plain words, the ledger's own ids."""

ID_KINDS = {
    "taskId": "Task",
    "complaintId": "Complaint",
    "issueId": "LegacyIssue",
    "interviewId": "Interview",
    "referralId": "Referral",
    "unitId": "Unit",
    "assessmentId": "Assessment",
    "targetId": "LegacyTarget",
    "unit": "Unit",
    "into": "Unit",
    "leadUnits": "Unit",
    "cooperatingUnits": "Unit",
    "firstResponder": "Unit",
    "toUnit": "Unit",
    "responsibleUnit": "Unit",
    "subjectUnit": "Unit",
}
"""The item an id input names, by the input's name (as the mutations read them)."""


def seeded_of(kind: str | None, pick: int) -> str:
    """A registered item's global id, of ``kind`` when one was registered."""
    same = [i for i in SEEDED if kind is None or i.startswith(f"{kind}:")]
    if same:
        return same[pick % len(same)]
    return f"{kind or 'Task'}:{UUID(int=pick)}"


words = st.text("整改督办测试abc xyz-12", min_size=1, max_size=16).map(lambda t: t.strip() or "x")
PLAUSIBLE_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "period": st.sampled_from(["2026", "2026-Q1", "2025-Q4", "2026-Q4"]),
    "complainantPhone": st.sampled_from(["13812345678", "010-12345678"]),
    "planYear": st.integers(2020, 2030),
    "year": st.integers(2020, 2030),
    "targetYear": st.integers(2020, 2030),
    "percent": st.integers(0, 100),
    "requiredResolvedPercent": st.integers(0, 100),
    "workingDays": st.integers(1, 30),
    "amountYuan": st.integers(1, 1000),
    "evidence": st.lists(st.integers(1, 40), min_size=1, max_size=3),
    "expectedVersion": st.integers(1, 5),
    "scheduledFor": st.integers(1, 30).map(lambda d: (NOW + timedelta(days=d)).isoformat()),
    "occurredAt": st.integers(0, 3600).map(lambda s: (NOW - timedelta(seconds=s)).isoformat()),
}
PLAUSIBLE_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": words,
    "Int": st.integers(0, 100),
    "Float": st.floats(0, 100),
    "Boolean": st.booleans(),
    "Date": st.integers(1, 200).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat()),
    "DateTime": st.integers(0, 3600).map(lambda s: (NOW - timedelta(seconds=s)).isoformat()),
    "Decimal": st.decimals(0, 100, places=1).map(str),
    "JSON": json_values,
}


@st.composite
def value_of(
    draw: st.DrawFn,
    of: GraphQLInputType,
    wild: int,
    depth: int = 0,
    nullable: bool = True,
    name: str = "",
) -> Any:
    """A value for an input of type ``of`` (named ``name``). ``wild`` 0: of the right
    type, its content still hostile (junk ids, huge numbers, any text). ``PLAUSIBLE``: as
    a client would send it. Else, ``wild`` percent of the time at each level, any JSON
    value, and enum names, dates, required and unknown fields go wrong too."""
    strict, plausible = wild == 0, wild == PLAUSIBLE
    if wild > 0 and chance(draw, wild):
        return draw(json_values)
    if isinstance(of, GraphQLNonNull):
        return draw(value_of(of.of_type, wild, depth, nullable=False, name=name))
    if plausible and name in PLAUSIBLE_BY_NAME:
        return draw(PLAUSIBLE_BY_NAME[name])
    if (nullable or wild > 0) and chance(draw, 5):
        return None
    if isinstance(of, GraphQLList):
        if depth > 3 or (not plausible and chance(draw, 10)):
            return draw(value_of(of.of_type, wild, depth + 1, name=name))  # one, for a list
        inner = value_of(of.of_type, wild, depth + 1, nullable=False, name=name)
        return draw(st.lists(inner, min_size=int(plausible), max_size=3))
    if isinstance(of, GraphQLEnumType):
        names = st.sampled_from(sorted(of.values))
        return draw(names if wild <= 0 else st.one_of(names, strings))
    if isinstance(of, GraphQLInputObjectType):
        given: dict[str, Any] = {}
        for field_name, input_field in of.fields.items():
            required = (
                isinstance(input_field.type, GraphQLNonNull)
                and input_field.default_value is Undefined
            )
            if (required and (wild <= 0 or not chance(draw, 3))) or (
                not required and (chance(draw, 25) if plausible else draw(st.booleans()))
            ):
                given[field_name] = draw(
                    value_of(input_field.type, wild, depth + 1, name=field_name)
                )
        if wild > 0 and chance(draw, 10):
            given[draw(small_text)] = draw(json_values)  # a field the type does not have
        return given
    assert isinstance(of, GraphQLScalarType), of
    if plausible and of.name == "ID":
        return seeded_of(ID_KINDS.get(name), draw(st.integers(0, 50)))
    table = PLAUSIBLE_SCALARS if plausible else WELL_TYPED if strict else SCALARS
    return draw(table[of.name])


NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


def literal(value: Any, of: Any) -> str:
    """``value`` written inline in a document (a GraphQL literal), as a client would."""
    named = get_named_type(of) if of is not None else None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if isinstance(named, GraphQLEnumType) and NAME.match(value):
            return value
        text = json.dumps(value, ensure_ascii=False)  # a lone surrogate can only be escaped:
        return SURROGATE_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if isinstance(value, list):
        inner = of.of_type if isinstance(of, GraphQLList) else of
        if isinstance(of, GraphQLNonNull) and isinstance(of.of_type, GraphQLList):
            inner = of.of_type.of_type
        return "[" + ", ".join(literal(v, inner) for v in value) + "]"
    fields = named.fields if isinstance(named, GraphQLInputObjectType) else {}
    parts = []
    for key, item in value.items():
        name = key if NAME.match(key) else "_" + re.sub(r"\W", "_", key, flags=re.ASCII)
        given = fields.get(key)
        parts.append(f"{name}: {literal(item, given.type if given else None)}")
    return "{" + ", ".join(parts) + "}"
