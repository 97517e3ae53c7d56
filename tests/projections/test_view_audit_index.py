"""The audit index: every event, searchable by who, what and both time axes.

The server clock is moved act by act, so each entry's recorded time is known. Times are
Beijing time (UTC+8) unless said. An entry recorded 24 hours or more after it occurred is
back-dated (the default policy's ``backdated_after_hours``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.channels import Channel
from domain.escalation import Tier
from domain.ledger_base import CommandContext, Written
from domain.legacy_issue import LegacyCategory
from domain.meta import Actor, Role
from domain.unit import UnitKind
from projections.stored_json import event_data
from projections.views.audit_index import AuditEntry, AuditFilter, audit_events
from tests.projections.view_builders import OFFICE, Books, Clock, beijing, d, open_books

ZHANG, WANG, LI = "zhang-san", "wang-wu", "li-si"


@dataclass
class Story:
    a: UUID
    b: UUID
    task: UUID
    case: UUID
    issue: UUID
    at: dict[str, int]  # name of the act -> its log position


def moment(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return beijing(date(2026, month, day), hour, minute)


def tell(books: Books) -> Story:
    ledger, clock = books.ledger, books.clock
    at: dict[str, int] = {}

    def act(
        recorded: datetime, occurred: datetime | None = None, actor: Actor = OFFICE
    ) -> CommandContext:
        """Recorded at ``recorded``; occurred then too unless said."""
        clock.now = recorded
        return CommandContext(actor, occurred_at=occurred or recorded)

    def keep(name: str, written: Written) -> UUID:
        at[name] = written.position
        return written.item_id

    department = UnitKind.DEPARTMENT
    a = keep("unit a", ledger.register_unit(act(moment(3, 2, 9)), name="区住建局", kind=department))
    b = keep(
        "unit b",
        ledger.register_unit(act(moment(3, 2, 9, 5)), name="区市场监管局", kind=department),
    )
    zhang, wang = Actor(ZHANG, Role.UNIT, unit=a), Actor(WANG, Role.UNIT, unit=a)
    li = Actor(LI, Role.UNIT, unit=b)
    task = keep(
        "registered",
        ledger.register_task(
            act(moment(3, 2)), plan_year=2026, number=3, title="优化水电气暖报装服务"
        ),
    )
    keep(
        "assigned",
        ledger.assign_task(act(moment(3, 3)), task, lead_units=[a], deadline=date(2026, 6, 30)),
    )
    keep("accepted", ledger.accept_task(act(moment(3, 4), actor=zhang), task, unit=a))
    # Recorded 03-20 10:00 for 03-05 10:00: 15 days late -> back-dated.
    keep(
        "40%",
        ledger.report_progress(
            act(moment(3, 20), moment(3, 5), actor=zhang),
            task,
            percent=40,
            narrative="完成40%",
            evidence=["照片.jpg"],
        ),
    )
    # Recorded 03-21 09:00 for 03-20 10:00: 23 hours -> not back-dated.
    keep(
        "60%",
        ledger.report_progress(
            act(moment(3, 21, 9), moment(3, 20), actor=wang), task, percent=60, narrative="60%"
        ),
    )
    # Recorded 03-22 10:00 for 03-21 10:00: exactly 24 hours -> back-dated.
    keep("urged", ledger.urge_task(act(moment(3, 22), moment(3, 21)), task, reason="请加快进度"))
    case = keep(
        "received",
        ledger.receive_complaint(
            act(moment(3, 23)),
            channel=Channel.HOTLINE_12345,
            summary="报装超时",
            first_responder=b,
        ),
    )
    keep("dispatched", ledger.dispatch_complaint(act(moment(3, 23, 11)), case, unit=b))
    keep("signed", ledger.sign_for_complaint(act(moment(3, 23, 14), actor=li), case, unit=b))
    # An import of a 2021 record, entered on 03-24.
    clock.now = moment(3, 24)
    importer = Actor("importer", Role.OFFICE)
    issue = keep(
        "imported",
        ledger.register_legacy_issue(
            CommandContext(importer, occurred_at=beijing(d(5, 1)), imported=True),
            title="拖欠工程款",
            category=LegacyCategory.ARREARS,
            cause="资金链断裂",
            responsible_unit=a,
            target_year=2021,
            baseline=True,
        ),
    )
    return Story(a, b, task, case, issue, at)


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('audit-index') / 'ledger.sqlite'}"
    with open_books(sqlite_url, Clock(moment(3, 2, 9))) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


def find(conn: Connection, after: int = 0, limit: int = 100, **where: object) -> list[int]:
    entries = audit_events(
        conn, AuditFilter(**where), backdated_after_hours=24, after=after, limit=limit
    )
    return [e.position for e in entries]


def names(story: Story, *acts: str) -> list[int]:
    return [story.at[act] for act in acts]


def test_the_index_holds_every_event_in_log_order(read: tuple[Story, Connection]) -> None:
    story, conn = read
    assert find(conn) == list(range(1, 13))
    assert find(conn) == names(
        story,
        "unit a",
        "unit b",
        "registered",
        "assigned",
        "accepted",
        "40%",
        "60%",
        "urged",
        "received",
        "dispatched",
        "signed",
        "imported",
    )


def test_entries_are_found_by_actor_unit_item_item_type_and_event_type(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    assert find(conn, actor_id=ZHANG) == names(story, "accepted", "40%")
    assert find(conn, actor_id=WANG) == names(story, "60%")
    assert find(conn, actor_id="importer") == names(story, "imported")
    # By the acting unit: zhang-san and wang-wu act for a, li-si for b; the office for none.
    assert find(conn, unit=str(story.a)) == names(story, "accepted", "40%", "60%")
    assert find(conn, unit=str(story.b)) == names(story, "signed")
    assert find(conn, item_id=str(story.task)) == names(
        story, "registered", "assigned", "accepted", "40%", "60%", "urged"
    )
    assert find(conn, item_id=str(story.case)) == names(story, "received", "dispatched", "signed")
    assert find(conn, item_type="Unit") == names(story, "unit a", "unit b")
    assert find(conn, item_type="LegacyIssue") == names(story, "imported")
    assert find(conn, event_type="ProgressReported") == names(story, "40%", "60%")
    assert find(conn, event_type="Registered") == names(
        story, "unit a", "unit b", "registered", "imported"
    )
    # Conditions combine.
    assert find(conn, item_type="Task", actor_id="office-1") == names(
        story, "registered", "assigned", "urged"
    )
    assert find(conn, actor_id="nobody") == []


def test_entries_are_found_by_when_they_occurred_and_when_they_were_recorded(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    # Occurred 03-04 10:00 ..03-20 10:00, both ends included: accepted (03-04 10:00),
    # 40% (03-05), 60% (03-20 10:00). The 40% report was recorded only on 03-20.
    assert find(conn, occurred_from=moment(3, 4), occurred_to=moment(3, 20)) == names(
        story, "accepted", "40%", "60%"
    )
    # The same bounds given in UTC (02:00 UTC = 10:00 Beijing).
    utc_from = datetime(2026, 3, 4, 2, tzinfo=UTC)
    assert find(conn, occurred_from=utc_from, occurred_to=utc_from) == names(story, "accepted")
    # Recorded on 03-20 or 03-21: 40% (03-20 10:00) and 60% (03-21 09:00).
    assert find(conn, recorded_from=moment(3, 20, 0), recorded_to=moment(3, 21, 23)) == names(
        story, "40%", "60%"
    )
    # Occurred in 2021: only the import.
    assert find(conn, occurred_to=beijing(d(12, 31), 23)) == names(story, "imported")
    assert find(conn, recorded_from=moment(3, 24)) == names(story, "imported")


def test_as_known_at_a_moment_entries_recorded_after_it_are_absent(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    # Known at 03-20 12:00: the 40% report (recorded 03-20 10:00) is there; the 60% report,
    # though it occurred at 03-20 10:00, was recorded on 03-21 and is not.
    known = find(conn, known_at=moment(3, 20, 12))
    assert known == names(story, "unit a", "unit b", "registered", "assigned", "accepted", "40%")
    assert find(conn, known_at=moment(3, 20, 9, 59)) == names(
        story, "unit a", "unit b", "registered", "assigned", "accepted"
    )
    # A later recorded_to does not widen what was known.
    assert find(conn, known_at=moment(3, 20, 12), recorded_to=moment(3, 31)) == known
    assert find(conn, known_at=moment(3, 31), recorded_to=moment(3, 21, 9)) == names(
        story, "unit a", "unit b", "registered", "assigned", "accepted", "40%", "60%"
    )
    assert find(conn, known_at=moment(3, 1)) == []


def test_back_dated_entries_are_marked_and_can_be_listed_alone(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    entries = audit_events(conn, AuditFilter(), backdated_after_hours=24)
    marked = {e.position for e in entries if e.backdated}
    # 40%: 15 days; urged: exactly 24 hours; the import: nearly five years. 60%: 23 hours.
    assert marked == set(names(story, "40%", "urged", "imported"))
    assert find(conn, backdated_only=True) == names(story, "40%", "urged", "imported")
    # With a threshold of 12 hours the 23-hour lag counts too.
    longer = audit_events(conn, AuditFilter(backdated_only=True), backdated_after_hours=12)
    assert [e.position for e in longer] == names(story, "40%", "60%", "urged", "imported")
    assert [e.imported for e in entries].count(True) == 1
    assert find(conn, backdated_only=True, actor_id=ZHANG) == names(story, "40%")


def test_an_entry_carries_who_when_and_the_events_own_fields(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    by_position = {
        e.position: e for e in audit_events(conn, AuditFilter(), backdated_after_hours=24)
    }
    report = by_position[story.at["40%"]]
    assert report == AuditEntry(
        position=story.at["40%"],
        item_id=str(story.task),
        item_type="Task",
        version=4,
        event_type="ProgressReported",
        occurred_at=datetime(2026, 3, 5, 2, tzinfo=UTC),  # 10:00 Beijing
        recorded_at=datetime(2026, 3, 20, 2, tzinfo=UTC),
        actor_id=ZHANG,
        actor_role="unit",
        actor_unit=str(story.a),
        request_id=report.request_id,
        imported=False,
        backdated=True,
        data={
            "percent": 40,
            "narrative": "完成40%",
            "evidence": ["照片.jpg"],
            "milestones_reached": [],
        },
    )
    assert len(report.request_id) == 32  # a fresh uuid4 hex per command
    assert by_position[story.at["registered"]].data == {
        "plan_year": 2026,
        "number": 3,
        "section": "",
        "title": "优化水电气暖报装服务",
        "description": "",
    }
    # Unit ids, dates and enums without their type wrappers.
    assert by_position[story.at["assigned"]].data == {
        "lead_units": [str(story.a)],
        "cooperating_units": [],
        "cooperating_groups": [],
        "cooperation_note": "",
        "deadline": "2026-06-30",
        "milestones": [],
    }
    imported = by_position[story.at["imported"]]
    assert (imported.imported, imported.actor_role, imported.actor_unit) == (True, "office", None)
    assert imported.occurred_at == datetime(2021, 5, 1, 2, tzinfo=UTC)
    assert imported.recorded_at - imported.occurred_at > timedelta(days=365 * 4)
    assert imported.data["category"] == "arrears"
    assert imported.data["tier"] == Tier.TASK_FORCE.value
    assert imported.data["responsible_unit"] == str(story.a)


def test_pages_follow_on_from_the_last_position_seen(read: tuple[Story, Connection]) -> None:
    story, conn = read
    assert find(conn, limit=5) == [1, 2, 3, 4, 5]
    assert find(conn, after=5, limit=5) == [6, 7, 8, 9, 10]
    assert find(conn, after=10, limit=5) == [11, 12]
    assert find(conn, after=12, limit=5) == []
    # Paging a filtered list: the task's events two at a time.
    first = find(conn, item_id=str(story.task), limit=2)
    second = find(conn, item_id=str(story.task), after=first[-1], limit=2)
    third = find(conn, item_id=str(story.task), after=second[-1], limit=2)
    assert first + second + third == names(
        story, "registered", "assigned", "accepted", "40%", "60%", "urged"
    )
    assert (first, third) == (names(story, "registered", "assigned"), names(story, "60%", "urged"))


def test_event_data_takes_the_type_wrappers_off_nested_values_and_dashes_ids() -> None:
    stored = (
        '{"originator_id": {"_type_": "uuid_hex", "_data_": "00ff"}, "originator_version": 2,'
        ' "timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-02T01:00:00+00:00"},'
        ' "actor": {"_type_": "actor", "_data_": {"id": "x"}}, "occurred_at": "t",'
        ' "request_id": "r", "imported": false, "originator_topic": "t",'
        ' "unit": {"_type_": "uuid_hex", "_data_": "00000000000000000000000000000abc"},'
        ' "due": [{"_type_": "date_iso", "_data_": "2026-06-30"}]}'
    )
    assert event_data(stored) == {
        "unit": "00000000-0000-0000-0000-000000000abc",  # ids dashed, as everywhere else
        "due": ["2026-06-30"],
    }


def test_the_audit_index_reads_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url, Clock(moment(3, 2, 9))) as books:
        story = tell(books)
        with books.read() as conn:
            by_actor = find(conn, actor_id=ZHANG)
            known = find(conn, known_at=moment(3, 20, 12), item_id=str(story.task))
            occurred = find(conn, occurred_from=moment(3, 4), occurred_to=moment(3, 20))
            backdated = find(conn, backdated_only=True)
            paged = find(conn, after=5, limit=3)
    assert by_actor == names(story, "accepted", "40%")
    assert known == names(story, "registered", "assigned", "accepted", "40%")
    assert occurred == names(story, "accepted", "40%", "60%")
    assert backdated == names(story, "40%", "urged", "imported")
    assert paged == [6, 7, 8]
