"""A unit asking for another unit's item does the same work as for an id that names nothing.

Found by probing: ``node`` and ``history`` answered both with null, but another unit's item
took one more statement (its type was read, then whether it concerned the unit), so the time
of the answer told that the item exists. Both are now told by one statement. The test counts
the statements the server sends to its read models (not time), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from domain.channels import Channel
from domain.legacy_issue import LegacyCategory
from domain.unit import UnitKind
from tests.api.conftest import LiveServer, server_on
from tests.api.helpers import caught_up, on

NODE = "query($id: ID!) { node(id: $id) { __typename id version } }"
HISTORY = "query($id: ID!) { history(itemId: $id) { itemId itemType version } }"
QUERIES = {"node": NODE, "history": HISTORY}


@dataclass
class World:
    live: LiveServer
    unit_a: str
    own: dict[str, str]  # item type -> unit A's item of that type
    other: dict[str, str]  # item type -> unit B's item of that type (none of A's)

    @property
    def staff(self) -> str:
        return f"unit:staff:{self.unit_a}"


def _world(live: LiveServer) -> World:
    ledger = live.services.ledger
    day = on(date(2021, 3, 1))

    def unit(name: str) -> uuid.UUID:
        return ledger.register_unit(day, name=name, kind=UnitKind.DEPARTMENT).item_id

    a, b = unit("区住建局"), unit("区市场监管局")

    def task(lead: uuid.UUID, number: int) -> str:
        item = ledger.register_task(day, plan_year=2021, title=f"任务{number}", number=number)
        ledger.assign_task(day, item.item_id, lead_units=[lead], deadline=date(2021, 12, 31))
        return str(item.item_id)

    def complaint(first: uuid.UUID) -> str:
        summary = "the permit office kept the papers for a month"
        item = ledger.receive_complaint(
            day, channel=Channel.HOTLINE_12345, summary=summary, first_responder=first
        )
        return str(item.item_id)

    def issue(responsible: uuid.UUID) -> str:
        item = ledger.register_legacy_issue(
            day,
            title="an unfinished road",
            category=LegacyCategory.LAND,
            cause="funds ran out",
            responsible_unit=responsible,
            target_year=2021,
            baseline=True,
        )
        return str(item.item_id)

    own = {"Unit": str(a), "Task": task(a, 1), "Complaint": complaint(a), "LegacyIssue": issue(a)}
    other = {"Unit": str(b), "Task": task(b, 2), "Complaint": complaint(b), "LegacyIssue": issue(b)}
    world = World(live, str(a), own, other)
    live.token(world.staff)  # issued (an event of its own) before the read models catch up
    caught_up(live)
    return world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with server_on(request.param, tmp_path_factory.mktemp("confinement-work")) as live:
        yield _world(live)


def _asked(world: World, query: str, item_id: str) -> tuple[Any, int]:
    """The answer to ``query`` for ``item_id`` as unit A's staff, and the statements it took."""
    with world.live.count_queries() as counter:
        response = world.live.post(query, {"id": item_id}, actor=world.staff)
    assert response.status_code == 200, response.text
    return response.json(), counter.count


@pytest.mark.parametrize("spelled", ["global-id", "bare-uuid"])
@pytest.mark.parametrize("item_type", ["Unit", "Task", "Complaint", "LegacyIssue"])
@pytest.mark.parametrize("field", QUERIES)
def test_a_unit_asking_for_another_units_item_takes_the_same_statements_as_for_an_unknown_id(
    world: World, field: str, item_type: str, spelled: str
) -> None:
    def spell(item_id: str) -> str:
        return f"{item_type}:{item_id}" if spelled == "global-id" else item_id

    query = QUERIES[field]
    other, other_count = _asked(world, query, spell(world.other[item_type]))
    unknown, unknown_count = _asked(world, query, spell(str(uuid.uuid4())))

    assert other == unknown == {"data": {field: None}}
    assert other_count == unknown_count
    own, _ = _asked(world, query, spell(world.own[item_type]))
    assert own["data"][field] is not None, own  # the unit still sees its own item
    assert world.live.gql(query, {"id": spell(world.other[item_type])})[field] is not None


@pytest.mark.parametrize("field", QUERIES)
def test_a_unit_asking_for_its_own_item_under_another_type_gets_the_answer_for_an_unknown_id(
    world: World, field: str
) -> None:
    query = QUERIES[field]
    wrong_type, _ = _asked(world, query, f"Complaint:{world.own['Task']}")

    assert wrong_type == {"data": {field: None}}
