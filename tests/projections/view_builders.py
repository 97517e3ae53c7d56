"""Builders for the view tests: a ledger on a controlled clock, its read models, short acts.

Every act is entered as an import (``imported=True``) with an explicit business time at
10:00 in Beijing on the day given, while the server clock stands at ``NOW``; so the
figures depend only on the days written in the tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import Connection, Engine

from api.bootstrap import open_ledger, open_read_models
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.escalation import Milestone
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import UnitKind
from projections.catalog import runner_for
from tests.conftest import settings_for

OFFICE = Actor("office-1", Role.OFFICE)
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""Where the server clock stands unless a test moves it."""


def d(month: int, day: int, year: int = 2021) -> date:
    """A business date (2021 unless told)."""
    return date(year, month, day)


def beijing(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day`` in Beijing time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TIME)


class Clock:
    """The server clock, moved by the test."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Books:
    """A ledger, its clock and its read models."""

    ledger: Ledger
    clock: Clock
    engine: Engine

    def on(self, day: date, actor: Actor = OFFICE, hour: int = 10) -> CommandContext:
        """An imported act that happened at ``hour`` o'clock (Beijing) on ``day``."""
        return CommandContext(actor, occurred_at=beijing(day, hour), imported=True)

    def unit(self, name: str, kind: UnitKind = UnitKind.DEPARTMENT) -> UUID:
        return self.ledger.register_unit(self.on(d(1, 4)), name=name, kind=kind).item_id

    def project(self) -> None:
        """Bring every read model up to the end of the log."""
        runner = runner_for(self.ledger, self.engine)
        runner.set_up()
        runner.catch_up()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Project, then a connection to the read models."""
        self.project()
        with self.engine.connect() as conn:
            yield conn


@contextmanager
def open_books(url: str, clock: Clock | None = None) -> Iterator[Books]:
    """A fresh ledger on ``url`` with the append-only guard, and its read-model engine."""
    clock = clock or Clock()
    settings = replace(settings_for(url), clock=clock)
    ledger = open_ledger(settings)
    engine = open_read_models(settings)
    try:
        yield Books(ledger, clock, engine)
    finally:
        engine.dispose()
        ledger.close()


# Complaints


def complaint(
    books: Books,
    channel: Channel,
    received: date,
    *,
    responder: UUID,
    handler: UUID | None = None,
    subject: UUID | None = None,
    team: str | None = None,
) -> UUID:
    """Received on ``received``, dispatched to and signed for by ``handler`` the same day;
    a 三支队伍监督 case names ``team`` (default: the policy's first team)."""
    ledger, on = books.ledger, books.on(received)
    if channel is Channel.THREE_TEAMS and team is None:
        team = ledger.policy.teams[0].key
    case = ledger.receive_complaint(
        on,
        channel=channel,
        summary="企业反映办事难",
        first_responder=responder,
        subject_unit=subject,
        team=team,
    ).item_id
    handler = handler or responder
    ledger.dispatch_complaint(on, case, unit=handler)
    ledger.sign_for_complaint(on, case, unit=handler)
    return case


def found(books: Books, case: UUID, day: date, *, founded: bool = True) -> None:
    books.ledger.verify_complaint(books.on(day), case, founded=founded, finding="经核实")


def rectified(books: Books, case: UUID, day: date) -> None:
    books.ledger.report_rectification(books.on(day), case, narrative="已整改到位")


def called_back(books: Books, case: UUID, day: date, *, satisfied: bool = True) -> None:
    books.ledger.call_back(books.on(day), case, satisfied=satisfied)


def closed(books: Books, case: UUID, day: date) -> None:
    books.ledger.close_complaint(books.on(day), case)


def settled(
    books: Books, case: UUID, *, founded: date, rectified_on: date, satisfied: date, closed_on: date
) -> None:
    """Verified as founded, rectified, called back satisfied and closed on the days given."""
    found(books, case, founded)
    rectified(books, case, rectified_on)
    called_back(books, case, satisfied)
    closed(books, case, closed_on)


# Tasks


def task(
    books: Books,
    number: int,
    *,
    lead: Sequence[UUID],
    assigned: date,
    deadline: date,
    cooperating: Sequence[UUID] = (),
    accepted: bool = True,
    title: str = "",
    milestones: Sequence[Milestone] = (),
) -> UUID:
    """A 2021 task registered and assigned on ``assigned``, accepted then by its first lead."""
    ledger, on = books.ledger, books.on(assigned)
    task_id = ledger.register_task(
        on, plan_year=2021, number=number, title=title or f"督办事项{number}"
    ).item_id
    ledger.assign_task(
        on,
        task_id,
        lead_units=lead,
        cooperating_units=cooperating,
        deadline=deadline,
        milestones=milestones,
    )
    if accepted:
        ledger.accept_task(on, task_id, unit=lead[0])
    return task_id


def closed_task(books: Books, task_id: UUID, day: date) -> None:
    """Completion requested and verified (销号) on ``day``."""
    books.ledger.request_completion(books.on(day), task_id, summary="已完成")
    books.ledger.verify_task(books.on(day), task_id, note="核验通过")
