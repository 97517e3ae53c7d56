"""A unit's own 约谈通知书 and 移交函 over HTTP: what they cite and the evidence they list are
filtered as the GraphQL ``events`` query filters the trail for that unit. Another unit's
task and an access record (a token issued) are counted as withheld, never described; the
office keeps the whole document."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.clock import ShiftedClock
from domain.person import Person
from domain.unit import UnitKind
from projections import tables as t
from tests.api.conftest import OFFICE, LiveServer, start_server, stop_server
from tests.api.helpers import beijing, caught_up, on
from tests.api.test_documents import TODAY, d, fetch, text_of, unit_actor
from tests.conftest import settings_for

pytestmark = pytest.mark.slow  # PDFs made and read back with poppler: end to end

OTHER_TASK = "市场主体登记便利化"
SHARED_REASON = "督办事项逾期未完成"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module: its tests only read the documents of one story."""
    url = f"sqlite:///{tmp_path_factory.mktemp('withheld') / 'ledger.sqlite'}"
    server = start_server(replace(settings_for(url), clock=ShiftedClock(TODAY, time.time())))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def story(live: LiveServer) -> Iterator[tuple[str, str, str]]:
    """区住建局 is summoned and referred citing its own task and 区市场监管局's; the
    referral's evidence: its own task's assignment, the other's, and a token issued."""
    ledger = live.services.ledger
    lead = ledger.register_unit(on(d(1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    other = ledger.register_unit(on(d(1, 4)), name="区市场监管局", kind=UnitKind.DEPARTMENT)
    own = ledger.register_task(on(d(4, 1)), plan_year=2021, number=1, title="工程建设项目审批提速")
    own_assigned = ledger.assign_task(
        on(d(4, 1)), own.item_id, lead_units=[lead], deadline=d(5, 31)
    )
    theirs = ledger.register_task(on(d(4, 1)), plan_year=2021, number=2, title=OTHER_TASK)
    their_assigned = ledger.assign_task(
        on(d(4, 2)), theirs.item_id, lead_units=[other.item_id], deadline=d(12, 31)
    )
    actor = unit_actor(str(lead))
    live.token(actor)
    live.token(OFFICE)
    caught_up(live)
    with live.services.engine.connect() as conn:
        a = t.audit_events
        token_position = conn.execute(
            select(a.c.position).where(a.c.item_type == "AccessToken").limit(1)
        ).scalar_one()
    cited = [own.item_id, theirs.item_id]
    interview = ledger.schedule_interview(
        on(d(6, 10)),
        unit=lead,
        reason=SHARED_REASON,
        cited_items=cited,
        scheduled_for=beijing(d(6, 15), 9),
        interviewees=[Person("王某", "局长")],
    ).item_id
    evidence = [own_assigned.position, their_assigned.position, token_position]
    referral = ledger.refer_to_discipline(
        on(d(6, 20)),
        unit=lead,
        reason="约谈后仍未整改",
        evidence=evidence,
        persons=["王某"],
        cited_items=cited,
    ).item_id
    caught_up(live)
    yield actor, str(interview), str(referral)


def test_a_units_own_referral_letter_withholds_evidence_and_items_it_may_not_see(
    live: LiveServer, story: tuple[str, str, str], tmp_path: Path
) -> None:
    actor, _, referral = story
    status, pdf, _ = fetch(live, f"/documents/referral-letter/{referral}.pdf", actor)
    assert status == 200
    text = text_of(pdf, tmp_path, "unit-letter")
    assert "工程建设项目审批提速" in text and "督办事项 · Assigned" in text
    assert OTHER_TASK not in text
    assert "2021年4月2日" not in text  # the other unit's assignment, not described
    assert "AccessToken" not in text and "Issued" not in text
    assert "另有2项不在本单位可见范围" in text  # the other's assignment and the token
    assert "另有1项不在本单位可见范围" in text  # the other unit's cited task
    status, pdf, _ = fetch(live, f"/documents/referral-letter/{referral}.pdf", OFFICE)
    office = text_of(pdf, tmp_path, "office-letter")
    assert OTHER_TASK in office and "2021年4月2日" in office and "AccessToken" in office
    assert "不在本单位可见范围" not in office


def test_a_units_own_interview_notice_withholds_another_units_cited_task(
    live: LiveServer, story: tuple[str, str, str], tmp_path: Path
) -> None:
    actor, interview, _ = story
    status, pdf, _ = fetch(live, f"/documents/interview-notice/{interview}.pdf", actor)
    assert status == 200
    text = text_of(pdf, tmp_path, "unit-notice")
    assert "工程建设项目审批提速" in text and OTHER_TASK not in text
    assert "另有1项不在本单位可见范围" in text
    status, pdf, _ = fetch(live, f"/documents/interview-notice/{interview}.pdf", OFFICE)
    assert OTHER_TASK in text_of(pdf, tmp_path, "office-notice")
