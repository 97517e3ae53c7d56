"""The story the query tests read (test_query_*.py): entered straight into the server's ledger
as imports, on 2021 business dates, except two tasks of this year's plan assigned today
(their lights depend on today).

Working days, 2021, default policy: a 12345 case received Mon 03-01 is due (close_by) on
03-08 (5 working days: 03-02, 03-03, 03-04, 03-05, 03-08); a media exposure received Tue 04-06
on 05-06 (20 working days: 04-07..04-09, 04-12..04-16, 04-19..04-23, Sun 04-25 made up,
04-26..04-30, then the Labour Day holiday 05-01..05-05, and 05-06).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.assessment import AssessmentKind, Verdict
from domain.channels import Channel
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.legacy_issue import LegacyCategory
from domain.meta import Actor, Role
from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import beijing, caught_up, head, on, walk

# Two tasks are due a month from today; late in the year that reaches into a year the
# official holiday data does not cover, which only warns (weekends are then the days off).


def d(month: int, day: int, year: int = 2021) -> date:
    return date(year, month, day)


@dataclass
class Story:
    """The ids of the story's items, by the names the tests use."""

    units: dict[str, UUID] = field(default_factory=dict)
    tasks: dict[str, UUID] = field(default_factory=dict)
    complaints: dict[str, UUID] = field(default_factory=dict)
    issues: dict[str, UUID] = field(default_factory=dict)
    others: dict[str, UUID] = field(default_factory=dict)
    phase_one_recorded_at: str = ""
    year: int = 0

    def names(self, kind: str, ids: list[str]) -> list[str]:
        """The story's names of a list of global ids (or bare uuids) of ``kind``."""
        by_id = {str(v): k for k, v in getattr(self, kind).items()}
        return [by_id[i.rpartition(":")[2]] for i in ids]


def tell(live: LiveServer) -> Story:
    """Units a, b, c; tasks T1-T6; complaints C1-C4; legacy issues L1-L3; a target; an
    interview, a referral and two assessments. See each act's comment for what it sets up."""
    ledger = live.services.ledger
    story = Story(year=live.services.today().year)
    units = story.units
    for key, name, kind in (
        ("a", "区住建局", UnitKind.DEPARTMENT),
        ("b", "区市场监管局", UnitKind.DEPARTMENT),
        ("c", "某街道", UnitKind.SUBDISTRICT),
    ):
        units[key] = ledger.register_unit(on(d(1, 4)), name=name, kind=kind).item_id
    a, b, c = units["a"], units["b"], units["c"]
    clerk = Actor("li", Role.UNIT, a)  # a clerk of unit a

    tell_tasks(ledger, story, clerk)
    tell_complaints(ledger, story)
    tell_legacy_issues(ledger, story)

    t1 = story.tasks["T1"]
    interview = ledger.schedule_interview(
        on(d(7, 1)),
        unit=a,
        interviewee="区住建局局长",
        reason="督办事项逾期",
        cited_items=[t1],
        scheduled_for=beijing(d(7, 5)),
    ).item_id
    ledger.hold_interview(
        on(d(7, 5)),
        interview,
        facts="逾期",
        commitments=["9月底前完成"],
        demands=[],
        rectify_by=d(9, 30),
    )
    assigned_position = ledger.positions_of(t1)[2]
    referral = ledger.refer_to_discipline(
        on(d(7, 6)), unit=a, reason="督办事项长期逾期", evidence=[assigned_position]
    ).item_id
    assessments = [
        ledger.record_assessment(
            on(d(7, 3)),
            unit=unit,
            period="2021-Q2",
            kind=AssessmentKind.UNIT_ASSESSMENT,
            score=score,
            verdict=verdict,
        ).item_id
        for unit, score, verdict in (
            (a, Decimal("92.5"), Verdict.REWARD),
            (b, Decimal("71"), Verdict.PENALTY),
        )
    ]
    story.others.update(interview=interview, referral=referral, assessment=assessments[0])
    story.phase_one_recorded_at = ledger.item_events(assessments[-1])[-1].recorded_at.isoformat()

    # This year's plan: T5 (lead a) due tomorrow, T6 (lead b, cooperating c) due in 30 days;
    # both assigned today, not back-dated.
    today = live.services.today()
    for key, number, lead, cooperating, days in (
        ("T5", 1, a, [], 1),
        ("T6", 2, b, [c], 30),
    ):
        task = ledger.register_task(
            CommandContext(Actor("office-zhang", Role.OFFICE)),
            plan_year=story.year,
            number=number,
            title=f"{story.year}年第{number}项",
        ).item_id
        ledger.assign_task(
            CommandContext(Actor("office-zhang", Role.OFFICE)),
            task,
            lead_units=[lead],
            cooperating_units=cooperating,
            deadline=today + timedelta(days=days),
        )
        story.tasks[key] = task
    caught_up(live)
    return story


def tell_tasks(ledger: Ledger, story: Story, clerk: Actor) -> None:
    a, b, c = story.units["a"], story.units["b"], story.units["c"]
    tasks = story.tasks
    for key, number in (("T1", 1), ("T2", 2), ("T3", 3), ("T4", 4)):
        tasks[key] = ledger.register_task(
            on(d(3, 1)), plan_year=2021, number=number, title=f"2021年第{number}项"
        ).item_id
    t1, t2, t3 = tasks["T1"], tasks["T2"], tasks["T3"]
    # T1: lead a, cooperating b, due 06-30; accepted and reported 40% by a's clerk; urged
    # on 04-12. Open, past its deadline: red.
    ledger.assign_task(on(d(3, 1)), t1, lead_units=[a], cooperating_units=[b], deadline=d(6, 30))
    ledger.accept_task(on(d(3, 2), actor=clerk), t1, unit=a)
    ledger.report_progress(on(d(4, 1), actor=clerk), t1, percent=40, narrative="完成方案")
    ledger.urge_task(on(d(4, 12)), t1, reason="进度滞后")
    # T2: lead b, due 03-31, closed (销号) on time on 03-25.
    ledger.assign_task(on(d(3, 1)), t2, lead_units=[b], deadline=d(3, 31))
    ledger.accept_task(on(d(3, 2)), t2, unit=b)
    ledger.request_completion(on(d(3, 25)), t2, summary="已完成")
    ledger.verify_task(on(d(3, 25)), t2, note="核验通过")
    # T3: lead c, cooperating a, due 09-30, never accepted; escalated to the office on 05-10.
    ledger.assign_task(on(d(3, 1)), t3, lead_units=[c], cooperating_units=[a], deadline=d(9, 30))
    ledger.escalate_task(on(d(5, 10)), t3, reason="需协调")
    # T4: registered only.


def tell_complaints(ledger: Ledger, story: Story) -> None:
    a, b, c = story.units["a"], story.units["b"], story.units["c"]
    cases = story.complaints
    # C1: 12345, received by a on Mon 03-01, settled and closed on 03-05 (due 03-08).
    c1 = cases["C1"] = ledger.receive_complaint(
        on(d(3, 1)), channel=Channel.HOTLINE_12345, summary="报装超时", first_responder=a
    ).item_id
    ledger.dispatch_complaint(on(d(3, 1)), c1, unit=a)
    ledger.sign_for_complaint(on(d(3, 1)), c1, unit=a)
    ledger.verify_complaint(on(d(3, 2)), c1, founded=True, finding="属实")
    ledger.report_rectification(on(d(3, 4)), c1, narrative="已整改")
    ledger.call_back(on(d(3, 5)), c1, satisfied=True)
    ledger.close_complaint(on(d(3, 5)), c1)
    # C2: 12345, received by a on 03-01, dispatched to b, who returns it (退单) on 03-02; left
    # open: overdue from 03-09.
    c2 = cases["C2"] = ledger.receive_complaint(
        on(d(3, 1)), channel=Channel.HOTLINE_12345, summary="办证难", first_responder=a
    ).item_id
    ledger.dispatch_complaint(on(d(3, 1)), c2, unit=b)
    ledger.return_complaint(on(d(3, 2)), c2, unit=b, reason="非本单位职责")
    # C3: a media exposure of c, received by b on 04-06, founded on 04-07, never rectified;
    # due 05-06.
    c3 = cases["C3"] = ledger.receive_complaint(
        on(d(4, 6)), channel=Channel.MEDIA, summary="媒体曝光", first_responder=b, subject_unit=c
    ).item_id
    ledger.dispatch_complaint(on(d(4, 6)), c3, unit=b)
    ledger.sign_for_complaint(on(d(4, 6)), c3, unit=b)
    ledger.verify_complaint(on(d(4, 7)), c3, founded=True, finding="属实")
    # C4: a 好差评 review of b, received by c on 05-10, found unfounded, appeal upheld, closed
    # on 05-12.
    c4 = cases["C4"] = ledger.receive_complaint(
        on(d(5, 10)),
        channel=Channel.GOOD_BAD_REVIEW,
        summary="差评",
        first_responder=c,
        subject_unit=b,
    ).item_id
    ledger.dispatch_complaint(on(d(5, 10)), c4, unit=c)
    ledger.sign_for_complaint(on(d(5, 10)), c4, unit=c)
    ledger.verify_complaint(on(d(5, 11)), c4, founded=False, finding="不属实")
    ledger.review_appeal(on(d(5, 12)), c4, upheld=True, note="维持")
    ledger.close_complaint(on(d(5, 12)), c4)


def tell_legacy_issues(ledger: Ledger, story: Story) -> None:
    a, b = story.units["a"], story.units["b"]
    issues = story.issues
    story.others["target"] = ledger.set_legacy_target(
        on(d(1, 5)), year=2021, goal="化解一批", due=d(12, 31), required_resolved_percent=100
    ).item_id
    # L1: land, baseline, unit a, target 2021; plan adopted 04-01, resolved (销号) 05-10.
    # L2: arrears, baseline, unit b, target 2022. L3: land, new since the baseline, unit a,
    # target 2021, registered 04-06.
    for key, day, category, unit, year, baseline in (
        ("L1", d(3, 2), LegacyCategory.LAND, a, 2021, True),
        ("L2", d(3, 2), LegacyCategory.ARREARS, b, 2022, True),
        ("L3", d(4, 6), LegacyCategory.LAND, a, 2021, False),
    ):
        issues[key] = ledger.register_legacy_issue(
            on(day),
            title=f"遗留问题{key}",
            category=category,
            cause="历史原因",
            responsible_unit=unit,
            target_year=year,
            baseline=baseline,
        ).item_id
    ledger.adopt_plan(on(d(4, 1)), issues["L1"], plan="分步化解")
    ledger.verify_resolution(on(d(5, 10)), issues["L1"], note="已化解")


def ids_of(live: LiveServer, field: str, filter_type: str, given: dict[str, Any]) -> list[str]:
    nodes, pages = walk(
        live, field, first=100, filter_type=filter_type, given_filter=given, position=head(live)
    )
    assert pages[0]["totalCount"] == len(nodes)
    return [n["id"] for n in nodes]


def on_backend(request: pytest.FixtureRequest, backend: str) -> LiveServer:
    """The server of the test on ``backend`` (sqlite or postgres)."""
    found: LiveServer = request.getfixturevalue("live" if backend == "sqlite" else "live_postgres")
    return found
