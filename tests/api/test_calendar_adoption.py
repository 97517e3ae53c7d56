"""Through the API: a deadline reaching a year whose holiday schedule is not known is shown
as provisional; once the office adopts the schedule it is exact, and the item's history
shows the system act that worked it out again."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from api.cli.calendar_adoption import adopt_holiday_file
from domain.channels import Channel
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import gid, on

SCHEDULE_2027 = Path(__file__).parents[1] / "fixtures" / "holidays-2027-test.toml"

COMPLAINT = """query($id: ID!) { node(id: $id) { ... on Complaint {
  closeBy deadlineProvisional } } }"""
HISTORY = """query($id: ID!) { history(itemId: $id) { events {
  type actor { id role } data } } }"""
ADOPTIONS = """{ events(filter: {itemType: "HolidayCalendar"}, first: 10) {
  edges { node { type actor { id } data } } } }"""


def media_case_extended_into_2027(live: LiveServer) -> str:
    """A media exposure received Tuesday 2026-12-01 (20 working days: 12-29), extended by
    10 working days: into January 2027."""
    ledger = live.services.ledger
    unit = ledger.register_unit(
        on(date(2026, 11, 30)), name="区市场监管局", kind=UnitKind.DEPARTMENT
    )
    case = ledger.receive_complaint(
        on(date(2026, 12, 1)),
        channel=Channel.MEDIA,
        summary="媒体曝光：企业开办材料反复补正",
        first_responder=unit.item_id,
    ).item_id
    written = ledger.extend_complaint_deadline(
        on(date(2026, 12, 2)), case, working_days=10, reason="涉及多部门会商"
    )
    assert written.version == 2
    return gid("Complaint", case)


def deadline(live: LiveServer, case: str) -> dict[str, Any]:
    position = live.services.ledger.recorder.max_notification_id()
    found: dict[str, Any] = live.gql(COMPLAINT, {"id": case}, position=position)["node"]
    return found


def test_a_deadline_in_2027_is_provisional_before_the_schedule_and_exact_after(
    live: LiveServer,
) -> None:
    case = media_case_extended_into_2027(live)
    # 2027-01-01 (a Friday) counted as a working day while 2027 is not covered
    assert deadline(live, case) == {"closeBy": "2027-01-12", "deadlineProvisional": True}

    report = adopt_holiday_file(
        live.services.ledger, SCHEDULE_2027, Actor("cli:office-li", Role.OFFICE)
    )

    assert (report.adopted, report.recomputed) == (True, 1)
    assert deadline(live, case) == {"closeBy": "2027-01-13", "deadlineProvisional": False}
    last = live.gql(HISTORY, {"id": case})["history"]["events"][-1]
    assert last["type"] == "DeadlinesRecomputed"
    assert last["actor"] == {"id": "system", "role": "OFFICE"}
    assert last["data"]["close_by"] == "2027-01-13"
    assert last["data"]["year"] == 2027


def test_the_audit_trail_shows_who_adopted_which_schedule(live: LiveServer) -> None:
    adopt_holiday_file(live.services.ledger, SCHEDULE_2027, Actor("cli:office-li", Role.OFFICE))
    position = live.services.ledger.recorder.max_notification_id()
    edges = live.gql(ADOPTIONS, position=position)["events"]["edges"]
    adopted = [e["node"] for e in edges if e["node"]["type"] == "ScheduleAdopted"]
    assert len(adopted) == 1
    assert adopted[0]["actor"]["id"] == "cli:office-li"
    assert adopted[0]["data"]["year"] == 2027
    assert "2027-01-01" in adopted[0]["data"]["days_off"]
    assert adopted[0]["data"]["source"].startswith("测试用2027年节假日安排")
