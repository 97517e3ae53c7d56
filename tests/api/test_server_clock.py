"""The server runs the ledger's clock in a thread of its own: a task past its deadline is
urged by the system, and the audit trail says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from domain.timed_acts import end_of_day
from tests.api.conftest import serve_options, start_server, stop_server
from tests.api.subscription_helpers import eventually
from tests.clock import AdjustableClock
from tests.conftest import settings_for
from tests.integration.builders import office, unit
from tests.integration.test_timed_acts import MONDAY, just_after

URGES = """{ events(filter: {actorId: "system", eventType: "OverdueUrged"}, first: 5) {
  totalCount nodes { type occurredAt actor { id role } } } }"""


def test_the_servers_clock_urges_a_task_past_its_deadline_as_the_system(tmp_path: Path) -> None:
    clock = AdjustableClock(lambda: MONDAY)
    settings = replace(settings_for(f"sqlite:///{tmp_path / 'ledger.sqlite'}"), clock=clock)
    live = start_server(settings, serve_options(timed_acts=True, timed_act_seconds=0.02))
    try:
        ledger = live.services.ledger
        lead = unit(ledger)
        task = ledger.register_task(office(), plan_year=2027, title="政务服务事项网上可办").item_id
        ledger.assign_task(office(), task, lead_units=[lead], deadline=date(2027, 1, 6))
        clock.offset = just_after(date(2027, 1, 6)) - MONDAY + timedelta(seconds=1)

        def urged() -> bool:
            return bool(live.gql(URGES)["events"]["totalCount"])

        eventually(urged, "the system urged the overdue task")
        (node,) = live.gql(URGES)["events"]["nodes"]
        assert node["actor"] == {"id": "system", "role": "OFFICE"}
        assert datetime.fromisoformat(node["occurredAt"]) == end_of_day(date(2027, 1, 6))
    finally:
        stop_server(live)
