"""Every text and every list a command records has a limit, in the policy file: a command
over one is refused, naming the field and the limit, and writes nothing (a 990 KB narrative
and a 60,000-entry evidence list were recorded, 20 MB/s of append-only storage per token).
On SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import typing
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

import domain
from api.bootstrap import open_ledger
from api.settings import load_policy
from domain.channels import Channel
from domain.errors import ValidationError
from domain.escalation import Milestone
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory
from domain.meta import COMMON_FIELDS, LedgerEvent
from domain.policy import default_policy
from domain.task import Task
from domain.unit import UnitKind
from tests.clock import today
from tests.conftest import settings_for
from tests.integration.builders import office, task_in_progress, unit

LIMITS = default_policy().inputs
HUGE = "进" * 330_000  # 990 KB of UTF-8


def _head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def _refused(ledger: Ledger, act: Callable[[], object]) -> ValidationError:
    """The refusal of ``act``, having checked that it wrote nothing."""
    head = _head(ledger)
    with pytest.raises(ValidationError) as refused:
        act()
    assert _head(ledger) == head
    return refused.value


def _legacy_issue(ledger: Ledger, responsible: UUID) -> UUID:
    return ledger.register_legacy_issue(
        office(),
        title="某小区办证难",
        category=next(iter(LegacyCategory)),
        cause="历史原因",
        responsible_unit=responsible,
        target_year=today().year,
        baseline=True,
    ).item_id


TEXT_COMMANDS: list[tuple[str, Callable[[Ledger, UUID, UUID, str], object]]] = [
    (
        "narrative",
        lambda ledger, task, lead, text: ledger.report_progress(
            office(), task, percent=10, narrative=text
        ),
    ),
    ("reason", lambda ledger, task, lead, text: ledger.urge_task(office(), task, reason=text)),
    (
        "summary",
        lambda ledger, task, lead, text: ledger.receive_complaint(
            office(), channel=Channel.HOTLINE_12345, summary=text, first_responder=lead
        ),
    ),
    (
        "title",
        lambda ledger, task, lead, text: ledger.register_task(
            office(), plan_year=today().year, title=text
        ),
    ),
    (
        "name",
        lambda ledger, task, lead, text: ledger.register_unit(
            office(), name=text, kind=UnitKind.DEPARTMENT
        ),
    ),
    (
        "complainant_name",
        lambda ledger, task, lead, text: ledger.receive_complaint(
            office(),
            channel=Channel.HOTLINE_12345,
            summary="办事难",
            complainant_name=text,
            first_responder=lead,
        ),
    ),
    (
        "idempotency_key",
        lambda ledger, task, lead, text: ledger.urge_task(
            office(idempotency_key=text), task, reason="催办"
        ),
    ),
]


@pytest.mark.parametrize(("field", "command"), TEXT_COMMANDS)
def test_a_990_kb_text_is_refused_naming_the_field_and_its_limit_and_nothing_is_written(
    memory_ledger: Ledger, field: str, command: Callable[[Ledger, UUID, UUID, str], object]
) -> None:
    lead = unit(memory_ledger)
    task = task_in_progress(memory_ledger, lead)
    refusal = _refused(memory_ledger, lambda: command(memory_ledger, task, lead, HUGE))
    assert refusal.field == field
    assert f"the limit is {LIMITS.characters(field)}" in refusal.message
    assert f"{len(HUGE)} characters" in refusal.message


@pytest.mark.parametrize(("field", "command"), TEXT_COMMANDS)
def test_a_text_one_character_over_its_limit_is_refused_and_one_at_it_is_recorded(
    ledger: Ledger, field: str, command: Callable[[Ledger, UUID, UUID, str], object]
) -> None:
    lead = unit(ledger)
    task = task_in_progress(ledger, lead)
    most = LIMITS.characters(field)
    refusal = _refused(ledger, lambda: command(ledger, task, lead, "办" * (most + 1)))
    assert refusal.field == field
    head = _head(ledger)
    command(ledger, task, lead, "办" * most)
    assert _head(ledger) > head


def test_a_60000_entry_evidence_list_is_refused_naming_the_field_and_nothing_is_written(
    memory_ledger: Ledger,
) -> None:
    task = task_in_progress(memory_ledger, unit(memory_ledger))
    evidence = [f"附件{n}" for n in range(60_000)]
    refusal = _refused(
        memory_ledger,
        lambda: memory_ledger.report_progress(
            office(), task, percent=10, narrative="进展", evidence=evidence
        ),
    )
    assert refusal.field == "evidence"
    assert refusal.message == f"has 60000 entries; the limit is {LIMITS.entries('evidence')}"


def test_an_evidence_list_at_its_limit_is_recorded_and_one_entry_more_is_refused(
    ledger: Ledger,
) -> None:
    task = task_in_progress(ledger, unit(ledger))
    most = LIMITS.entries("evidence")
    evidence = [f"附件{n}" for n in range(most + 1)]
    refusal = _refused(
        ledger,
        lambda: ledger.report_progress(
            office(), task, percent=10, narrative="进展", evidence=evidence
        ),
    )
    assert refusal.field == "evidence"
    ledger.report_progress(office(), task, percent=10, narrative="进展", evidence=evidence[:most])
    event = ledger.item_events(task)[-1]
    assert isinstance(event, Task.ProgressReported)
    assert len(event.evidence) == most


def test_one_overlong_evidence_entry_is_refused_naming_the_list_the_entry_and_the_limit(
    memory_ledger: Ledger,
) -> None:
    task = task_in_progress(memory_ledger, unit(memory_ledger))
    most = LIMITS.characters("evidence")
    refusal = _refused(
        memory_ledger,
        lambda: memory_ledger.report_progress(
            office(), task, percent=10, narrative="进展", evidence=["ok", "证" * (most + 1)]
        ),
    )
    assert refusal.field == "evidence"
    assert refusal.message == f"entry 2 is {most + 1} characters long; the limit is {most}"


def test_a_milestone_title_longer_than_a_title_is_refused_naming_the_milestones(
    memory_ledger: Ledger,
) -> None:
    issue = _legacy_issue(memory_ledger, unit(memory_ledger))
    most = LIMITS.characters("title")
    due = today() + timedelta(days=30)
    milestones = [Milestone("m1", "摸底", due), Milestone("m2", "题" * (most + 1), due)]
    refusal = _refused(
        memory_ledger,
        lambda: memory_ledger.adopt_plan(office(), issue, plan="分步解决", milestones=milestones),
    )
    assert refusal.field == "milestones"
    assert refusal.message == f"entry 2 title is {most + 1} characters long; the limit is {most}"


def test_a_referral_citing_more_evidence_positions_than_its_limit_is_refused(
    memory_ledger: Ledger,
) -> None:
    lead = unit(memory_ledger)
    task = task_in_progress(memory_ledger, lead)
    most = LIMITS.entries("evidence")
    for percent in range(most):
        memory_ledger.report_progress(office(), task, percent=percent % 100, narrative="进展")
    positions = list(range(1, most + 2))
    refusal = _refused(
        memory_ledger,
        lambda: memory_ledger.refer_to_discipline(
            office(), unit=lead, reason="失职", evidence=positions
        ),
    )
    assert refusal.field == "evidence"


def test_a_complainant_name_is_measured_in_the_clear_so_its_longest_still_seals(
    ledger: Ledger,
) -> None:
    lead = unit(ledger)
    most = LIMITS.characters("complainant_name")
    written = ledger.receive_complaint(
        office(),
        channel=Channel.HOTLINE_12345,
        summary="办事难",
        complainant_name="𠀀" * most,  # four bytes of UTF-8 each: the longest sealed form
        complainant_phone="1" * LIMITS.characters("complainant_phone"),
        first_responder=lead,
    )
    assert written.version == 1


def test_a_ledger_configured_with_a_policy_file_holds_every_command_to_its_limits(
    database_url: str, tmp_path: Path
) -> None:
    override = tmp_path / "policy.toml"
    override.write_text("[inputs.text]\nnarrative = 10\n[inputs.lists]\nlead_units = 1\n")
    policy = load_policy(override)
    assert policy.inputs.characters("reason") == LIMITS.characters("reason")  # the rest stay
    settings = dataclasses.replace(settings_for(database_url), policy=policy)
    ledger = open_ledger(settings)
    try:
        task = task_in_progress(ledger, unit(ledger))
        refusal = _refused(
            ledger,
            lambda: ledger.report_progress(office(), task, percent=10, narrative="进" * 11),
        )
        assert (refusal.field, refusal.message) == (
            "narrative",
            "is 11 characters long; the limit is 10",
        )
        two = [unit(ledger, "甲单位"), unit(ledger, "乙单位")]
        fresh = ledger.register_task(office(), plan_year=today().year, title="任务").item_id
        due = today() + timedelta(days=30)
        refusal = _refused(
            ledger,
            lambda: ledger.assign_task(office(), fresh, lead_units=two, deadline=due),
        )
        assert (refusal.field, refusal.message) == ("lead_units", "has 2 entries; the limit is 1")
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[inputs.text]\nnarrative = 0\n", "policy.inputs.text.narrative"),
        ("[inputs.lists]\nevidence = -1\n", "policy.inputs.lists.evidence"),
        ("[inputs.lists]\nevidence = 'many'\n", "policy.inputs.lists.evidence"),
        ("[inputs.text]\nnarative = 100\n", "policy.narative"),
    ],
)
def test_a_policy_file_with_a_bad_input_limit_is_refused_naming_it(
    tmp_path: Path, text: str, named: str
) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(text)
    with pytest.raises(ValidationError) as refused:
        load_policy(override)
    assert refused.value.field == named


def _event_classes() -> Iterator[type[LedgerEvent]]:
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")
    pending: list[type[LedgerEvent]] = [LedgerEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        yield cls


def _texts_and_lists() -> tuple[set[str], set[str]]:
    """The text fields (with the texts inside lists) and the list fields of every event."""
    texts, lists = set(), set()
    for cls in _event_classes():
        for name, kind in typing.get_type_hints(cls).items():
            if name in COMMON_FIELDS or typing.get_origin(kind) is typing.ClassVar:
                continue
            if kind is str:
                texts.add(name)
            elif typing.get_origin(kind) is list:
                lists.add(name)
                (entry,) = typing.get_args(kind)
                if entry is str:
                    texts.add(name)
                elif dataclasses.is_dataclass(entry):
                    texts.update(
                        f.name for f in dataclasses.fields(entry) if f.type in (str, "str")
                    )
    return texts, lists


def test_every_text_and_list_of_every_event_has_its_own_limit_in_the_policy_file() -> None:
    texts, lists = _texts_and_lists()
    assert {"narrative", "title", "reason"} <= texts
    assert {"evidence", "milestones", "lead_units"} <= lists
    assert texts - set(LIMITS.text) == set()
    assert lists - set(LIMITS.lists) == set()
