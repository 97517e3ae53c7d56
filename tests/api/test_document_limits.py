"""A small document whose fragments spread each other twice expands exponentially: it is
refused by its expanded size, counted with each fragment once, before any rule walks it."""

from __future__ import annotations

from graphql import parse

from api.graphql.document_limits import MAX_SELECTIONS, expanded_selections
from tests.api.conftest import VIEWER, LiveServer
from tests.api.subscription_helpers import ws as subscriber


def doubling(levels: int) -> str:
    """``{ ...L<levels> }``: L0 selects ``units { id }``, each Li spreads L(i-1) twice."""
    fragments = ["fragment L0 on Query { units { id } }"]
    fragments += [
        f"fragment L{i} on Query {{ ...L{i - 1} ...L{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"{{ ...L{levels} }}\n" + "\n".join(fragments)


def test_the_expanded_size_counts_every_spread_in_full_and_each_fragment_once() -> None:
    assert expanded_selections(parse(doubling(0))) == 2
    assert expanded_selections(parse(doubling(39))) == 2**40  # answered at once, not walked


def test_inline_fragments_and_nested_fields_are_counted() -> None:
    document = parse("{ a: units { id name } ... on Query { b: units { id } } }")
    assert expanded_selections(document) == 5


def test_a_doubling_document_is_refused_by_its_expanded_size(live: LiveServer) -> None:
    response = live.post(doubling(21), actor=VIEWER)
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert f"the limit is {MAX_SELECTIONS}" in errors[0]["message"]
    assert "4194304" in errors[0]["message"]


def test_a_document_within_the_expanded_limit_is_answered(live: LiveServer) -> None:
    body = live.post(doubling(11), actor=VIEWER).json()  # 4,096 selections, merged into one
    assert "errors" not in body, body
    assert isinstance(body["data"]["units"], list)


def test_the_limit_holds_on_a_websocket_too(live: LiveServer) -> None:
    with subscriber(live, VIEWER) as ws:
        op = ws.subscribe(doubling(21))
        answer = ws.message(op)
    assert answer["type"] == "error", answer
    assert "the limit is" in answer["payload"][0]["message"]
