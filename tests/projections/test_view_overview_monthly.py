"""The overview's monthly series: per month of the year up to the day asked about and per
channel, cases received and closed in the month, and overdue at its end. The story is the
overview's (``test_view_overview``), whose deadlines are worked out there."""

from __future__ import annotations

from datetime import date

from domain.channels import Channel
from projections.views.overview import Month, monthly_figures, supervision_overview
from tests.projections.test_view_overview import FAULT, HOTLINE, MEDIA, REVIEW, TEAMS, tell
from tests.projections.view_builders import d, open_books


def series(months: list[Month]) -> dict[str, dict[Channel, tuple[int, int, int]]]:
    return {
        m.month: {c.channel: (c.received, c.closed, c.overdue) for c in m.channels} for m in months
    }


def test_each_month_counts_cases_received_and_closed_in_it_and_overdue_at_its_end(
    database_url: str,
) -> None:
    with open_books(database_url) as books:
        tell(books)
        with books.read() as conn:
            may = monthly_figures(conn, d(5, 10))
            march_16 = monthly_figures(conn, d(3, 16))
            next_year = monthly_figures(conn, date(2022, 2, 1))
    found = series(may)
    assert list(found) == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05"]
    nothing = dict.fromkeys(Channel, (0, 0, 0))
    assert found["2021-01"] == found["2021-02"] == nothing
    # March: H1, H2 received and closed (H2 late, on 03-17); G1, G2, G3 received, G1 and G2
    # closed, G3 overdue from 03-24; F1, F2 received and closed; T1 received, overdue from 03-30.
    assert found["2021-03"] == {
        HOTLINE: (2, 2, 0),
        REVIEW: (3, 2, 1),
        FAULT: (2, 2, 0),
        MEDIA: (0, 0, 0),
        TEAMS: (1, 0, 1),
    }
    # April: M1, M2 received (not due yet); G3 and T1 still overdue at the month's end.
    assert found["2021-04"] == {**nothing, MEDIA: (2, 0, 0), REVIEW: (0, 0, 1), TEAMS: (0, 0, 1)}
    assert found["2021-05"] == {**nothing, REVIEW: (0, 0, 1), TEAMS: (0, 0, 1)}
    # The month of the day asked about ends on that day: on 03-16 H2 was past its 03-15
    # deadline, and only H1 and the fault-finding cases and G1 were closed.
    assert series(march_16)["2021-03"][HOTLINE] == (2, 1, 1)
    assert [m.month for m in next_year] == ["2022-01", "2022-02"]
    assert series(next_year)["2022-02"][TEAMS] == (0, 0, 1)


def test_the_months_add_up_to_the_channels_figures_when_every_case_is_of_that_year(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        tell(books)
        with books.read() as conn:
            overview = supervision_overview(conn, d(12, 31))
            monthly = monthly_figures(conn, d(12, 31))
    for figures in overview.channels:
        months = [c for m in monthly for c in m.channels if c.channel is figures.channel]
        assert sum(c.received for c in months) == figures.received
        assert figures.received - sum(c.closed for c in months) == figures.open
        assert months[-1].overdue == figures.overdue


def test_a_case_received_after_midnight_in_beijing_counts_in_the_new_month_not_utcs(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        unit = books.unit("区住建局")
        # 2021-04-01 01:00 in Beijing is 2021-03-31 17:00 UTC: an April case
        books.ledger.receive_complaint(
            books.on(d(4, 1), hour=1), channel=HOTLINE, summary="夜间施工扰民", first_responder=unit
        )
        with books.read() as conn:
            found = series(monthly_figures(conn, d(4, 1)))  # not due yet that day
    assert found["2021-03"][HOTLINE] == (0, 0, 0)
    assert found["2021-04"][HOTLINE] == (1, 0, 0)
