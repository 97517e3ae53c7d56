"""成果运用转化 as of a day: how many founded findings were turned into measures, and how
far those measures went.

A founded finding (``domain.finding``) counts from the day it was founded: a complaint
from the day it was verified as founded (or its "unfounded" finding overturned on appeal:
the cases the rectification rate counts as ``to_rectify``), a media exposure likewise, an
interview from the day it was held, a legacy problem from the day it was registered. It
is turned into a measure from the day the first measure citing it was proposed; a
finding several measures cite counts once. Measures count by the days they were
proposed, implemented and evaluated (effective or not).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from domain.channels import Channel
from domain.finding import FindingKind
from projections import measure_tables as mt
from projections import tables as t
from projections.rates import percent
from projections.running_totals import summed


@dataclass(frozen=True)
class FindingFigures:
    """One kind of finding: how many were founded, how many were turned into measures."""

    kind: FindingKind
    founded: int
    turned_into_measures: int

    @property
    def share(self) -> float | None:
        """Turned into measures / founded, in percent (None while none is founded)."""
        return percent(self.turned_into_measures, self.founded)


@dataclass(frozen=True)
class MeasureFigures:
    """Every kind of finding together, with the measures' progress, as of ``as_of``."""

    as_of: date
    findings: list[FindingFigures]
    proposed: int
    implemented: int
    evaluated: int
    evaluated_effective: int

    @property
    def founded(self) -> int:
        return sum(f.founded for f in self.findings)

    @property
    def turned_into_measures(self) -> int:
        return sum(f.turned_into_measures for f in self.findings)

    @property
    def share(self) -> float | None:
        return percent(self.turned_into_measures, self.founded)


def measure_figures(conn: Connection, as_of: date) -> MeasureFigures:
    """The figures as of the end of ``as_of``."""
    founded, turned = _founded(conn, as_of), _turned(conn, as_of)
    m = mt.measures
    counts = conn.execute(
        select(
            func.count().filter(m.c.proposed_on <= as_of),
            func.count().filter(m.c.implemented_on <= as_of),
            func.count().filter(m.c.evaluated_on <= as_of),
            func.count().filter(m.c.evaluated_on <= as_of, m.c.effective.is_(True)),
        )
    ).one()
    return MeasureFigures(
        as_of,
        [FindingFigures(k, founded[k], turned[k]) for k in FindingKind],
        *(int(c) for c in counts),
    )


def _founded(conn: Connection, as_of: date) -> Counter[FindingKind]:
    found: Counter[FindingKind] = Counter()
    rows = summed(
        conn, t.complaint_deltas, ("channel",), as_of, where=lambda d: (d.c.metric == "to_rectify",)
    )
    for (channel,), total in rows.items():
        media = channel == Channel.MEDIA.value
        found[FindingKind.EXPOSURE if media else FindingKind.COMPLAINT] += int(total)
    held = select(func.count()).where(t.interviews.c.held_on <= as_of)
    found[FindingKind.INTERVIEW] = int(conn.scalar(held) or 0)
    registered = select(func.count()).where(t.legacy_issues.c.registered_on <= as_of)
    found[FindingKind.LEGACY_ISSUE] = int(conn.scalar(registered) or 0)
    return found


def _turned(conn: Connection, as_of: date) -> Counter[FindingKind]:
    f = mt.measure_findings
    rows = conn.execute(
        select(f.c.finding_kind, func.count(func.distinct(f.c.finding_id)))
        .where(f.c.proposed_on <= as_of)
        .group_by(f.c.finding_kind)
    )
    return Counter({FindingKind(kind): int(n) for kind, n in rows})
