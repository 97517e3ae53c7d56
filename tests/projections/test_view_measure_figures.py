"""成果运用转化 as of a day (``projections.views.measure_figures``): founded findings of each
kind, those turned into measures, and the measures implemented and evaluated, the same on
SQLite and PostgreSQL, and as the story itself tells it (a property)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from domain.channels import Channel
from domain.finding import FindingKind
from domain.legacy_issue import LegacyCategory
from domain.measure import MeasureKind
from domain.person import Person
from projections import measure_tables as mt
from projections.views.measure_figures import MeasureFigures, measure_figures
from tests.conftest import examples
from tests.projections.view_builders import Books, beijing, complaint, d, found, open_books

K = FindingKind
RUNS = count()
"""Numbers each example's database: Hypothesis may try one story twice."""
START = d(3, 1)


@dataclass(frozen=True)
class Story:
    """Findings (a kind and the day each is founded) and measures (the findings each cites,
    its proposal day, and the days it was implemented and evaluated, if it was)."""

    findings: list[tuple[FindingKind, int]]
    measures: list[tuple[list[int], int, int | None, int | None, bool]]


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def finding(books: Books, unit: UUID, kind: FindingKind, on: date) -> UUID:
    """A finding of ``kind`` founded on ``on``."""
    ledger = books.ledger
    if kind in (K.COMPLAINT, K.EXPOSURE):
        channel = Channel.MEDIA if kind is K.EXPOSURE else Channel.HOTLINE_12345
        case = complaint(books, channel, on, responder=unit)
        found(books, case, on)
        return case
    if kind is K.INTERVIEW:
        interview = ledger.schedule_interview(
            books.on(on, hour=9),
            unit=unit,
            reason="红灯",
            cited_items=[unit],
            scheduled_for=beijing(on, 9),
            interviewees=[Person("王五", "局长")],
        ).item_id
        ledger.hold_interview(
            books.on(on),
            interview,
            facts="滞后",
            commitments=[],
            demands=[],
            rectify_by=on + timedelta(days=30),
        )
        return interview
    return ledger.register_legacy_issue(
        books.on(on),
        title="办证难",
        category=LegacyCategory.LAND,
        cause="历史原因",
        responsible_unit=unit,
        target_year=2022,
        baseline=True,
    ).item_id


@contextmanager
def told(url: str, story: Story) -> Iterator[Connection]:
    """A connection to the read models after ``story`` is told on ``url``."""
    with open_books(url) as books:
        unit = books.unit("区住建局")
        ids = [finding(books, unit, kind, day(at)) for kind, at in story.findings]
        ledger = books.ledger
        for cited, proposed, implemented, evaluated, effective in story.measures:
            measure = ledger.propose_measure(
                books.on(day(proposed), hour=16),
                kind=MeasureKind.PROCESS_CHANGE,
                title="流程再造",
                description="压缩环节",
                responsible_unit=unit,
                findings=[ids[i] for i in cited],
            ).item_id
            if implemented is not None:
                ledger.implement_measure(
                    books.on(day(implemented), hour=17), measure, evidence=["文件", "照片"]
                )
            if implemented is not None and evaluated is not None:
                ledger.evaluate_measure(
                    books.on(day(evaluated), hour=18),
                    measure,
                    effective=effective,
                    assessment="评估",
                )
        with books.read() as conn:
            yield conn


def figures_of(url: str, story: Story, as_of: list[date]) -> list[MeasureFigures]:
    """The figures as of each day, after ``story`` is told on ``url``."""
    with told(url, story) as conn:
        return [measure_figures(conn, when) for when in as_of]


STORY = Story(
    findings=[
        (K.COMPLAINT, 0),
        (K.EXPOSURE, 1),
        (K.INTERVIEW, 2),
        (K.LEGACY_ISSUE, 0),
        (K.COMPLAINT, 4),
    ],
    measures=[([0, 1], 2, 3, 5, True), ([1, 2], 3, 4, 4, False), ([3], 6, None, None, False)],
)


def test_the_share_of_founded_findings_turned_into_measures_as_of_each_day_on_either_database(
    database_url: str,
) -> None:
    before, first, third, last = figures_of(database_url, STORY, [day(-1), day(1), day(3), day(6)])
    assert (before.founded, before.turned_into_measures, before.share) == (0, 0, None)
    assert (first.founded, first.turned_into_measures, first.share) == (3, 0, 0.0)
    assert (third.founded, third.turned_into_measures, third.share) == (4, 3, 75.0)
    assert (third.proposed, third.implemented, third.evaluated) == (2, 1, 0)
    assert (last.founded, last.turned_into_measures, last.share) == (5, 4, 80.0)
    assert (last.implemented, last.evaluated, last.evaluated_effective) == (2, 2, 1)
    kinds = {f.kind: (f.founded, f.turned_into_measures, f.share) for f in last.findings}
    assert kinds == {
        K.COMPLAINT: (2, 1, 50.0),
        K.EXPOSURE: (1, 1, 100.0),
        K.INTERVIEW: (1, 1, 100.0),
        K.LEGACY_ISSUE: (1, 1, 100.0),
    }


def test_the_measures_tables_hold_the_same_rows_on_either_database(database_url: str) -> None:
    m, f = mt.measures, mt.measure_findings
    with told(database_url, STORY) as conn:
        measures = conn.execute(
            select(
                m.c.state,
                m.c.kind,
                m.c.title,
                m.c.proposed_on,
                m.c.implemented_on,
                m.c.evidence,
                m.c.evaluated_on,
                m.c.effective,
                m.c.assessment,
            ).order_by(m.c.proposed_on, m.c.state)
        ).all()
        links = conn.execute(
            select(f.c.finding_type, f.c.finding_kind, f.c.ordinal, f.c.proposed_on).order_by(
                f.c.proposed_on, f.c.ordinal, f.c.finding_kind
            )
        ).all()
    done = (["文件", "照片"], "评估")
    assert [tuple(r) for r in measures] == [
        ("evaluated", "process_change", "流程再造", day(2), day(3), done[0], day(5), True, done[1]),
        (
            "evaluated",
            "process_change",
            "流程再造",
            day(3),
            day(4),
            done[0],
            day(4),
            False,
            done[1],
        ),
        ("proposed", "process_change", "流程再造", day(6), None, [], None, None, None),
    ]
    assert [tuple(r) for r in links] == [
        ("Complaint", "complaint", 0, day(2)),
        ("Complaint", "exposure", 1, day(2)),
        ("Complaint", "exposure", 0, day(3)),
        ("Interview", "interview", 1, day(3)),
        ("LegacyIssue", "legacy_issue", 0, day(6)),
    ]


@st.composite
def stories(draw: st.DrawFn) -> Story:
    findings = draw(
        st.lists(st.tuples(st.sampled_from(K), st.integers(0, 4)), min_size=1, max_size=4)
    )
    measures = []
    for _ in range(draw(st.integers(0, 3))):
        cited = draw(
            st.lists(st.integers(0, len(findings) - 1), min_size=1, max_size=3, unique=True)
        )
        proposed = max(findings[i][1] for i in cited) + draw(st.integers(0, 2))
        implemented = draw(st.none() | st.integers(proposed, proposed + 2))
        evaluated = (
            None
            if implemented is None
            else draw(st.none() | st.integers(implemented, implemented + 2))
        )
        measures.append((cited, proposed, implemented, evaluated, draw(st.booleans())))
    return Story(findings, measures)


def the_rule(story: Story, as_of: int) -> tuple[int, int, int, int, int, int]:
    """Founded, turned into measures, proposed, implemented, evaluated, effective, as of the
    day ``as_of``, from the story itself."""
    founded = {i for i, (_, at) in enumerate(story.findings) if at <= as_of}
    made = [m for m in story.measures if m[1] <= as_of]
    turned = {i for m in made for i in m[0]}
    implemented = [m for m in made if m[2] is not None and m[2] <= as_of]
    evaluated = [m for m in implemented if m[3] is not None and m[3] <= as_of]
    effective = [m for m in evaluated if m[4]]
    return len(founded), len(turned), len(made), len(implemented), len(evaluated), len(effective)


@settings(max_examples=examples(8), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=stories())
def test_the_figures_as_of_any_day_follow_the_story(tmp_path: Path, story: Story) -> None:
    url = f"sqlite:///{tmp_path / f'{next(RUNS)}.sqlite'}"
    as_of = list(range(-1, 9))
    for offset, f in zip(as_of, figures_of(url, story, [day(o) for o in as_of]), strict=True):
        counted = (
            f.founded,
            f.turned_into_measures,
            f.proposed,
            f.implemented,
            f.evaluated,
            f.evaluated_effective,
        )
        assert counted == the_rule(story, offset)
        assert f.turned_into_measures <= f.founded
