"""The ledger's summary: counts by state, and the task lights, from the read models."""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import Enum

from sqlalchemy import Engine, Table

from api.cli.export import Exporter
from api.cli.read_models import (
    AUDIT,
    ITEM_PROJECTIONS,
    event_count,
    in_creation_order,
    states_in_creation_order,
    up_to_date,
)
from api.labels import label
from api.settings import Settings
from domain.assessment import AssessmentState
from domain.complaint_events import ComplaintState
from domain.interview import InterviewState
from domain.ledger import Ledger
from domain.legacy_issue import LegacyState
from domain.referral import ReferralState
from domain.task_events import TaskState
from domain.unit import UnitState
from projections import tables as t

KINDS: tuple[tuple[str, Table, type[Enum]], ...] = (
    ("责任单位 units", t.units, UnitState),
    ("投诉 complaints", t.complaints, ComplaintState),
    ("历史遗留问题 legacy issues", t.legacy_issues, LegacyState),
    ("约谈 interviews", t.interviews, InterviewState),
    ("移交纪检监察 referrals", t.referrals, ReferralState),
    ("考核 assessments", t.assessments, AssessmentState),
)
READ_MODELS = (*ITEM_PROJECTIONS, AUDIT)


def ledger_summary(settings: Settings, today: date) -> list[str]:
    """The summary of the ledger ``settings`` name, over its read models brought up to
    date (refused, in one line, when they have stopped)."""
    with up_to_date(settings, READ_MODELS) as runner:
        return summary_lines(runner.ledger, runner.engine, today)


def summary_lines(ledger: Ledger, read_models: Engine, today: date) -> list[str]:
    """A few lines a person can read at a glance: counts by state, and the task lights.
    Counts of equal size are listed in the order their first item was created."""
    exporter = Exporter(ledger, today, read_models)
    with read_models.connect() as conn:
        events = event_count(conn)
        tasks = in_creation_order(conn, t.tasks)
        states = {title: states_in_creation_order(conn, table) for title, table, _ in KINDS}
    lights = Counter(
        label(exporter.task_light(task)) or label(TaskState(task["state"])) for task in tasks
    )
    lines = [
        f"ledger: {events} events, as of {today}",
        f"督办事项 tasks: {len(tasks)}  " + _counts(lights),
    ]
    for title, _, state in KINDS:
        counts = Counter(label(state(value)) for value in states[title])
        lines.append(f"{title}: {sum(counts.values())}  " + _counts(counts))
    return lines


def _counts(counter: Counter[str]) -> str:
    return "  ".join(f"{name} {n}" for name, n in counter.most_common())
