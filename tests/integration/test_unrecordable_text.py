"""Text the ledger cannot record (NUL, other control characters but tab and newline, lone
surrogates) is refused by every command, naming the field, and nothing is written (the
rules' answer, checked on a ledger in memory); any other text is recorded as given, on
SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.channels import Channel
from domain.errors import ValidationError
from domain.ledger import Ledger
from domain.meta import Role
from domain.task import Task
from domain.text import UNRECORDABLE
from domain.unit import UnitKind
from tests.clock import now
from tests.conftest import examples
from tests.integration.builders import office, task_in_progress, unit

BAD = st.sampled_from(["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\ud800", "\udfff"])
AROUND = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=8)


def task_units(ledger: Ledger) -> list[UUID]:
    """The units of the task the test made (its lead first)."""
    return list(ledger.get(Task, TASKS[id(ledger)]).lead_units)


TASKS: dict[int, UUID] = {}


def _head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


@pytest.mark.parametrize(
    ("field", "command"),
    [
        (
            "narrative",
            lambda ledger, task, text: ledger.report_progress(
                office(), task, percent=10, narrative=text
            ),
        ),
        (
            "evidence",
            lambda ledger, task, text: ledger.report_progress(
                office(), task, percent=10, narrative="进展", evidence=["ok", text]
            ),
        ),
        ("reason", lambda ledger, task, text: ledger.urge_task(office(), task, reason=text)),
        (
            "summary",
            lambda ledger, task, text: ledger.receive_complaint(
                office(),
                channel=Channel.HOTLINE_12345,
                summary=text,
                first_responder=task_units(ledger)[0],
            ),
        ),
        (
            "complainant_name",
            lambda ledger, task, text: ledger.receive_complaint(
                office(),
                channel=Channel.HOTLINE_12345,
                summary="办事难",
                complainant_name=text,
                first_responder=task_units(ledger)[0],
            ),
        ),
        (
            "idempotency_key",
            lambda ledger, task, text: ledger.urge_task(
                office(idempotency_key=text), task, reason="催办"
            ),
        ),
    ],
)
def test_a_nul_character_is_refused_naming_the_field_and_writes_nothing(
    memory_ledger: Ledger, field: str, command: object
) -> None:
    task = TASKS[id(memory_ledger)] = task_in_progress(memory_ledger, unit(memory_ledger))
    head = _head(memory_ledger)
    with pytest.raises(ValidationError) as refused:
        command(memory_ledger, task, "a\x00b")  # type: ignore[operator]
    assert refused.value.field == field
    assert "U+0000" in refused.value.message
    assert _head(memory_ledger) == head


@settings(max_examples=examples(30), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=AROUND, bad=BAD, after=AROUND)
def test_any_unrecordable_character_in_a_narrative_is_refused(
    memory_ledger: Ledger, before: str, bad: str, after: str
) -> None:
    task = task_in_progress(memory_ledger, unit(memory_ledger, uuid4().hex))
    head = _head(memory_ledger)
    with pytest.raises(ValidationError) as refused:
        memory_ledger.report_progress(
            office(), task, percent=10, narrative=f"进展{before}{bad}{after}完"
        )
    assert refused.value.field == "narrative"
    assert _head(memory_ledger) == head


@settings(max_examples=examples(30), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(narrative=st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_any_other_text_is_recorded_as_given(ledger: Ledger, narrative: str) -> None:
    task = task_in_progress(ledger, unit(ledger, uuid4().hex))
    if UNRECORDABLE.search(narrative):
        with pytest.raises(ValidationError):
            ledger.report_progress(office(), task, percent=10, narrative=narrative)
        return
    ledger.report_progress(office(), task, percent=10, narrative=narrative)
    event = ledger.item_events(task)[-1]
    assert isinstance(event, Task.ProgressReported)
    assert event.narrative == narrative.strip()


@pytest.mark.parametrize(
    ("field", "command"),
    [
        (
            "name",
            lambda ledger, text: ledger.register_unit(
                office(), name=f"单位{text}", kind=UnitKind.DEPARTMENT
            ),
        ),
        (
            "secret_hash",
            lambda ledger, text: ledger.issue_token(
                office(),
                secret_hash=(text + "0" * 64)[:64],
                role=Role.VIEWER,
                name="大屏",
                expires_at=now() + timedelta(days=1),
            ),
        ),
    ],
)
@pytest.mark.parametrize("bad", ["\ud800", "\x00"])
def test_text_an_item_id_is_made_from_is_refused_naming_it_before_the_id_is_made(
    memory_ledger: Ledger, field: str, command: Any, bad: str
) -> None:
    """A lone surrogate has no UTF-8 to make an id from: it was a UnicodeEncodeError."""
    head = _head(memory_ledger)
    with pytest.raises(ValidationError) as refused:
        command(memory_ledger, f"a{bad}b")
    assert refused.value.field == field
    assert _head(memory_ledger) == head
