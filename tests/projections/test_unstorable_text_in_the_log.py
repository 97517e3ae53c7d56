"""Text the commands now refuse (NUL, lone surrogates, other control characters) may
already be in a log: recorded before the check, or written by hand. Every projection
takes it, on SQLite and PostgreSQL alike, showing NUL as U+2400 and a lone surrogate as
U+FFFD in the read models (``projections.storable``); the log keeps what was recorded."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest
from sqlalchemy import select

import domain.meta
import domain.text
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory
from domain.task import Task
from domain.unit import Unit
from projections import tables as t
from projections.engine import Runner
from tests.clock import today
from tests.integration.builders import office, task_in_progress, unit
from tests.integration.tamper_builders import RawLog
from tests.projections.engine_builders import ledger_at, runner_at

ODD = "a\x00b\x01c\x1b\x7fd"  # NUL, two other controls and DEL


def record_unchecked(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record events holding ``ODD`` through the real commands, with their text check
    switched off, as a log written before the check holds them (where every event is
    made, and where an id is made from a text)."""
    monkeypatch.setattr(domain.meta, "check_fields", lambda fields: None)
    monkeypatch.setattr(domain.text, "check_text", lambda field, value, limit=None: value)
    lead = unit(ledger, f"单位{ODD}")
    task = task_in_progress(ledger, lead)
    ledger.report_progress(office(), task, percent=10, narrative=ODD, evidence=[ODD])
    ledger.register_task(office(), plan_year=today().year, title=ODD, section=ODD, description=ODD)
    ledger.register_legacy_issue(
        office(),
        title=ODD,
        category=next(iter(LegacyCategory)),
        cause=ODD,
        responsible_unit=lead,
        target_year=today().year,
        baseline=True,
        parties=[ODD],
    )
    ledger.set_legacy_target(office(), year=today().year, goal=ODD, due=date(today().year, 12, 31))
    monkeypatch.undo()


def insert_lone_surrogate_unit(url: str, ledger: Ledger) -> uuid.UUID:
    """A unit registered by a row written by hand, its name a JSON escape of a lone
    surrogate (the library cannot write one: it has no UTF-8 form)."""
    unit(ledger, "LONE-PLACEHOLDER")
    log = RawLog(url)
    (registered,) = [
        r for r in log.rows() if r.topic.endswith("Unit.Registered") and b"LONE" in r.state
    ]
    item = uuid.uuid4()
    lone = dataclasses.replace(
        registered, state=registered.state.replace(b"LONE-PLACEHOLDER", b"\\ud800x")
    )
    log.insert(log.rows()[-1].position + 1, lone, item, signed=True)
    return item


def assert_every_projection_at_the_head(runner: Runner) -> None:
    runner.catch_up()
    head = runner.head()
    assert [(s.name, s.failed_position, s.error) for s in runner.failures()] == []
    assert {s.name: s.position for s in runner.status()} == dict.fromkeys(runner.projections, head)


def test_every_projection_takes_nul_and_control_characters_already_in_the_log(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = ledger_at(database_url)
    record_unchecked(ledger, monkeypatch)
    runner = runner_at(database_url, ledger, batch_size=7)
    assert_every_projection_at_the_head(runner)
    shown = "a\u2400b\x01c\x1b\x7fd"
    with runner.engine.connect() as conn:
        assert conn.execute(select(t.units.c.name)).scalars().all() == [f"单位{shown}"]
        assert shown in conn.execute(select(t.tasks.c.title)).scalars().all()
        assert shown in conn.execute(select(t.tasks.c.section)).scalars().all()
        assert conn.execute(select(t.legacy_issues.c.title)).scalars().all() == [shown]
        assert conn.execute(select(t.legacy_targets.c.goal)).scalars().all() == [shown]
        audited = conn.execute(select(t.audit_events.c.position)).scalars().all()
    rows = RawLog(database_url).rows()
    assert len(audited) == sum(not r.topic.startswith("domain.receipt:") for r in rows)
    (progress,) = [r for r in rows if r.topic.endswith("Task.ProgressReported")]
    last = ledger.item_events(progress.item)[-1]
    assert isinstance(last, Task.ProgressReported)
    assert last.narrative == ODD  # the log keeps it as recorded


def test_every_projection_takes_a_lone_surrogate_written_into_the_log_by_hand(
    database_url: str,
) -> None:
    ledger = ledger_at(database_url)
    item = insert_lone_surrogate_unit(database_url, ledger)
    assert ledger.get(Unit, item).name == "\ud800x"  # the log holds it as written
    runner = runner_at(database_url, ledger)
    assert_every_projection_at_the_head(runner)
    with runner.engine.connect() as conn:
        names = conn.execute(select(t.units.c.name).where(t.units.c.id == str(item)))
        assert names.scalars().all() == ["\ufffdx"]
