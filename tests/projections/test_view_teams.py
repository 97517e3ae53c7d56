"""三支队伍: the 三支队伍监督 cases counted by team in the overview, as of a date, the same on
SQLite and PostgreSQL.

The default policy's teams, in order: supervisors (营商环境监督员), invited_inspectors
(特邀监察员), deputies (人大代表和政协委员). A 三支队伍监督 case is closed within 20 working days
and signed for within 1; March 2021 has plain five-day weeks (Mon 03-01).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection

from domain.channels import Channel
from domain.policy import default_policy
from domain.teams import Team
from projections.views.overview import supervision_overview
from projections.views.team_figures import TeamFigures
from tests.conftest import fresh_database
from tests.projections.view_builders import complaint, d, open_books, settled

TEAMS = default_policy().teams


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def conn(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Connection]:
    """S1 (supervisors) received Mon 03-01, founded 03-02, rectified 03-05, closed 03-08;
    S2 (supervisors) received 03-01 and left open (due 03-29); I1 (invited_inspectors)
    received and dispatched Wed 03-10, never signed for (due 03-11); a 12345 case besides.
    Told once a module on each database: the tests only read the overview."""
    folder = tmp_path_factory.mktemp("teams")
    with fresh_database(request.param, folder) as url, open_books(url) as books:
        a, b = books.unit("区住建局"), books.unit("区市场监管局")
        s1 = complaint(books, Channel.THREE_TEAMS, d(3, 1), responder=a, team="supervisors")
        settled(
            books, s1, founded=d(3, 2), rectified_on=d(3, 5), satisfied=d(3, 5), closed_on=d(3, 8)
        )
        complaint(books, Channel.THREE_TEAMS, d(3, 1), responder=a, team="supervisors")
        on = books.on(d(3, 10))
        i1 = books.ledger.receive_complaint(
            on,
            channel=Channel.THREE_TEAMS,
            team="invited_inspectors",
            summary="特邀监察员反映政策落实不到位",
            first_responder=a,
        ).item_id
        books.ledger.dispatch_complaint(on, i1, unit=b)
        complaint(books, Channel.HOTLINE_12345, d(3, 1), responder=a)
        with books.read() as conn:
            yield conn


def teams(conn: Connection, day: date, listed: tuple[Team, ...] = TEAMS) -> list[TeamFigures]:
    return supervision_overview(conn, day, listed).teams


def figures(conn: Connection, day: date, key: str) -> tuple[int, ...]:
    """(received, open, closed, founded, rectified, overdue, signForOverdue) of team ``key``."""
    f = next(f for f in teams(conn, day) if f.key == key)
    return (f.received, f.open, f.closed, f.founded, f.rectified, f.overdue, f.sign_for_overdue)


def test_every_team_of_the_policy_is_counted_in_its_order_even_before_any_case(
    conn: Connection,
) -> None:
    before = teams(conn, d(2, 28))
    assert [(f.key, f.name) for f in before] == [
        ("supervisors", "营商环境监督员"),
        ("invited_inspectors", "特邀监察员"),
        ("deputies", "人大代表和政协委员"),
    ]
    assert all(f.received == f.open == f.overdue == 0 for f in before)


def test_a_teams_cases_are_counted_as_they_stood_on_the_day(conn: Connection) -> None:
    assert figures(conn, d(3, 1), "supervisors") == (2, 2, 0, 0, 0, 0, 0)
    assert figures(conn, d(3, 5), "supervisors") == (2, 2, 0, 1, 1, 0, 0)
    assert figures(conn, d(3, 8), "supervisors") == (2, 1, 1, 1, 1, 0, 0)
    assert figures(conn, d(3, 8), "invited_inspectors") == (0, 0, 0, 0, 0, 0, 0)
    assert figures(conn, d(3, 8), "deputies") == (0, 0, 0, 0, 0, 0, 0)


def test_a_teams_case_open_past_its_deadline_is_overdue_from_the_day_after_it(
    conn: Connection,
) -> None:
    assert figures(conn, d(3, 29), "supervisors")[5] == 0  # the deadline's own day
    assert figures(conn, d(3, 30), "supervisors")[5] == 1


def test_a_teams_case_awaiting_its_sign_for_past_the_deadline_counts_for_the_team(
    conn: Connection,
) -> None:
    assert figures(conn, d(3, 11), "invited_inspectors") == (1, 1, 0, 0, 0, 0, 0)
    assert figures(conn, d(3, 12), "invited_inspectors")[6] == 1


def test_the_teams_add_up_to_the_three_teams_channel_and_other_channels_count_for_none(
    conn: Connection,
) -> None:
    for day in (d(3, 1), d(3, 8), d(3, 12), d(3, 30)):
        overview = supervision_overview(conn, day, TEAMS)
        channel = next(f for f in overview.channels if f.channel is Channel.THREE_TEAMS)
        by_team = overview.teams
        assert sum(f.received for f in by_team) == channel.received
        assert sum(f.open for f in by_team) == channel.open
        assert sum(f.overdue for f in by_team) == channel.overdue
        assert sum(f.sign_for_overdue for f in by_team) == channel.sign_for_overdue


def test_a_team_the_policy_no_longer_lists_is_still_counted_under_its_key_without_a_name(
    conn: Connection,
) -> None:
    listed = (Team("deputies", "人大代表和政协委员"),)
    found = teams(conn, d(3, 12), listed)
    assert [(f.key, f.name, f.received) for f in found] == [
        ("deputies", "人大代表和政协委员", 0),
        ("invited_inspectors", None, 1),
        ("supervisors", None, 2),
    ]
