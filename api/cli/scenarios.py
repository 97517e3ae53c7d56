"""Lifecycles for ``ledger generate``: each a generator that takes one domain step per turn,
with how often each is started (their steps live in modules by job)."""

from __future__ import annotations

from collections.abc import Callable

from api.cli.complaint_scenarios import complaint_lifecycle
from api.cli.oversight_scenarios import assessment_lifecycle, interview_lifecycle
from api.cli.simulation import Lifecycle, Simulation
from api.cli.work_scenarios import legacy_lifecycle, task_lifecycle

__all__ = ["SCENARIOS"]

SCENARIOS: list[tuple[Callable[[Simulation], Lifecycle], int]] = [
    (complaint_lifecycle, 50),
    (task_lifecycle, 15),
    (legacy_lifecycle, 15),
    (interview_lifecycle, 3),
    (assessment_lifecycle, 6),
]
