"""The audit index keeps both times to the microsecond, whatever offset they were given in."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.calendar import CHINA_TIME
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import UnitKind
from projections.views.audit_index import AuditFilter, audit_events
from tests.projections.engine_builders import ledger_at, runner_at


def test_an_entry_keeps_its_business_time_to_the_microsecond(database_url: str) -> None:
    ledger = ledger_at(database_url)
    just_before_midnight = datetime(2021, 5, 7, 23, 59, 59, 999700, tzinfo=CHINA_TIME)
    ledger.register_unit(
        CommandContext(
            Actor("office-1", Role.OFFICE), occurred_at=just_before_midnight, imported=True
        ),
        name="区住建局",
        kind=UnitKind.DEPARTMENT,
    )
    runner = runner_at(database_url, ledger)
    runner.catch_up()
    with runner.engine.connect() as conn:
        (entry,) = audit_events(conn, AuditFilter(), backdated_after_hours=24)
    assert entry.occurred_at == just_before_midnight
    assert entry.occurred_at.astimezone(UTC) == datetime(2021, 5, 7, 15, 59, 59, 999700, tzinfo=UTC)
    assert entry.backdated and entry.imported
