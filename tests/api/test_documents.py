"""The documents on paper (督办通报, 约谈通知书, 移交函) through GET /documents/...: PDFs with
the Chinese font embedded, their text read back with ``pdftotext`` (the seal's position and
hash among it), page 1 rendered with ``pdftoppm``, and each role given what the policy says.
The clock stands at 2021-07-05, so June is a month past. The tests only read: they share
one server and its story (``told``), and each document the office asks for is made once."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import pytest

from api.permissions import Rule, document_rule
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.clock import ShiftedClock
from domain.meta import Role
from domain.person import Person
from domain.unit import UnitKind
from tests.api.conftest import OFFICE, VIEWER, LiveServer, start_server, stop_server
from tests.api.helpers import beijing, caught_up, on
from tests.conftest import settings_for

TODAY = datetime(2021, 7, 5, 10, 0, tzinfo=CHINA_TIME)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
INSPECTOR, LEADER = "inspector:jiwei-li", "leader:zhang"


@dataclass(frozen=True)
class Story:
    lead: str
    other: str
    interview: str
    referral: str
    evidence: int


@dataclass
class Told:
    """The module's server, once the story is told on it and every token issued; its seal,
    and the documents the office fetched, each made once (most of a second a PDF)."""

    live: LiveServer
    story: Story
    seal: str
    fetched: dict[str, tuple[int, bytes, dict[str, str]]] = field(default_factory=dict)

    def as_office(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        """``path`` fetched as the office: the first time over HTTP, then as fetched."""
        if path not in self.fetched:
            self.fetched[path] = fetch(self.live, path, OFFICE)
        return self.fetched[path]


@pytest.fixture(scope="module")
def told(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Told]:
    """One server for the module, on a ledger of its own: every test here only reads (the
    documents, a refusal), none writes."""
    url = f"sqlite:///{tmp_path_factory.mktemp('documents') / 'ledger.sqlite'}"
    server = start_server(replace(settings_for(url), clock=ShiftedClock(TODAY, time.time())))
    try:
        story = tell(server)
        yield Told(server, story, ready(server, story))
    finally:
        stop_server(server)


def d(month: int, day: int) -> date:
    return date(2021, month, day)


def tell(live: LiveServer) -> Story:
    """区住建局 leads task 1 (due 05-31: red in June) and is asked about a case received
    06-03; its head is summoned on 06-10 for 06-15, and it is referred on 06-20 citing the
    task's assignment as evidence. 区市场监管局 leads task 2 (due in December: green)."""
    ledger = live.services.ledger
    lead = ledger.register_unit(on(d(1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    other = ledger.register_unit(on(d(1, 4)), name="区市场监管局", kind=UnitKind.DEPARTMENT)
    late = ledger.register_task(on(d(4, 1)), plan_year=2021, number=1, title="工程建设项目审批提速")
    assigned = ledger.assign_task(on(d(4, 1)), late.item_id, lead_units=[lead], deadline=d(5, 31))
    green = ledger.register_task(on(d(4, 1)), plan_year=2021, number=2, title="市场主体登记便利化")
    ledger.assign_task(on(d(4, 1)), green.item_id, lead_units=[other.item_id], deadline=d(12, 31))
    ledger.receive_complaint(
        on(d(6, 3)), channel=Channel.HOTLINE_12345, summary="审批超时", first_responder=lead
    )
    interview = ledger.schedule_interview(
        on(d(6, 10)),
        unit=lead,
        reason="督办事项逾期未完成",
        cited_items=[late.item_id],
        scheduled_for=beijing(d(6, 15), 9),
        interviewees=[Person("王某", "局长")],
    ).item_id
    referral = ledger.refer_to_discipline(
        on(d(6, 20)),
        unit=lead,
        reason="约谈后仍未整改",
        evidence=[assigned.position],
        persons=["王某"],
        cited_items=[late.item_id],
    ).item_id
    return Story(str(lead), str(other.item_id), str(interview), str(referral), assigned.position)


def unit_actor(unit: str) -> str:
    return f"unit:clerk:{unit}"


def ready(live: LiveServer, story: Story) -> str:
    """Every token issued, the read models caught up; the seal the documents should print."""
    for actor in (
        OFFICE,
        VIEWER,
        INSPECTOR,
        LEADER,
        unit_actor(story.lead),
        unit_actor(story.other),
    ):
        live.token(actor)
    caught_up(live)
    seal: str = live.gql("{ ledgerSeal { seal } }")["ledgerSeal"]["seal"]
    return seal


def text_of(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def fetch(
    live: LiveServer, path: str, actor: str | None = OFFICE
) -> tuple[int, bytes, dict[str, str]]:
    headers = live.auth(actor) if actor is not None else {}
    response = live.client.get(path, headers=headers)
    return response.status_code, response.content, dict(response.headers)


@pytest.mark.slow  # a PDF made and read back with poppler
def test_the_monthly_bulletin_reads_back_its_figures_and_the_seal_with_the_font_embedded(
    told: Told, tmp_path: Path
) -> None:
    seal = told.seal
    status, pdf, headers = told.as_office("/documents/monthly-bulletin/2021-06.pdf")
    assert (status, headers["content-type"]) == (200, "application/pdf")
    assert "filename*=UTF-8''" in headers["content-disposition"]
    assert (headers["cache-control"], headers["x-content-type-options"]) == ("no-store", "nosniff")
    text = text_of(pdf, tmp_path, "bulletin")
    position, chain = seal.split(":")[2:]
    for expected in (
        "2021年6月营商环境建设督办通报",
        "督办通报〔2021〕第6期",
        "区住建局",
        "工程建设项目审批提速",  # the red task, by title
        "12345热线",
        "督办事项逾期未完成",  # the month's interview, by its reason
        "约谈后仍未整改",  # and its referral
        f"截至台账第 {position} 号记录",
        chain,
        seal,
        "office-zhang",
    ):
        assert expected in text, expected
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "bulletin.pdf")], capture_output=True, text=True, check=True
    )
    embedded = [line.split() for line in fonts.stdout.splitlines()[2:]]
    assert embedded and all(cols[-5:-3] == ["yes", "yes"] for cols in embedded), fonts.stdout
    assert all("CJK" in cols[0] for cols in embedded)
    first_page = ["-png", "-r", "100", "-f", "1", "-l", "1"]
    subprocess.run(
        ["pdftoppm", *first_page, str(tmp_path / "bulletin.pdf"), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 20_000  # a page with text and tables, not a blank one
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(page, SCREENSHOTS / "monthly-bulletin-2021-06.png")


@pytest.mark.slow  # a PDF made and read back with poppler
def test_the_interview_notice_names_the_people_the_time_the_reason_and_the_cited_task(
    told: Told, tmp_path: Path
) -> None:
    story, seal = told.story, told.seal
    status, pdf, _ = told.as_office(f"/documents/interview-notice/{story.interview}.pdf")
    assert status == 200
    text = text_of(pdf, tmp_path, "notice")
    for expected in ("约谈通知书", "区住建局：", "王某", "局长", "2021年6月15日 09:00",
                     "督办事项逾期未完成", "工程建设项目审批提速", seal):  # fmt: skip
        assert expected in text, expected


@pytest.mark.slow  # a PDF made and read back with poppler
def test_the_referral_letter_lists_its_evidence_by_position_type_time_and_actor(
    told: Told, tmp_path: Path
) -> None:
    story, seal = told.story, told.seal
    status, pdf, _ = told.as_office(f"/documents/referral-letter/{story.referral}.pdf")
    assert status == 200
    text = text_of(pdf, tmp_path, "letter")
    for expected in ("问题线索移交函", "区纪委监委：", "约谈后仍未整改", "王某",
                     str(story.evidence), "督办事项 · Assigned", "2021年4月1日 10:00",
                     "office-seed", seal):  # fmt: skip
        assert expected in text, expected


@pytest.mark.slow  # up to seven PDFs made, most of a second each
def test_each_role_gets_the_documents_the_policy_gives_it_and_a_unit_only_its_own(
    told: Told,
) -> None:
    live, story = told.live, told.story
    bulletin = "/documents/monthly-bulletin/2021-06.pdf"
    notice = f"/documents/interview-notice/{story.interview}.pdf"
    letter = f"/documents/referral-letter/{story.referral}.pdf"
    # every PDF made costs most of a second (the font's faces read and subset), so the
    # roles the policy treats alike for all three (inspector, leader: as the office) are
    # asked for the bulletin only; the table itself is checked whole below
    paths = {"bulletin": bulletin, "notice": notice, "letter": letter}
    expected = {
        (OFFICE, "bulletin"): 200,
        (OFFICE, "notice"): 200,
        (OFFICE, "letter"): 200,
        (INSPECTOR, "bulletin"): 200,
        (LEADER, "bulletin"): 200,
        (VIEWER, "bulletin"): 403,
        (VIEWER, "notice"): 403,
        (VIEWER, "letter"): 403,
        (unit_actor(story.lead), "bulletin"): 403,
        (unit_actor(story.lead), "notice"): 200,
        (unit_actor(story.lead), "letter"): 200,
        (unit_actor(story.other), "notice"): 404,  # another unit's reads as not there
        (unit_actor(story.other), "letter"): 404,
    }

    def status(actor: str, kind: str) -> int:
        # the office's three are those the tests above read: made once, by the same request
        if actor == OFFICE:
            return told.as_office(paths[kind])[0]
        return fetch(live, paths[kind], actor)[0]

    found = {(actor, kind): status(actor, kind) for actor, kind in expected}
    assert found == expected
    assert fetch(live, bulletin, None)[0] == 401


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/documents/monthly-bulletin/2021-13.pdf", 400, "BAD_REQUEST"),
        ("/documents/monthly-bulletin/2021-08.pdf", 400, "BAD_REQUEST"),  # not begun
        ("/documents/interview-notice/not-an-id.pdf", 404, "NOT_FOUND"),
        ("/documents/interview-notice/0b9d2c1e-2f4a-4e36-9a51-2b1c4c7a9f00.pdf", 404, "NOT_FOUND"),
        ("/documents/referral-letter/0b9d2c1e-2f4a-4e36-9a51-2b1c4c7a9f00.pdf", 404, "NOT_FOUND"),
        ("/documents/annual-report/2021.pdf", 404, "NOT_FOUND"),
    ],
)
def test_a_bad_month_or_an_unknown_item_is_a_clear_json_refusal(
    told: Told, path: str, status: int, code: str
) -> None:
    live = told.live
    response = live.client.get(path, headers=live.auth(OFFICE))
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


def test_the_documents_rules_are_the_access_table_of_the_readme() -> None:
    allowed, own, denied = Rule.ALLOW, Rule.OWN, Rule.DENY
    roles = (Role.OFFICE, Role.UNIT, Role.INSPECTOR, Role.LEADER, Role.VIEWER)
    table = {
        document: tuple(document_rule(role, document) for role in roles)
        for document in ("monthly-bulletin", "interview-notice", "referral-letter")
    }
    # office, unit, inspector, leader, viewer
    assert table == {
        "monthly-bulletin": (allowed, denied, allowed, allowed, denied),
        "interview-notice": (allowed, own, allowed, allowed, denied),
        "referral-letter": (allowed, own, allowed, allowed, denied),
    }
    assert document_rule(Role.OFFICE, "annual-report") is denied
