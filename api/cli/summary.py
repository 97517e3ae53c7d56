"""The ledger's summary: what ``make run`` prints until the API serves it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from api.cli.export import Exporter
from api.cli.inventory import take_inventory
from api.cli.labels import label
from domain.assessment import Assessment
from domain.complaint import Complaint
from domain.interview import Interview
from domain.ledger import Ledger
from domain.legacy_issue import LegacyIssue
from domain.meta import LedgerItem
from domain.referral import Referral
from domain.task import Task
from domain.unit import Unit

KINDS: tuple[tuple[str, type[LedgerItem]], ...] = (
    ("责任单位 units", Unit),
    ("投诉 complaints", Complaint),
    ("历史遗留问题 legacy issues", LegacyIssue),
    ("约谈 interviews", Interview),
    ("移交纪检监察 referrals", Referral),
    ("考核 assessments", Assessment),
)


def summary_lines(ledger: Ledger, today: date) -> list[str]:
    """A few lines a person can read at a glance: counts by state, and the task lights."""
    inventory = take_inventory(ledger, Task, *(kind for _, kind in KINDS))
    items = inventory.items.values()
    exporter = Exporter(ledger, today)
    tasks = [i for i in items if isinstance(i, Task)]
    lights = Counter(label(exporter.task_light(t)) or label(t.state) for t in tasks)
    lines = [
        f"ledger: {inventory.events} events, as of {today}",
        f"督办事项 tasks: {len(tasks)}  " + _counts(lights),
    ]
    for title, kind in KINDS:
        states = Counter(label(i.state) for i in items if isinstance(i, kind))
        lines.append(f"{title}: {sum(states.values())}  " + _counts(states))
    return lines


def _counts(counter: Counter[str]) -> str:
    return "  ".join(f"{name} {n}" for name, n in counter.most_common())
