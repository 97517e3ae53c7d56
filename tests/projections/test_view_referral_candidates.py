"""Referral candidates (移交纪检监察对象建议, 情节严重), as of a business date.

Default criteria: 1 interview whose rectification deadline passed unmet; 2 tasks led gone
red (open, past their deadline) with a deadline on or after the latest interview's day.
The story: four units interviewed on 2021-08-03 (e on 07-01), rectification due 08-31.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.ledger import Ledger
from domain.person import Person
from domain.policy import ReferralCriteria
from projections.views.referral_candidates import ReferralCandidate, referral_candidates
from tests.projections.view_builders import Books, beijing, closed_task, d, open_books, task


@dataclass
class Story:
    units: dict[str, str]
    items: dict[str, str]


def interviewed(books: Books, unit: UUID, cited: UUID, held: date, rectify_by: date) -> UUID:
    ledger = books.ledger
    interview = ledger.schedule_interview(
        books.on(held - (held - d(6, 1)) // 2),
        unit=unit,
        interviewees=[Person("王某", "局长")],
        reason="工作推动不力",
        cited_items=[cited],
        scheduled_for=beijing(held),
    ).item_id
    ledger.hold_interview(
        books.on(held),
        interview,
        facts="进度滞后",
        commitments=["限期整改"],
        demands=["提交整改报告"],
        rectify_by=rectify_by,
    )
    return interview


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    names = ("区住建局", "区市场监管局", "区财政局", "区自然资源局")
    a, b, c, e = (books.unit(name) for name in names)
    items: dict[str, UUID] = {}
    for key, unit in (("a", a), ("b", b), ("c", c)):
        cited = task(books, len(items) + 1, lead=[unit], assigned=d(6, 1), deadline=d(12, 31))
        items[f"{key}_iv"] = interviewed(books, unit, cited, d(8, 3), d(8, 31))
    # a never rectifies; b rectifies on 08-30 (in time); c on 09-05 (late: still unmet).
    ledger.record_follow_up(on(d(8, 30)), items["b_iv"], narrative="整改到位", rectified=True)
    ledger.record_follow_up(on(d(9, 5)), items["c_iv"], narrative="整改到位", rectified=True)
    # e, interviewed on 07-01 (rectification due at the year's end), leads tasks due 06-30
    # (red before the interview: not counted), 07-15 and 08-15 (red after it), 08-20
    # (closed on 08-10, in time: never red).
    items["e_before"] = task(books, 10, lead=[e], assigned=d(6, 1), deadline=d(6, 30))
    items["e_iv"] = interviewed(books, e, items["e_before"], d(7, 1), d(12, 31))
    items["e_jul"] = task(books, 11, lead=[e], assigned=d(6, 1), deadline=d(7, 15))
    items["e_aug"] = task(books, 12, lead=[e], assigned=d(6, 1), deadline=d(8, 15))
    items["e_done"] = done = task(books, 13, lead=[e], assigned=d(6, 1), deadline=d(8, 20))
    closed_task(books, done, d(8, 10))
    # a is referred on 09-10, citing its interview's events.
    evidence = list(ledger.positions_of(items["a_iv"]).values())
    ledger.refer_to_discipline(
        on(d(9, 10)),
        unit=a,
        reason="约谈后逾期未整改",
        evidence=evidence,
        cited_items=[items["a_iv"]],
    )
    units = dict(zip("abce", (str(u) for u in (a, b, c, e)), strict=True))
    return Story(units, {k: str(v) for k, v in items.items()})


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Story, Connection, Ledger]]:
    """The story told once a module: the tests given it only read (the read models, and
    the ledger's policy and rules)."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('referral-candidates') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn, books.ledger


def test_units_whose_demands_went_unmet_or_whose_tasks_went_red_again_are_proposed(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    units, items = story.units, story.items
    found = referral_candidates(conn, ledger.policy.referral_criteria, d(9, 15))
    assert found == [
        ReferralCandidate(units["a"], "区住建局", {"unmet_rectifications": [items["a_iv"]]}, 1),
        ReferralCandidate(
            units["e"],
            "区自然资源局",
            {"red_tasks_after_interview": sorted([items["e_jul"], items["e_aug"]])},
            0,
        ),
        ReferralCandidate(units["c"], "区财政局", {"unmet_rectifications": [items["c_iv"]]}, 0),
    ]


def test_before_the_rectification_deadline_has_passed_no_demand_counts_as_unmet(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    criteria = ledger.policy.referral_criteria
    # 08-31 is the deadline's own day: within it. e's two tasks are red by then.
    assert [c.unit for c in referral_candidates(conn, criteria, d(8, 31))] == [story.units["e"]]
    # 09-01: a and c missed it; the referral of a (09-10) is not made yet.
    on_first = referral_candidates(conn, criteria, d(9, 1))
    assert [(c.name, c.referrals_so_far) for c in on_first] == [
        ("区住建局", 0),
        ("区自然资源局", 0),
        ("区财政局", 0),
    ]
    # 08-01: only e's 07-15 task is red since its interview: one, below the two needed.
    assert referral_candidates(conn, criteria, d(8, 1)) == []


def test_the_policy_sets_the_thresholds_and_zero_turns_a_criterion_off(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, _ = read
    criteria = ReferralCriteria(unmet_rectifications=0, red_tasks_after_interview=1)
    found = referral_candidates(conn, criteria, d(8, 1))
    assert [(c.unit, c.reasons) for c in found] == [
        (story.units["e"], {"red_tasks_after_interview": [story.items["e_jul"]]})
    ]


def test_the_referral_candidates_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            found = referral_candidates(conn, books.ledger.policy.referral_criteria, d(9, 15))
    assert [(c.unit, c.reasons, c.referrals_so_far) for c in found] == [
        (story.units["a"], {"unmet_rectifications": [story.items["a_iv"]]}, 1),
        (
            story.units["e"],
            {"red_tasks_after_interview": sorted([story.items["e_jul"], story.items["e_aug"]])},
            0,
        ),
        (story.units["c"], {"unmet_rectifications": [story.items["c_iv"]]}, 0),
    ]
