"""Small builders for integration tests: an office context, a ready task, a ledger in memory,
processes that start with the ledger already imported."""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta
from multiprocessing.context import BaseContext
from uuid import UUID

from api.keys.personal_data_cipher import AesSealer
from api.settings import load_policy
from domain.clock import Clock
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.memory_log import MEMORY_ENV
from domain.meta import Actor, Role
from domain.policy import Policy
from domain.unit import UnitKind
from tests.clock import suite_clock, today
from tests.conftest import TEST_KEY

OFFICE = Actor("office-1", Role.OFFICE)


def office(**kwargs: object) -> CommandContext:
    return CommandContext(OFFICE, **kwargs)  # type: ignore[arg-type]


def unit(ledger: Ledger, name: str = "区住建局") -> UUID:
    return ledger.register_unit(office(), name=name, kind=UnitKind.DEPARTMENT).item_id


def task_in_progress(ledger: Ledger, lead: UUID, deadline: date | None = None) -> UUID:
    """A task of this year's plan, assigned to ``lead`` (due in a year unless ``deadline``)
    and accepted."""
    this_year = today().year
    task = ledger.register_task(office(), plan_year=this_year, title="推进工程建设项目审批提速")
    due = deadline or today() + timedelta(days=365)
    ledger.assign_task(office(), task.item_id, lead_units=[lead], deadline=due)
    ledger.accept_task(office(), task.item_id, unit=lead)
    return task.item_id


def in_memory(*, policy: Policy | None = None, clock: Clock | None = None) -> Ledger:
    """A Ledger on the library's in-memory log (no database, no signing): the suite's policy,
    clock and personal-data key unless told."""
    return Ledger(
        dict(MEMORY_ENV),
        policy=policy or load_policy(),
        clock=clock or suite_clock(),
        sealer=AesSealer(TEST_KEY),
    )


#: What a process of the tests imports before it runs anything (api.cli.projection_workers: the
#: ledger, the read models and their engine).
PRELOADED = ["api.settings", "api.cli.projection_workers", "tests.conftest"]


def new_processes() -> BaseContext:
    """Processes started as forks of a server process (one per test worker, started on first
    use by the library) that imported ``PRELOADED`` and nothing else: each is a process of
    its own, with no connection, thread or state of the test's, without each paying for a
    new interpreter importing the ledger again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return context
