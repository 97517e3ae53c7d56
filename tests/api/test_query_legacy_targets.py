"""The legacy targets of item 22 judged, through GraphQL (`legacyIssueTotals { targets }`), as
the big screen reads them: met or not as of the due date and later, null before it, with the
new problems counted and the reasons a target is not met."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import VIEWER, LiveServer
from tests.api.helpers import caught_up
from tests.projections.legacy_target_builders import Problem, tell
from tests.projections.view_builders import d

TARGETS = """query($asOf: Date){ legacyIssueTotals(asOf: $asOf) {
    targets { year dueIssues resolved resolvedPercent newIssues met shortfalls } } }"""

# 2021: the baseline problem due in 2021 resolved (100 %), but a new one registered on 11-01.
# 2022: 2 of the 3 due by 2022 resolved by its due date (66.7 % >= 60 %).
# 2025: two of the four resolved (50 % < 100 %).
STORY = [
    Problem(True, 2021, d(3, 1), d(6, 1)),
    Problem(True, 2022, d(3, 1)),
    Problem(True, 2025, d(3, 1)),
    Problem(False, 2022, d(11, 1), d(5, 1, 2022)),
]
SHARES: dict[int, int | None] = {2021: 100, 2022: 60, 2025: 100}


def targets(live: LiveServer, as_of: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = live.gql(TARGETS, {"asOf": as_of}, actor=VIEWER)[
        "legacyIssueTotals"
    ]["targets"]
    return found


def test_each_target_is_judged_as_of_its_due_date_and_null_before_it(live: LiveServer) -> None:
    tell(live.services.ledger, STORY, SHARES)
    caught_up(live, VIEWER)

    assert [(t["year"], t["met"], t["shortfalls"]) for t in targets(live, "2021-12-30")] == [
        (2021, None, []),
        (2022, None, []),
        (2025, None, []),
    ]
    assert targets(live, "2021-12-31")[0] == {
        "year": 2021,
        "dueIssues": 1,
        "resolved": 1,
        "resolvedPercent": 100.0,
        "newIssues": 1,
        "met": False,
        "shortfalls": ["NEW_PROBLEMS_REGISTERED"],
    }
    assert [
        (t["dueIssues"], t["resolved"], t["newIssues"], t["met"], t["shortfalls"])
        for t in targets(live, "2026-01-04")
    ] == [
        (1, 1, 1, False, ["NEW_PROBLEMS_REGISTERED"]),
        (3, 2, 1, True, []),
        (4, 2, 1, False, ["SHARE_NOT_REACHED"]),
    ]
