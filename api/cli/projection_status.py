"""How the projections stand, in lines: ``ledger projections`` prints them, and the
server's readiness probe names the stopped ones the same way."""

from __future__ import annotations

from collections.abc import Sequence

from projections.engine import Runner, Status


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


def problem_of(status: Status) -> str:
    """A stopped projection's recorded error, without the position it repeats."""
    error, at = status.error or "", f"at position {status.failed_position}: "
    return error.removeprefix(at).removeprefix(f"{status.stop_reason} {at}")


def failure_lines(statuses: Sequence[Status]) -> list[str]:
    """One line for each place projections stopped: which, where, and the problem (the
    projections a refused row stopped together share one)."""
    stopped: dict[tuple[int, str], list[str]] = {}
    for s in statuses:
        if s.failed_position is not None:
            key = (s.failed_position, f"{s.stop_reason}: {problem_of(s)}")
            stopped.setdefault(key, []).append(s.name)
    return [
        f"{', '.join(names)} stopped at position {position}, {problem}"
        for (position, problem), names in sorted(stopped.items())
    ]
