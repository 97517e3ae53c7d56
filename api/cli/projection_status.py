"""How the projections stand, in lines, as ``ledger projections`` prints them."""

from __future__ import annotations

from projections.engine import Runner
from projections.status import problem_of

__all__ = ["status_lines"]


def status_lines(runner: Runner) -> list[str]:
    head = runner.head()
    lines = []
    for s in runner.status():
        state = (
            f"FAILED at position {s.failed_position} ({s.stop_reason}): {problem_of(s)}"
            if s.failed_position is not None
            else "up to date"
            if s.position >= head
            else f"{head - s.position} behind"
        )
        lines.append(f"{s.name:<11} v{s.version}  position {s.position:>9}  {state}")
    return lines
