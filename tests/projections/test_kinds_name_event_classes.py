"""The projections tell events apart by their classes, the very classes the log's events
are decoded as (an aggregate's own subclass of each event, not the base it inherits:
a table keyed by the base would never match), never by a name written as a string."""

from __future__ import annotations

import ast
from pathlib import Path

from eventsourcing.utils import get_topic, resolve_topic

from domain.meta import LedgerEvent
from projections.complaint_kind import DEADLINE_EVENTS, SIGN_FOR_EVENTS
from projections.kinds import TASK_ACTIVITY
from projections.topics import topics_of

PROJECTIONS = Path(__file__).resolve().parents[2] / "projections"
ITEM_TYPES = ("Unit", "Task", "Complaint", "LegacyIssue", "LegacyTarget", "Interview")
EVENT_NAMES = frozenset(
    name
    for topic in topics_of([*ITEM_TYPES, "Referral", "Assessment"])
    for name in (topic.rpartition(".")[2], topic.partition(":")[2])
)
"""Every event's own name (``Assigned``) and qualified name (``Task.Assigned``)."""


def test_the_task_activity_table_is_keyed_by_the_classes_task_events_are_decoded_as() -> None:
    decoded = {resolve_topic(topic) for topic in topics_of(["Task"])}
    assert set(TASK_ACTIVITY) <= decoded
    assert all(resolve_topic(get_topic(event)) is event for event in TASK_ACTIVITY)


def test_the_deadline_and_sign_for_events_are_the_classes_complaint_events_are_decoded_as() -> None:
    decoded = {resolve_topic(topic) for topic in topics_of(["Complaint"])}
    assert set(DEADLINE_EVENTS) <= decoded
    assert set(SIGN_FOR_EVENTS) <= decoded


def test_every_event_the_domain_decodes_is_a_ledger_event_class() -> None:
    assert all(issubclass(resolve_topic(t), LedgerEvent) for t in topics_of(["Task"]))


def test_no_projection_module_matches_an_event_by_its_name() -> None:
    found = [
        f"{path.relative_to(PROJECTIONS.parent)}:{line}: {what}"
        for path in sorted(PROJECTIONS.rglob("*.py"))
        for line, what in _name_matches(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def _name_matches(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module reads a class's name (``__name__``, ``__qualname__``) to compare it,
    or writes an event's name as a string: compared, or a key of a dict or a set."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_reads_a_name(side) for side in sides):
                found.append((node.lineno, "a class's name compared"))
            if any(_an_event_name(side) for side in sides):
                found.append((node.lineno, "an event's name compared"))
        elif isinstance(node, ast.Dict):
            if any(key is not None and _an_event_name(key) for key in node.keys):
                found.append((node.lineno, "a dict keyed by an event's name"))
        elif isinstance(node, ast.Set | ast.Tuple | ast.List):
            if any(_an_event_name(element) for element in node.elts):
                found.append((node.lineno, "an event's name among others"))
        elif isinstance(node, ast.match_case) and any(
            _an_event_name(n) for n in ast.walk(node.pattern)
        ):
            found.append((node.pattern.lineno, "an event's name matched"))
    return found


def _reads_a_name(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr in ("__name__", "__qualname__")
        for n in ast.walk(node)
    )


def _an_event_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in EVENT_NAMES


def test_the_scan_finds_an_event_matched_by_its_name() -> None:
    written = (
        'if type(e).__name__ == "Assigned": pass\n'
        'COUNTS = {"Task.Verified": 1}\n'
        'if name in ("Received", "Closed"): pass\n'
    )
    assert {line for line, _ in _name_matches(ast.parse(written))} == {1, 2, 3}
