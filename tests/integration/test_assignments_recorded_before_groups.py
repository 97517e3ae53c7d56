"""Assignments recorded before cooperating groups were kept (``Task.Assigned`` version 1: no
``cooperating_groups``) still read: the stored row stays as it was written; reading it gives
the task no groups, and its lifecycle goes on as before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from domain.task import Task
from domain.task_events import TaskState
from domain.unit import UnitKind
from projections.stored_json import event_data
from tests.clock import today
from tests.integration.builders import office, task_in_progress, unit


def stored_as_version_1(ledger: Ledger) -> tuple[UUID, UUID]:
    """A task (and its lead unit) whose ``Assigned`` row is as the code before version 2
    wrote it: the other rows copied as they are."""
    lead = unit(ledger)
    written = task_in_progress(ledger, lead)
    old_id = uuid4()
    rows = []
    for row in ledger.recorder.select_events(written):
        state: dict[str, Any] = ledger.mapper.transcoder.decode(row.state)
        if row.topic.endswith("Task.Assigned"):
            assert state.pop("class_version") == 2 and state.pop("cooperating_groups") == []
        state["originator_id"] = old_id
        encoded = ledger.mapper.transcoder.encode(state)
        rows.append(StoredEvent(old_id, row.originator_version, row.topic, encoded))
    ledger.recorder.insert_events(rows)
    return old_id, lead


def test_an_assignment_recorded_before_groups_reads_with_none(memory_ledger: Ledger) -> None:
    task_id, lead = stored_as_version_1(memory_ledger)
    task = memory_ledger.get(Task, task_id)
    assert task.cooperating_groups == ()
    assert task.lead_units == (lead,)
    assigned = memory_ledger.recorder.select_events(task_id)[1]
    assert "cooperating_groups" not in event_data(assigned.state)


def test_a_task_assigned_before_groups_goes_on_to_completion_as_before(
    memory_ledger: Ledger,
) -> None:
    task_id, _ = stored_as_version_1(memory_ledger)
    memory_ledger.report_progress(office(), task_id, percent=100, narrative="全部完成")
    memory_ledger.request_completion(office(), task_id, summary="全部完成")
    assert memory_ledger.get(Task, task_id).state is TaskState.COMPLETION_REQUESTED


def test_an_assignment_with_groups_is_stored_as_version_2_and_reads_back(
    memory_ledger: Ledger,
) -> None:
    lead = unit(memory_ledger)
    task = memory_ledger.register_task(office(), plan_year=2021, title="丰富舆论宣传")
    memory_ledger.assign_task(
        office(),
        task.item_id,
        lead_units=[lead],
        deadline=today() + timedelta(days=365),
        cooperating_groups=[UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT],
    )
    assigned = memory_ledger.recorder.select_events(task.item_id)[1]
    assert event_data(assigned.state)["cooperating_groups"] == ["subdistrict", "department"]
    found = memory_ledger.get(Task, task.item_id).cooperating_groups
    assert found == (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT)
