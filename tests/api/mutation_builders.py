"""Builders for the mutation tests (test_mutation_*.py): units and tasks made through the real
HTTP API, a unit's staff as actors, and what an item's version and events are.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.access import token_hash, token_id_for
from tests.api.conftest import LiveServer
from tests.api.helpers import mutate

TASK_FIELDS = (
    "... on Task { state progress deadline title leadUnits { id name } cooperatingUnits { id } }"
)


def unit_actor(unit: str, name: str = "clerk-wang") -> str:
    """The actor (``role:name:unit``) of a clerk of ``unit`` (a global id)."""
    return f"unit:{name}:{unit.split(':')[1]}"


def actor_id(live: LiveServer, actor: str) -> str:
    """The actor id the server stamps for ``actor``'s token: ``<name>#<token id[:8]>``."""
    name = actor.split(":")[1]
    token_id = token_id_for(token_hash(live.token(actor)))
    return f"{name}#{str(token_id)[:8]}"


def register_unit(live: LiveServer, name: str, kind: str = "DEPARTMENT") -> str:
    result = mutate(live, "registerUnit", {"name": name, "kind": kind})
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


def register_task(live: LiveServer, title: str = "推行企业开办一网通办", number: int = 1) -> str:
    result = mutate(live, "registerTask", {"planYear": 2026, "number": number, "title": title})
    assert result["__typename"] == "MutationSuccess", result
    item_id: str = result["itemId"]
    return item_id


def deadline_ahead(live: LiveServer, days: int = 30) -> str:
    return (live.services.today() + timedelta(days=days)).isoformat()


def assigned_task(live: LiveServer, lead: str, other: str) -> str:
    """A new task assigned to ``lead``, with ``other`` cooperating."""
    task = register_task(live)
    assigned = mutate(
        live,
        "assignTask",
        {
            "taskId": task,
            "leadUnits": [lead],
            "cooperatingUnits": [other],
            "deadline": deadline_ahead(live),
        },
    )
    assert assigned["__typename"] == "MutationSuccess", assigned
    return task


def task_in_progress(live: LiveServer) -> tuple[str, str, str]:
    """A task assigned to a lead and a cooperating unit and accepted: (task, lead, other);
    the task is at version 3."""
    lead, other = register_unit(live, "区住建局"), register_unit(live, "区市场监管局")
    task = assigned_task(live, lead, other)
    accepted = mutate(live, "acceptTask", {"taskId": task, "unit": lead}, actor=unit_actor(lead))
    assert accepted == {**accepted, "__typename": "MutationSuccess", "version": 3}
    return task, lead, other


def version_of(live: LiveServer, item: str) -> int:
    """How many events the item has in the log itself."""
    return len(live.services.ledger.item_events(UUID(item.split(":")[1])))


def event_types(live: LiveServer, item: str) -> list[str]:
    return [type(e).__name__ for e in live.services.ledger.item_events(UUID(item.split(":")[1]))]
