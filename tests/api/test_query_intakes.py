"""受理专线 through GraphQL: the policy's ``intakes``, ``receiveComplaint``'s ``intake``,
``Complaint.intake`` and ``receipt``, and ``SupervisionOverview.intakes`` as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.channels import Channel
from domain.ids import ComplaintId, UnitId
from domain.unit import UnitKind
from tests.api.conftest import OFFICE, VIEWER, LiveServer
from tests.api.helpers import caught_up, gid, head, mutate, on
from tests.clock import now

HOTLINE = Channel.HOTLINE_12345.name
LINE = "complaint_line_24h"
CASE = """intake { key name channel receiptHours } receipt { due receiptedAt late overdue }"""
OVERVIEW = """query($asOf: Date){ supervisionOverview(asOf: $asOf) {
    intakes { intake { key name } received receipted receiptsLate awaitingOverdue } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Complaint { " + CASE + " } } }"


def responder(live: LiveServer) -> UnitId:
    ledger = live.services.ledger
    unit = ledger.register_unit(on(date(2021, 1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT)
    return UnitId(unit.item_id)


def receive(live: LiveServer, unit: UnitId, channel: str, **given: Any) -> dict[str, Any]:
    fields = {"channel": channel, "summary": "夜间来电", "firstResponder": str(unit), **given}
    return mutate(live, "receiveComplaint", fields, item_fields=f"... on Complaint {{ {CASE} }}")


def test_the_intakes_of_the_policy_are_listed_for_every_role(live: LiveServer) -> None:
    intakes = live.gql("{ intakes { key name channel receiptHours } }", actor=VIEWER)["intakes"]
    assert intakes == [
        {"key": LINE, "name": "24小时行政投诉举报电话", "channel": HOTLINE, "receiptHours": 24},
        {
            "key": "enterprise_line",
            "name": "全天候服务企业热线",
            "channel": HOTLINE,
            "receiptHours": 24,
        },
    ]


def test_a_case_of_the_24_hour_line_is_due_for_receipt_24_hours_after_it_was_received(
    live: LiveServer,
) -> None:
    unit = responder(live)
    received_at = (now() - timedelta(hours=1)).replace(microsecond=0)
    result = receive(live, unit, HOTLINE, intake=LINE, occurredAt=received_at.isoformat())
    assert result["__typename"] == "MutationSuccess", result
    assert result["item"]["intake"] == {
        "key": LINE,
        "name": "24小时行政投诉举报电话",
        "channel": HOTLINE,
        "receiptHours": 24,
    }
    receipt = result["item"]["receipt"]
    due = datetime.fromisoformat(receipt["due"])
    assert due == received_at + timedelta(hours=24)
    assert receipt == {"due": receipt["due"], "receiptedAt": None, "late": False, "overdue": False}
    plain = receive(live, unit, HOTLINE)
    assert (plain["item"]["intake"], plain["item"]["receipt"]) == (None, None)


def test_an_unknown_intake_or_one_of_another_channel_is_refused_naming_intake(
    live: LiveServer,
) -> None:
    unit = responder(live)
    caught_up(live)
    before = head(live)
    for channel, intake in ((HOTLINE, "fax_line"), (Channel.MEDIA.name, LINE)):
        result = receive(live, unit, channel, intake=intake)
        assert (result["__typename"], result["field"]) == ("ValidationError", "intake")
    assert head(live) == before


def received(
    live: LiveServer, unit: UnitId, day: int, hour: int, intake: str | None
) -> ComplaintId:
    written = live.services.ledger.receive_complaint(
        on(date(2021, 3, day), hour=hour),
        channel=Channel.HOTLINE_12345,
        summary="企业反映夜间施工许可",
        first_responder=unit,
        intake=intake,
    )
    return ComplaintId(written.item_id)


def dispatched(live: LiveServer, case: ComplaintId, unit: UnitId, day: int, hour: int) -> None:
    live.services.ledger.dispatch_complaint(on(date(2021, 3, day), hour=hour), case, unit=unit)


def test_the_overview_counts_each_lines_cases_receipts_late_and_awaited_as_of_each_date(
    live: LiveServer,
) -> None:
    counted_by_line(live)


def test_the_receipts_are_counted_alike_on_postgresql(live_postgres: LiveServer) -> None:
    counted_by_line(live_postgres)


def counted_by_line(live: LiveServer) -> None:
    unit = responder(live)
    on_time = received(live, unit, 1, 22, LINE)
    dispatched(live, on_time, unit, 2, 9)  # 11 hours later
    late = received(live, unit, 1, 8, LINE)
    dispatched(live, late, unit, 2, 10)  # 26 hours later
    waiting = received(live, unit, 2, 20, LINE)  # due 3 March 20:00, never dispatched
    received(live, unit, 2, 9, None)  # of no line: counted nowhere here
    caught_up(live, VIEWER)

    def by_line(as_of: str) -> dict[str, tuple[Any, ...]]:
        found = live.gql(OVERVIEW, {"asOf": as_of}, actor=VIEWER)["supervisionOverview"]
        return {
            f["intake"]["key"]: (
                f["received"],
                f["receipted"],
                f["receiptsLate"],
                f["awaitingOverdue"],
            )
            for f in found["intakes"]
        }

    assert by_line("2021-02-28") == {LINE: (0, 0, 0, 0), "enterprise_line": (0, 0, 0, 0)}
    assert by_line("2021-03-01")[LINE] == (2, 0, 0, 0)
    assert by_line("2021-03-02")[LINE] == (3, 2, 1, 0)
    assert by_line("2021-03-03")[LINE] == (3, 2, 1, 1)

    def receipt(case: ComplaintId) -> dict[str, Any]:
        node = live.gql(NODE, {"id": gid("Complaint", case)}, actor=OFFICE)["node"]
        return dict(node["receipt"])

    assert (receipt(on_time)["late"], receipt(on_time)["overdue"]) == (False, False)
    assert (receipt(late)["late"], receipt(late)["overdue"]) == (True, False)
    assert (receipt(waiting)["late"], receipt(waiting)["overdue"]) == (False, True)
    receipted_at = datetime.fromisoformat(receipt(late)["receiptedAt"])
    assert receipted_at == datetime(2021, 3, 2, 2, tzinfo=UTC)  # 10:00 in Beijing
