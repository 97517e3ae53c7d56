"""The latest events' answers to the live feed's subscribers, by what they depend on
(``api.graphql.shared_events``): a bounded memory, the least recently kept going first."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

KEPT = 10_000
"""Answers kept (kinds of subscription × the latest events)."""


class EventAnswers:
    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        return self._answers.get(key)

    def keep(self, key: Hashable, answer: Any) -> None:
        self._answers[key] = answer
        if len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)

    def kept_at(self, position: int) -> int:
        """How many answers are kept for the event at ``position`` (one per kind of
        subscription asking for it)."""
        return sum(1 for key in self._answers if isinstance(key, tuple) and key[-1] == position)
