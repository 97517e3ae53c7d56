"""12345 跟踪问效 through GraphQL: ``ChannelFigures.signForOverdue`` and ``returnOverdue`` as
of a date, and a unit's ``lateSignFors``, ``lateReturns`` and ``overdueSignFors``.

Acts entered as imports on 2021 dates (March: plain five-day weeks). Limits: sign for within
1 working day of the dispatch, return within 2.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.channels import Channel
from domain.unit import UnitKind
from tests.api.conftest import VIEWER, LiveServer
from tests.api.helpers import caught_up, on

OVERVIEW = """query($asOf: Date){ supervisionOverview(asOf: $asOf) {
    channels { channel signForOverdue returnOverdue } } }"""
SCORECARDS = """query($period: String!){ unitScorecards(period: $period)
    { name lateSignFors lateReturns overdueSignFors figures } }"""


def d(month: int, day: int) -> date:
    return date(2021, month, day)


def tell(live: LiveServer) -> dict[str, UUID]:
    """Unit b signs for C1 (dispatched Mon 03-01, due 03-02) on Fri 03-05, returns C2 (due
    03-03) on 03-04, and never answers C3 (dispatched 03-08, due 03-09)."""
    ledger = live.services.ledger
    units = {
        key: ledger.register_unit(on(d(1, 4)), name=name, kind=UnitKind.DEPARTMENT).item_id
        for key, name in (("a", "区住建局"), ("b", "区市场监管局"))
    }

    def dispatched(day: date) -> UUID:
        case = ledger.receive_complaint(
            on(day),
            channel=Channel.HOTLINE_12345,
            summary="企业反映办事难",
            first_responder=units["a"],
        ).item_id
        ledger.dispatch_complaint(on(day), case, unit=units["b"])
        return case

    c1, c2 = dispatched(d(3, 1)), dispatched(d(3, 1))
    ledger.sign_for_complaint(on(d(3, 5)), c1, unit=units["b"])
    ledger.return_complaint(on(d(3, 4)), c2, unit=units["b"], reason="不属本单位职责")
    dispatched(d(3, 8))
    return units


def hotline(live: LiveServer, as_of: str, actor: str) -> tuple[int, int]:
    found = live.gql(OVERVIEW, {"asOf": as_of}, actor=actor)["supervisionOverview"]
    row: dict[str, Any] = next(c for c in found["channels"] if c["channel"] == "HOTLINE_12345")
    return row["signForOverdue"], row["returnOverdue"]


def test_the_overview_counts_late_sign_fors_and_returns_as_of_each_date(
    live: LiveServer,
) -> None:
    tell(live)
    caught_up(live, VIEWER)
    # 03-02: both due that day; 03-03: both awaited past it; 03-04: C2 returned late;
    # 03-05: C1 signed for late; 03-10: C3 awaited past 03-09 as well
    assert [
        hotline(live, day, VIEWER)
        for day in ("2021-03-02", "2021-03-03", "2021-03-04", "2021-03-05", "2021-03-10")
    ] == [(0, 0), (2, 0), (1, 1), (1, 1), (2, 1)]


def test_a_units_scorecard_shows_its_late_sign_fors_and_returns_and_what_it_still_owes(
    live: LiveServer,
) -> None:
    units = tell(live)
    clerk = f"unit:clerk-b:{units['b']}"
    caught_up(live, clerk)
    (b_card,) = live.gql(SCORECARDS, {"period": "2021-Q1"}, actor=clerk)["unitScorecards"]
    assert b_card["name"] == "区市场监管局"
    assert (b_card["lateSignFors"], b_card["lateReturns"], b_card["overdueSignFors"]) == (1, 1, 1)
    assert (b_card["figures"]["late_sign_fors"], b_card["figures"]["late_returns"]) == (1, 1)
    office = {c["name"]: c for c in live.gql(SCORECARDS, {"period": "2021"})["unitScorecards"]}
    assert (office["区住建局"]["lateSignFors"], office["区住建局"]["overdueSignFors"]) == (0, 0)
