"""一次告知 in the unit scorecards: each unit's requests for materials and its breaches (a
later request on a case naming an item its first did not list), counted in the period of
each request's business day; and each case's requests on its row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Connection, select

from domain.channels import Channel
from projections import tables as t
from projections.views.scorecards import Scorecard, unit_scorecards
from tests.projections.view_builders import Books, d, open_books


@dataclass
class Story:
    a: UUID
    b: UUID
    c1: UUID
    c2: UUID


def signed_for(books: Books, day: date, *, responder: UUID, to: UUID) -> UUID:
    ledger, on = books.ledger, books.on(day)
    case = ledger.receive_complaint(
        on, channel=Channel.HOTLINE_12345, summary="企业办理许可缺材料", first_responder=responder
    ).item_id
    ledger.dispatch_complaint(on, case, unit=to)
    ledger.sign_for_complaint(on, case, unit=to)
    return case


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a, b = books.unit("区住建局"), books.unit("区市场监管局")
    # C1 (b): asks for two items in March, reminds of one in March (no breach), asks for a
    # new one in April (a breach, in Q2).
    c1 = signed_for(books, d(3, 1), responder=a, to=b)
    ledger.request_materials(on(d(3, 2)), c1, items=["营业执照副本", "法人身份证复印件"])
    ledger.request_materials(on(d(3, 9)), c1, items=["营业执照副本"], note="再次提醒")
    ledger.request_materials(on(d(4, 6)), c1, items=["租赁合同"])
    # C2 (b): one request in March, a second naming a new item in March too (a breach, Q1).
    c2 = signed_for(books, d(3, 1), responder=a, to=b)
    ledger.request_materials(on(d(3, 3)), c2, items=["消防验收意见书"])
    ledger.request_materials(on(d(3, 4)), c2, items=["消防验收意见书", "竣工图纸"])
    return Story(a, b, c1, c2)


@pytest.fixture(scope="module")
def story_books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('once-notice') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


def once_notice(conn: Connection, period: str) -> dict[str, tuple[int, int]]:
    """(requests, breaches) per unit name in ``period``."""
    cards: list[Scorecard] = unit_scorecards(conn, period)
    return {c.name: (c["material_requests"], c["once_notice_breaches"]) for c in cards}


def test_a_units_requests_and_breaches_of_once_notice_are_counted_in_their_period(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    assert once_notice(conn, "2021-Q1") == {"区住建局": (0, 0), "区市场监管局": (4, 1)}
    assert once_notice(conn, "2021-Q2") == {"区住建局": (0, 0), "区市场监管局": (1, 1)}
    assert once_notice(conn, "2021") == {"区住建局": (0, 0), "区市场监管局": (5, 2)}
    assert once_notice(conn, "2020")["区市场监管局"] == (0, 0)


def test_each_case_keeps_its_requests_in_order_with_the_unit_day_and_breach(
    story_books: tuple[Story, Connection],
) -> None:
    story, conn = story_books
    (requests,) = conn.execute(
        select(t.complaints.c.material_requests).where(t.complaints.c.id == str(story.c1))
    ).one()
    assert [(r["items"], r["requested_on"], r["breach"]) for r in requests] == [
        (["营业执照副本", "法人身份证复印件"], "2021-03-02", False),
        (["营业执照副本"], "2021-03-09", False),
        (["租赁合同"], "2021-04-06", True),
    ]
    assert {r["unit"] for r in requests} == {str(story.b)}
    assert requests[1]["note"] == "再次提醒"


def test_once_notice_figures_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            figures = [once_notice(conn, p)["区市场监管局"] for p in ("2021-Q1", "2021-Q2")]
            (requests,) = conn.execute(
                select(t.complaints.c.material_requests).where(t.complaints.c.id == str(story.c2))
            ).one()
    assert figures == [(4, 1), (1, 1)]
    assert [r["breach"] for r in requests] == [False, True]
