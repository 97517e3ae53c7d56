"""Interviews recorded before interviewees had posts (``Interview.Scheduled`` version 1, the
interviewee one free text, no ``interviewees``) still read: the stored row stays as it was
written; reading it upcasts it to one interviewee, the text as the name, no post."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.interview import Interview, InterviewState
from domain.ledger import Ledger
from domain.person import Person
from projections.stored_json import event_data
from tests.clock import now
from tests.integration.builders import office, task_in_progress, unit


def stored_as_version_1(ledger: Ledger, interviewee: str) -> UUID:
    """An interview whose ``Scheduled`` row is as the code before version 2 wrote it."""
    lead = unit(ledger)
    written = ledger.schedule_interview(
        office(occurred_at=now() - timedelta(hours=2)),
        unit=lead,
        interviewee=interviewee,
        reason="进度滞后",
        cited_items=[task_in_progress(ledger, lead)],
        scheduled_for=now() - timedelta(hours=1),
    )
    (row,) = ledger.recorder.select_events(written.item_id)
    state: dict[str, Any] = ledger.mapper.transcoder.decode(row.state)
    assert state.pop("class_version") == 2 and state.pop("interviewees") == []
    old_id = uuid4()
    state["originator_id"] = old_id
    old = StoredEvent(old_id, 1, row.topic, ledger.mapper.transcoder.encode(state))
    ledger.recorder.insert_events([old])
    return old_id


def test_an_interview_recorded_with_free_text_reads_as_one_interviewee_without_a_post(
    memory_ledger: Ledger,
) -> None:
    interview_id = stored_as_version_1(memory_ledger, "区住建局局长 张某")
    interview = memory_ledger.get(Interview, interview_id)
    assert interview.interviewee == "区住建局局长 张某"
    assert interview.interviewees == (Person("区住建局局长 张某", None),)
    (row,) = memory_ledger.recorder.select_events(interview_id)
    assert "interviewees" not in event_data(row.state)


def test_an_interview_recorded_before_posts_is_held_and_followed_up_as_before(
    memory_ledger: Ledger,
) -> None:
    interview_id = stored_as_version_1(memory_ledger, "局长")
    memory_ledger.hold_interview(
        office(),
        interview_id,
        facts="进度滞后",
        commitments=[],
        demands=["限期整改"],
        rectify_by=now().date() + timedelta(days=14),
    )
    assert memory_ledger.get(Interview, interview_id).state is InterviewState.HELD
