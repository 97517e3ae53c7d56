"""Run random command sequences against one aggregate and check it after every step.

Each step happens 0 to 3 days after the previous one, so business time never goes
backwards. Four steps in five pick a command the current state allows (its arguments
may still be refused); the fifth picks any command, to exercise refusals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from hypothesis import event
from hypothesis import strategies as st

from domain.errors import InvalidTransition, LedgerError
from domain.meta import LedgerItem
from tests.domain.builders import meta

Kwargs = st.SearchStrategy[dict[str, Any]]

TEXT = st.sampled_from(["理由", "说明", " 进展 ", "", "  "])


def _call(item: Any, name: str, kwargs: dict[str, Any], m: Any) -> None:
    getattr(item, name)(**kwargs, meta=m)


@dataclass(frozen=True)
class Lifecycle:
    """One aggregate's lifecycle, as the property tests see it.

    ``commands`` draws the keyword arguments of each command method; ``allowed`` names
    the states each may start from; ``next_state(command, kwargs, before)`` says where a
    successful step leads, from the item's attributes before it; ``invariant(item)``
    checks the item against its own pending events.
    """

    states: Collection[Enum]
    commands: Mapping[str, Kwargs]
    allowed: Mapping[str, Collection[Enum]]
    next_state: Callable[[str, dict[str, Any], dict[str, Any]], Enum]
    invariant: Callable[[Any], None]
    call: Callable[[Any, str, dict[str, Any], Any], None] = _call


def attributes(item: LedgerItem) -> dict[str, Any]:
    return {k: v for k, v in vars(item).items() if k != "_pending_events"}


def events_of(item: LedgerItem, name: str) -> list[Any]:
    return [e for e in item.pending_events if type(e).__name__ == name]


def _pick(data: st.DataObject, lifecycle: Lifecycle, state: Enum) -> str:
    allowed = sorted(n for n, states in lifecycle.allowed.items() if state in states)
    if allowed and data.draw(st.integers(0, 4), label="bias"):
        return data.draw(st.sampled_from(allowed), label="command")
    return data.draw(st.sampled_from(sorted(lifecycle.commands)), label="command")


def run(item: Any, data: st.DataObject, lifecycle: Lifecycle, max_steps: int = 50) -> None:
    """Apply random steps to ``item``, checking every one, then check the replay."""
    assert set(lifecycle.commands) == set(lifecycle.allowed)
    now = item.last_occurred_at
    lifecycle.invariant(item)
    for _ in range(data.draw(st.integers(10, max_steps), label="steps")):
        now += timedelta(minutes=data.draw(st.integers(0, 3 * 24 * 60), label="minutes"))
        name = _pick(data, lifecycle, item.state)
        kwargs = data.draw(lifecycle.commands[name], label=name)
        before, pending = attributes(item), list(item.pending_events)
        try:
            lifecycle.call(item, name, kwargs, meta(now))
        except LedgerError as error:
            assert attributes(item) == before
            assert item.pending_events == pending
            if before["state"] not in lifecycle.allowed[name]:
                assert isinstance(error, InvalidTransition)
        else:
            assert before["state"] in lifecycle.allowed[name], (name, before["state"])
            assert item.version == before["_version"] + 1
            assert item.pending_events[:-1] == pending
            assert item.last_occurred_at == now
            assert item.state is lifecycle.next_state(name, kwargs, before)
            event(f"{name} from {before['state'].value}")
        assert item.state in lifecycle.states
        lifecycle.invariant(item)
    events = item.collect_events()
    rebuilt = None
    for recorded in events:
        rebuilt = recorded.mutate(rebuilt)
    assert rebuilt == item
    assert rebuilt.version == len(events)
