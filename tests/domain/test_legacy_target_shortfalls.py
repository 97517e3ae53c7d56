"""What a legacy target falls short of, from the counts as of its due date
(``domain.legacy_target.shortfalls``): the exact share, and 不增新量 for 2021 only."""

from __future__ import annotations

from domain.legacy_target import TargetShortfall, shortfalls

SHORT, NEW = TargetShortfall.SHARE_NOT_REACHED, TargetShortfall.NEW_PROBLEMS_REGISTERED


def test_one_problem_of_two_thousand_still_open_falls_short_of_all_though_shown_as_100() -> None:
    assert shortfalls(2025, 100, due_issues=2000, resolved=1999, new_issues=0) == (SHORT,)
    assert shortfalls(2025, 100, due_issues=2000, resolved=2000, new_issues=0) == ()


def test_a_share_exactly_at_the_required_percent_is_reached() -> None:
    assert shortfalls(2022, 60, due_issues=5, resolved=3, new_issues=0) == ()
    assert shortfalls(2022, 61, due_issues=5, resolved=3, new_issues=0) == (SHORT,)


def test_nothing_due_leaves_nothing_unresolved() -> None:
    assert shortfalls(2025, 100, due_issues=0, resolved=0, new_issues=0) == ()


def test_new_problems_fail_2021_alone_with_or_without_a_share() -> None:
    assert shortfalls(2021, 50, due_issues=4, resolved=1, new_issues=2) == (SHORT, NEW)
    assert shortfalls(2021, None, due_issues=4, resolved=4, new_issues=1) == (NEW,)
    assert shortfalls(2022, 50, due_issues=4, resolved=2, new_issues=3) == ()
