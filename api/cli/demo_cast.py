"""What the demo (``ledger demo``) plays: the parts of its stretch of activity, each one of
``ledger generate``'s lifecycles, when it begins, at what pace it goes and how far it gets.

Time here is working time: a part begins so many working days into the window and takes
its steps so many working days apart, in office hours (``WorkingTime``), so that nothing
happens on a day off, whatever the calendar says of the days the window covers. The cast
is chosen so that, whatever the day, every view has something to show: complaints through
every channel, closed, open and overdue; this year's tasks red, yellow and green besides
the 2021 plan's (all red by now); legacy problems, some resolved; two interviews
of units whose task is overdue, one ending in a referral; the last quarter's assessments.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from api.cli.complaint_scenarios import complaint_lifecycle
from api.cli.oversight_scenarios import assessment_lifecycle, interview_lifecycle
from api.cli.simulation import Lifecycle, Simulation
from api.cli.work_scenarios import legacy_lifecycle, task_lifecycle
from domain.assessment import AssessmentKind
from domain.calendar import CHINA_TIME, WorkingDayCalendar
from domain.channels import Channel
from domain.meta import LedgerItem
from domain.task import Task

OPENS = time(9, 0)
OFFICE_HOURS = timedelta(hours=8)

COMPLAINTS = {
    Channel.HOTLINE_12345: 7,
    Channel.GOOD_BAD_REVIEW: 5,
    Channel.FAULT_FINDING: 4,
    Channel.MEDIA: 3,
    Channel.THREE_TEAMS: 3,
}
"""How many cases each channel receives in the window: 12345 the most, as it is."""


class WorkingTime:
    """The working days of the window (``start`` up to the day before ``today``) as one
    axis: 2.5 is the middle of the third working day's office hours."""

    def __init__(self, calendar: WorkingDayCalendar, start: date, today: date) -> None:
        self.start, self.today = start, today
        self.days = [
            start + timedelta(days=n)
            for n in range((today - start).days)
            if calendar.is_working_day(start + timedelta(days=n))
        ]

    @property
    def length(self) -> float:
        return float(len(self.days))

    def at(self, share: float) -> float:
        """The point ``share`` (0 to 1) of the way through the window."""
        return share * self.length

    def moment(self, x: float) -> datetime:
        day = self.days[int(x)]
        return datetime.combine(day, OPENS, CHINA_TIME) + OFFICE_HOURS * (x - int(x))

    def day(self, x: float) -> date:
        return self.days[int(x)]


@dataclass(frozen=True)
class Part:
    """One lifecycle of the demo: it begins at ``begins`` (working time) and takes a step
    every ``pace`` working days (a random gap within), ``steps`` steps at most (None: to
    its end) while the window lasts."""

    begins: float
    play: Callable[[], Lifecycle]
    steps: int | None = None
    pace: tuple[float, float] = (0.3, 1.5)


class Tracked:
    """A lifecycle that remembers the item it works on (for a part that cites it later)."""

    def __init__(self, lifecycle: Lifecycle) -> None:
        self.lifecycle = lifecycle
        self.item: LedgerItem | None = None

    def __iter__(self) -> Iterator[LedgerItem]:
        for item in self.lifecycle:
            self.item = self.item or item
            yield item

    def task(self) -> Task:
        if not isinstance(self.item, Task):
            raise RuntimeError("the part citing this task began before the task")
        return self.item


def cast(sim: Simulation, axis: WorkingTime) -> list[Part]:
    """Every part of the demo, chosen with ``sim``'s random numbers."""
    red = [
        Tracked(task_lifecycle(sim, axis.day(axis.at(sim.rng.uniform(0.25, 0.35)))))
        for _ in range(2)
    ]
    return [
        *_complaints(sim, axis),
        *_tasks(sim, axis, red),
        *_legacy_problems(sim, axis),
        *_interviews(sim, axis, red),
        *_assessments(sim, axis),
    ]


def _complaints(sim: Simulation, axis: WorkingTime) -> Iterator[Part]:
    """Per channel: one case long done, one received long ago and stuck (overdue), one
    received in the last two working days (open), the rest received any time."""
    uniform = sim.rng.uniform
    for channel, count in COMPLAINTS.items():
        play = _complaint(sim, channel)
        yield Part(axis.at(uniform(0.02, 0.15)), play)
        yield Part(axis.at(uniform(0.15, 0.3)), play, steps=sim.rng.randint(2, 5))
        yield Part(axis.length - uniform(0.3, 2.0), play, steps=sim.rng.randint(1, 3))
        for _ in range(count - 3):
            yield Part(axis.at(uniform(0.02, 0.9)), play)


def _complaint(sim: Simulation, channel: Channel) -> Callable[[], Lifecycle]:
    return lambda: complaint_lifecycle(sim, channel)


def _tasks(sim: Simulation, axis: WorkingTime, red: list[Tracked]) -> Iterator[Part]:
    """This year's tasks, led by the plan's units: two overdue (red), two due within
    three working days (yellow), one lagging behind its time (yellow), three assigned
    days ago with months to go (green), two worked through to 销号 (in a stretch long
    enough: 90 days is)."""
    uniform, today = sim.rng.uniform, axis.today
    for tracked in red:
        yield Part(axis.at(uniform(0.02, 0.08)), tracked.__iter__, sim.rng.randint(4, 6))
    for _ in range(2):
        due_soon = sim.rules.calendar.add_working_days(today, sim.rng.randint(1, 2))
        yield Part(axis.at(uniform(0.05, 0.3)), _task(sim, due_soon), sim.rng.randint(4, 6))
    lagging = today + timedelta(days=sim.rng.randint(20, 40))
    yield Part(axis.at(uniform(0.1, 0.2)), _task(sim, lagging), steps=3)
    for _ in range(3):
        far = today + timedelta(days=sim.rng.randint(150, 240))
        begins = axis.length - uniform(2.5, 4.0)
        yield Part(begins, _task(sim, far), sim.rng.randint(3, 5), pace=(0.1, 0.5))
    for _ in range(2):
        due = today + timedelta(days=sim.rng.randint(20, 90))
        yield Part(axis.at(uniform(0.02, 0.25)), _task(sim, due))


def _task(sim: Simulation, deadline: date) -> Callable[[], Lifecycle]:
    return lambda: task_lifecycle(sim, deadline)


def _legacy_problems(sim: Simulation, axis: WorkingTime) -> Iterator[Part]:
    """Six problems found in the window: three resolved, one worked through (resolved or
    not), two with a plan adopted."""
    for resolve in (True, True, True, None):
        yield Part(axis.at(sim.rng.uniform(0.03, 0.5)), _legacy(sim, resolve))
    for _ in range(2):
        yield Part(axis.at(sim.rng.uniform(0.1, 0.8)), _legacy(sim, None), steps=2)


def _legacy(sim: Simulation, resolve: bool | None) -> Callable[[], Lifecycle]:
    return lambda: legacy_lifecycle(sim, resolve)


def _interviews(sim: Simulation, axis: WorkingTime, red: list[Tracked]) -> Iterator[Part]:
    """The heads of the units leading the two red tasks, interviewed once the tasks are
    overdue; the first, still not rectified, referred to discipline inspection."""
    for tracked, refer, share in ((red[0], True, 0.45), (red[1], False, 0.6)):

        def play(t: Tracked = tracked, refer: bool = refer) -> Lifecycle:
            task = t.task()
            return interview_lifecycle(sim, unit=task.lead_units[0], cited=[task.id], refer=refer)

        yield Part(axis.at(share), play, steps=6 if refer else 3, pace=(2.5, 3.5))


def _assessments(sim: Simulation, axis: WorkingTime) -> Iterator[Part]:
    """The last quarter's unit assessment and results applied, for every unit of the
    plan, recorded on the fifth working day after the quarter ended (or at the window's
    start, for a quarter that ended before it)."""
    period, x = _last_quarter(sim.rules.calendar, axis)
    for unit in sim.units:
        for kind in (AssessmentKind.UNIT_ASSESSMENT, AssessmentKind.RESULTS_APPLIED):
            begins = x + sim.rng.uniform(0, 0.9)
            yield Part(begins, _assessment(sim, unit, kind, period))


def _assessment(
    sim: Simulation, unit: UUID, kind: AssessmentKind, period: str
) -> Callable[[], Lifecycle]:
    return lambda: assessment_lifecycle(sim, unit=unit, kind=kind, period=period)


def _last_quarter(calendar: WorkingDayCalendar, axis: WorkingTime) -> tuple[str, float]:
    """The latest quarter assessed before the window ends, and when (working time)."""
    year, quarter = axis.today.year, (axis.today.month - 1) // 3  # the one before today's
    while True:
        if quarter == 0:
            year, quarter = year - 1, 4
        ended = date(year, 3 * quarter, monthrange(year, 3 * quarter)[1])
        assessed = calendar.add_working_days(ended, 5)
        if assessed < axis.days[-1]:
            x = float(sum(day < assessed for day in axis.days))
            return f"{year}-Q{quarter}", max(x, axis.at(0.02))
        quarter -= 1
