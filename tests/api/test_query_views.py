"""The supervision views checked by hand against the story (tests/api/query_story.py): the
overview and the legacy issue totals as of a date, assessment scores, unit scorecards, and
interview candidates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.api.conftest import LiveServer
from tests.api.helpers import gid, mutate
from tests.api.query_story import on_backend, tell

# The views, by hand


OVERVIEW = """query($asOf: Date){ supervisionOverview(asOf: $asOf) { asOf
    channels { channel received open overdue returned rectified rectificationRate onTimeRate
               satisfactionRate rewards }
    league { period score verdict rank unit { name } } } }"""


def channel(overview: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in overview["channels"] if c["channel"] == name)
    return found


@pytest.mark.slow
def test_the_supervision_overview_as_of_a_date_counts_what_had_happened_by_then(
    live: LiveServer,
) -> None:
    tell(live)

    def overview(as_of: str) -> dict[str, Any]:
        found: dict[str, Any] = live.gql(OVERVIEW, {"asOf": as_of})["supervisionOverview"]
        assert found["asOf"] == as_of
        return found

    # 03-01: C1 and C2 received, nothing else yet
    march_1 = channel(overview("2021-03-01"), "HOTLINE_12345")
    assert {k: march_1[k] for k in ("received", "open", "overdue", "returned", "rectified")} == {
        "received": 2,
        "open": 2,
        "overdue": 0,
        "returned": 0,
        "rectified": 0,
    }
    assert march_1["rectificationRate"] is None
    # 03-08: C1 closed on 03-05; C2 returned, open, due this very day: not yet overdue
    march_8 = channel(overview("2021-03-08"), "HOTLINE_12345")
    assert (march_8["open"], march_8["overdue"], march_8["returned"]) == (1, 0, 1)
    # 03-31: C2 overdue; C1 rectified (1 of the 1 verified), closed on time, caller satisfied
    march_31 = overview("2021-03-31")
    hotline = channel(march_31, "HOTLINE_12345")
    assert {k: hotline[k] for k in ("received", "open", "overdue", "returned", "rectified")} == {
        "received": 2,
        "open": 1,
        "overdue": 1,
        "returned": 1,
        "rectified": 1,
    }
    assert (hotline["rectificationRate"], hotline["onTimeRate"], hotline["satisfactionRate"]) == (
        100.0,
        100.0,
        100.0,
    )
    assert channel(march_31, "MEDIA")["received"] == 0
    # 05-31: the exposure C3 (due 05-06) open and overdue; the review C4 closed after an
    # upheld appeal, so nothing of it to rectify
    may_31 = overview("2021-05-31")
    media, review = channel(may_31, "MEDIA"), channel(may_31, "GOOD_BAD_REVIEW")
    assert (media["received"], media["open"], media["overdue"]) == (1, 1, 1)
    assert (media["rectified"], media["rectificationRate"]) == (0, 0.0)
    assert (review["received"], review["open"], review["rectificationRate"]) == (1, 0, None)
    # the league table: Q2 assessments recorded on 07-03
    assert overview("2021-06-30")["league"] == []
    league = overview("2021-07-31")["league"]
    assert [
        (e["period"], Decimal(e["score"]), e["verdict"].lower(), e["rank"], e["unit"]["name"])
        for e in league
    ] == [
        ("2021-Q2", Decimal("92.5"), "reward", 1, "区住建局"),
        ("2021-Q2", Decimal("71"), "penalty", 2, "区市场监管局"),
    ]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_assessment_score_reads_back_as_recorded_or_is_refused(
    request: pytest.FixtureRequest, backend: str
) -> None:
    live = on_backend(request, backend)
    unit = mutate(live, "registerUnit", {"name": "区住建局", "kind": "DEPARTMENT"})["itemId"]

    result = mutate(
        live,
        "recordAssessment",
        {"unit": unit, "period": "2026-Q3", "kind": "UNIT_ASSESSMENT", "score": "88.25"},
        item_fields="... on Assessment { score }",
    )

    if result["__typename"] == "ValidationError":
        assert result["field"] == "score"
    else:
        assert Decimal(result["item"]["score"]) == Decimal("88.25")


TOTALS = """query($asOf: Date){ legacyIssueTotals(asOf: $asOf) { asOf total baseline
    newSinceBaseline resolved suspended remaining resolutionRate
    byCategory { key total resolved remaining } byUnit { key total resolved remaining }
    monthly { month registered resolved totalToDate resolvedToDate }
    targets { year dueIssues resolved resolvedPercent met } } }"""


@pytest.mark.slow
def test_the_legacy_issue_totals_as_of_a_date_count_what_had_happened_by_then(
    live: LiveServer,
) -> None:
    story = tell(live)

    march = live.gql(TOTALS, {"asOf": "2021-03-31"})["legacyIssueTotals"]
    june = live.gql(TOTALS, {"asOf": "2021-06-30"})["legacyIssueTotals"]

    # 03-31: L1 and L2, both in the baseline, none resolved
    assert {k: march[k] for k in ("total", "baseline", "newSinceBaseline", "resolved")} == {
        "total": 2,
        "baseline": 2,
        "newSinceBaseline": 0,
        "resolved": 0,
    }
    assert march["remaining"] == 2
    # 06-30: L3 new since the baseline; L1 resolved on 05-10: 1 of 3 = 33.3 %
    assert {k: june[k] for k in ("total", "baseline", "newSinceBaseline", "resolved")} == {
        "total": 3,
        "baseline": 2,
        "newSinceBaseline": 1,
        "resolved": 1,
    }
    assert (june["remaining"], june["suspended"], june["resolutionRate"]) == (2, 0, 33.3)
    # (total, resolved, remaining) by category (keyed by the category's value) and by unit
    assert {
        b["key"].lower(): (b["total"], b["resolved"], b["remaining"]) for b in june["byCategory"]
    } == {"land": (2, 1, 1), "arrears": (1, 0, 1)}
    assert {b["key"]: (b["total"], b["resolved"], b["remaining"]) for b in june["byUnit"]} == {
        str(story.units["a"]): (2, 1, 1),
        str(story.units["b"]): (1, 0, 1),
    }
    assert june["monthly"] == [
        {"month": "2021-03", "registered": 2, "resolved": 0, "totalToDate": 2, "resolvedToDate": 0},
        {"month": "2021-04", "registered": 1, "resolved": 0, "totalToDate": 3, "resolvedToDate": 0},
        {"month": "2021-05", "registered": 0, "resolved": 1, "totalToDate": 3, "resolvedToDate": 1},
    ]
    # the 2021 target: issues due by 2021 are L1 and L3; one resolved, 100 % required; not
    # judged before its due date (2021-12-31)
    assert june["targets"] == [
        {"year": 2021, "dueIssues": 2, "resolved": 1, "resolvedPercent": 50.0, "met": None}
    ]


SCORECARDS = """query($period: String!){ unitScorecards(period: $period)
    { period name figures overdueTasks assessments unit { id } } }"""


@pytest.mark.slow
def test_unit_scorecards_count_each_units_acts_in_the_period(live: LiveServer) -> None:
    story = tell(live)

    def cards(period: str) -> dict[str, dict[str, Any]]:
        found = live.gql(SCORECARDS, {"period": period})["unitScorecards"]
        assert {c["period"] for c in found} == {period}
        return {c["name"]: c for c in found}

    q1, q2, year = cards("2021-Q1"), cards("2021-Q2"), cards("2021")

    assert list(q1) == ["区住建局", "区市场监管局", "某街道"]
    assert q1["区住建局"]["unit"]["id"] == gid("Unit", story.units["a"])
    a_q1, b_q1 = q1["区住建局"]["figures"], q1["区市场监管局"]["figures"]
    # Q1, unit a: led T1; answered for C1 and C2 (first responder), closed C1 on time with
    # the caller satisfied
    assert (a_q1["tasks_led"], a_q1["received"], a_q1["closed"]) == (1, 2, 1)
    assert (a_q1["closed_on_time"], a_q1["satisfied"]) == (1, 1)
    # Q1, unit b: led T2 and closed it on time; returned C2 (退单)
    assert (b_q1["tasks_led"], b_q1["tasks_closed"], b_q1["tasks_closed_on_time"]) == (1, 1, 1)
    assert b_q1["returned"] == 1
    assert "urges" not in a_q1
    # Q2: T1 urged (lead a); C3 a founded media exposure of c; the Q2 assessments
    assert q2["区住建局"]["figures"]["urges"] == 1
    assert q2["某街道"]["figures"]["media_exposures"] == 1
    assert q2["区住建局"]["assessments"] == {"unit_assessment": "92.5"}
    # overdue at the end of Q2 (06-30): none (T1 is due that day); at the end of the year:
    # T1 (lead a) and T3 (lead c)
    assert {name: card["overdueTasks"] for name, card in q2.items()} == {
        "区住建局": 0,
        "区市场监管局": 0,
        "某街道": 0,
    }
    assert {name: card["overdueTasks"] for name, card in year.items()} == {
        "区住建局": 1,
        "区市场监管局": 0,
        "某街道": 1,
    }


def test_a_period_that_is_neither_a_year_nor_a_quarter_is_refused(live: LiveServer) -> None:
    response = live.post(SCORECARDS, {"period": "2021-Q5"})
    body = response.json()
    assert body["data"] is None
    assert "quarter" in body["errors"][0]["message"]


@pytest.mark.slow
def test_interview_candidates_are_the_units_meeting_the_criteria_with_the_items_behind_them(
    live: LiveServer,
) -> None:
    story = tell(live)

    candidates = live.gql("{ interviewCandidates { name reasons interviewsSoFar unit { id } } }")[
        "interviewCandidates"
    ]

    # c: leads T3, overdue, and C3 exposed it and is unrectified past its deadline (two
    # reasons, so first); a: leads T1, overdue, and was interviewed once. b: nothing overdue.
    assert candidates == [
        {
            "name": "某街道",
            "reasons": {
                "overdue_tasks": [str(story.tasks["T3"])],
                "unrectified_exposures": [str(story.complaints["C3"])],
            },
            "interviewsSoFar": 0,
            "unit": {"id": gid("Unit", story.units["c"])},
        },
        {
            "name": "区住建局",
            "reasons": {"overdue_tasks": [str(story.tasks["T1"])]},
            "interviewsSoFar": 1,
            "unit": {"id": gid("Unit", story.units["a"])},
        },
    ]
