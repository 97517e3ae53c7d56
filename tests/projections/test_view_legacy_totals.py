"""Legacy-issue totals (历史遗留问题总台账), built from known commands and checked by hand.

The story, 2021 unless said:
  L1 land,     unit a, target 2021, baseline; registered 03-15, plan 03-20, resolved 05-10
  L2 land,     unit b, target 2022, baseline; registered 03-15, escalated 04-20, suspended 06-01
  L3 arrears,  unit a, target 2021, baseline; registered 03-16, plan 03-20, resolved 04-15,
               reopened 06-10, resolved again 2022-01-10
  L4 arrears,  unit b, target 2025, new;      registered 05-20, plan 05-21, resolved 06-15
  L5 arrears,  unit a, target 2022, new;      registered 06-20
Targets: 2021 due 2021-12-31, 60 %; 2022 due 2022-12-31, a goal without a number;
2025 due 2025-12-31, 100 %.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.escalation import Tier
from domain.legacy_issue import LegacyCategory
from projections.views.legacy_targets import TargetProgress
from projections.views.legacy_totals import Breakdown, Month, legacy_issue_totals
from tests.projections.view_builders import Books, d, open_books

LAND, ARREARS = LegacyCategory.LAND, LegacyCategory.ARREARS


def tell(books: Books) -> tuple[UUID, UUID]:
    ledger, on = books.ledger, books.on
    a, b = books.unit("区自然资源局"), books.unit("区财政局")

    def issue(
        title: str, category: LegacyCategory, unit: UUID, year: int, baseline: bool, day: date
    ) -> UUID:
        return ledger.register_legacy_issue(
            on(day),
            title=title,
            category=category,
            cause="历史原因",
            responsible_unit=unit,
            target_year=year,
            baseline=baseline,
        ).item_id

    l1 = issue("某地块闲置", LAND, a, 2021, True, d(3, 15))
    l2 = issue("某厂区用地手续不全", LAND, b, 2022, True, d(3, 15))
    l3 = issue("拖欠工程款", ARREARS, a, 2021, True, d(3, 16))
    ledger.adopt_plan(on(d(3, 20)), l1, plan="补办手续")
    ledger.adopt_plan(on(d(3, 20)), l3, plan="分期支付")
    ledger.verify_resolution(on(d(4, 15)), l3, note="款项付清")
    ledger.escalate_legacy_issue(on(d(4, 20)), l2, reason="涉及多部门")
    ledger.verify_resolution(on(d(5, 10)), l1, note="已办结")
    l4 = issue("拖欠中小企业账款", ARREARS, b, 2025, False, d(5, 20))
    ledger.adopt_plan(on(d(5, 21)), l4, plan="清欠")
    ledger.suspend_legacy_issue(on(d(6, 1)), l2, reason="司法程序中")
    ledger.reopen_legacy_issue(on(d(6, 10)), l3, reason="尾款未付")
    ledger.verify_resolution(on(d(6, 15)), l4, note="已清偿")
    issue("拖欠物业费", ARREARS, a, 2022, False, d(6, 20))
    ledger.verify_resolution(on(d(1, 10, 2022)), l3, note="尾款付清")
    ledger.set_legacy_target(
        on(d(2, 1)),
        year=2021,
        goal="大幅度减少总量、不增新量",
        due=d(12, 31),
        required_resolved_percent=60,
    )
    ledger.set_legacy_target(on(d(2, 1)), year=2022, goal="取得阶段性重大进展", due=d(12, 31, 2022))
    ledger.set_legacy_target(
        on(d(2, 1)), year=2025, goal="全面解决", due=d(12, 31, 2025), required_resolved_percent=100
    )
    return a, b


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[tuple[UUID, UUID], Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('legacy-totals') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        units = tell(books)
        with books.read() as conn:
            yield units, conn


def test_the_totals_count_baseline_new_resolved_suspended_and_remaining_issues(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    totals = legacy_issue_totals(conn, d(6, 30))
    assert totals.as_of == d(6, 30)
    # L1..L5 registered; L1, L2, L3 baseline; L4, L5 new since the baseline.
    assert (totals.total, totals.baseline, totals.new_since_baseline) == (5, 3, 2)
    # Resolved: L1 and L4; L3 was resolved on 04-15 but reopened on 06-10.
    assert (totals.resolved, totals.remaining) == (2, 3)  # 5 - 2
    assert totals.suspended == 1  # L2
    assert totals.resolution_rate == 40.0  # 2 / 5


def test_a_reopened_issue_leaves_the_resolved_count_until_resolved_again(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    resolved = {
        day: legacy_issue_totals(conn, day).resolved
        for day in (d(4, 14), d(4, 15), d(5, 10), d(6, 9), d(6, 10), d(6, 15), d(1, 10, 2022))
    }
    assert resolved == {
        d(4, 14): 0,
        d(4, 15): 1,  # L3
        d(5, 10): 2,  # L3, L1
        d(6, 9): 2,
        d(6, 10): 1,  # L3 reopened
        d(6, 15): 2,  # L1, L4
        d(1, 10, 2022): 3,  # L3 resolved again
    }


def test_the_breakdowns_split_totals_by_category_unit_and_tier(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    (a, b), conn = read
    totals = legacy_issue_totals(conn, d(6, 30))
    # arrears: L3, L4, L5, resolved L4; land: L1, L2, resolved L1.
    assert totals.by_category == [Breakdown("arrears", 3, 1), Breakdown("land", 2, 1)]
    assert {x.key: (x.total, x.resolved, x.remaining) for x in totals.by_unit} == {
        str(a): (3, 1, 2),  # L1, L3, L5; resolved L1
        str(b): (2, 1, 1),  # L2, L4; resolved L4
    }
    # L2 was escalated from the task force to the office; the rest stay with the task force.
    assert totals.by_tier == [Breakdown("office", 1, 0), Breakdown("task_force", 4, 2)]


def test_escalation_moves_an_issue_between_tiers_on_the_day_it_happened(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    # 04-19: L1, L2, L3 with the task force; L3 resolved on 04-15.
    assert legacy_issue_totals(conn, d(4, 19)).by_tier == [Breakdown(Tier.TASK_FORCE.value, 3, 1)]
    # 04-20: L2 moves up to the office.
    assert legacy_issue_totals(conn, d(4, 20)).by_tier == [
        Breakdown(Tier.OFFICE.value, 1, 0),
        Breakdown(Tier.TASK_FORCE.value, 2, 1),
    ]
    assert legacy_issue_totals(conn, d(4, 20)).total == 3


def test_the_monthly_series_counts_registrations_and_resolutions_with_running_totals(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    assert legacy_issue_totals(conn, d(3, 31, 2022)).monthly == [
        # registered, resolved, total to date, resolved to date
        Month("2021-03", 3, 0, 3, 0),  # L1, L2, L3
        Month("2021-04", 0, 1, 3, 1),  # L3 resolved; L2's escalation moves nothing
        Month("2021-05", 1, 1, 4, 2),  # L4 registered; L1 resolved
        Month("2021-06", 1, 0, 5, 2),  # L5; L4 resolved +1, L3 reopened -1
        Month("2022-01", 0, 1, 5, 3),  # L3 resolved again
    ]
    # As of 2021-05-15 the series stops at May, with only what happened by then.
    assert legacy_issue_totals(conn, d(5, 15)).monthly == [
        Month("2021-03", 3, 0, 3, 0),
        Month("2021-04", 0, 1, 3, 1),
        Month("2021-05", 0, 1, 3, 2),  # L1 resolved 05-10; L4 registered only 05-20
    ]


def test_target_progress_counts_the_issues_due_by_the_target_year_up_to_its_due_date(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    goals = ("大幅度减少总量、不增新量", "取得阶段性重大进展", "全面解决")
    # 2021-05-31: due in 2021: L1, L3, both resolved -> 2 / 2 = 100.0.
    # Due by 2022: L1, L2, L3 -> 2 / 3 = 66.7. By 2025: L1..L4 -> 2 / 4 = 50.0.
    # L4 (registered 05-20) is new since the baseline. No target is judged before its due date.
    may = legacy_issue_totals(conn, d(5, 31)).targets
    assert may == [
        TargetProgress(2021, goals[0], d(12, 31), 60, 2, 2, new_issues=1),
        TargetProgress(2022, goals[1], d(12, 31, 2022), None, 3, 2, new_issues=1),
        TargetProgress(2025, goals[2], d(12, 31, 2025), 100, 4, 2, new_issues=1),
    ]
    assert [(t.resolved_percent, t.met) for t in may] == [
        (100.0, None),
        (66.7, None),
        (50.0, None),
    ]
    # 2021-06-30: L3 reopened -> 2021: 1 / 2 = 50.0.
    # 2022: L1, L2, L3, L5 -> 1 / 4 = 25.0. 2025: all five -> L1, L4 = 2 / 5 = 40.0.
    june = legacy_issue_totals(conn, d(6, 30)).targets
    assert [(t.due_issues, t.resolved, t.resolved_percent, t.new_issues) for t in june] == [
        (2, 1, 50.0, 2),
        (4, 1, 25.0, 2),
        (5, 2, 40.0, 2),
    ]


def test_a_resolution_after_the_due_date_does_not_count_for_that_target(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    _, conn = read
    totals = legacy_issue_totals(conn, d(3, 31, 2022))
    assert totals.resolved == 3  # L1, L4 and L3 (again on 2022-01-10)
    # 2021 target: counted up to min(2022-03-31, 2021-12-31) = 2021-12-31, before L3's second
    # resolution -> 1 / 2 = 50.0 < 60, and L4, L5 new in 2021: not met, on both counts.
    # 2022 target: up to 2022-03-31 -> L1, L3 of L1, L2, L3, L5 -> 2 / 4 = 50.0; not yet due.
    # 2025 target: L1, L3, L4 of all five -> 3 / 5 = 60.0; not yet due.
    assert [
        (t.year, t.due_issues, t.resolved, t.resolved_percent, t.met) for t in totals.targets
    ] == [
        (2021, 2, 1, 50.0, False),
        (2022, 4, 2, 50.0, None),
        (2025, 5, 3, 60.0, None),
    ]


def test_as_of_an_earlier_date_the_totals_are_the_earlier_ones(
    read: tuple[tuple[UUID, UUID], Connection],
) -> None:
    (a, b), conn = read
    early = legacy_issue_totals(conn, d(4, 19))
    # L1, L2, L3 (all baseline); L3 resolved 04-15; nothing suspended yet.
    assert (early.total, early.baseline, early.new_since_baseline) == (3, 3, 0)
    assert (early.resolved, early.remaining, early.suspended) == (1, 2, 0)
    assert early.by_category == [Breakdown("arrears", 1, 1), Breakdown("land", 2, 0)]
    assert {x.key: (x.total, x.resolved) for x in early.by_unit} == {
        str(a): (2, 1),
        str(b): (1, 0),
    }
    nothing = legacy_issue_totals(conn, d(3, 14))
    assert (nothing.total, nothing.resolved, nothing.monthly) == (0, 0, [])
    assert nothing.resolution_rate is None
    assert [t.resolved_percent for t in nothing.targets] == [None, None, None]
    assert [t.met for t in nothing.targets] == [None, None, None]


def test_a_resumed_issue_leaves_the_suspended_count(sqlite_url: str) -> None:
    with open_books(sqlite_url) as books:
        unit = books.unit("区住建局")
        issue = books.ledger.register_legacy_issue(
            books.on(d(3, 1)),
            title="小区配套未移交",
            category=LegacyCategory.PLANNING_CONSTRUCTION,
            cause="开发商破产",
            responsible_unit=unit,
            target_year=2022,
            baseline=True,
        ).item_id
        books.ledger.suspend_legacy_issue(books.on(d(3, 5)), issue, reason="等待法院裁定")
        books.ledger.resume_legacy_issue(books.on(d(4, 5)), issue)
        with books.read() as conn:
            suspended = [
                legacy_issue_totals(conn, day).suspended for day in (d(3, 4), d(3, 5), d(4, 5))
            ]
            category = legacy_issue_totals(conn, d(4, 5)).by_category
    assert suspended == [0, 1, 0]
    assert category == [Breakdown("planning_construction", 1, 0)]


def test_the_totals_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        a, b = tell(books)
        with books.read() as conn:
            june, later = (
                legacy_issue_totals(conn, d(6, 30)),
                legacy_issue_totals(conn, d(3, 31, 2022)),
            )
    assert (june.total, june.baseline, june.new_since_baseline) == (5, 3, 2)
    assert (june.resolved, june.remaining, june.suspended) == (2, 3, 1)
    assert june.by_tier == [Breakdown("office", 1, 0), Breakdown("task_force", 4, 2)]
    assert {x.key: (x.total, x.resolved) for x in june.by_unit} == {str(a): (3, 1), str(b): (2, 1)}
    assert [(m.month, m.total_to_date, m.resolved_to_date) for m in later.monthly] == [
        ("2021-03", 3, 0),
        ("2021-04", 3, 1),
        ("2021-05", 4, 2),
        ("2021-06", 5, 2),
        ("2022-01", 5, 3),
    ]
    assert [(t.due_issues, t.resolved, t.new_issues, t.met) for t in later.targets] == [
        (2, 1, 2, False),
        (4, 2, 2, None),
        (5, 3, 2, None),
    ]
