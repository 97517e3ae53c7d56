"""What every command of the ``ledger`` command line shares: how a refusal is said, and
how a count is read."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from projections.engine import Runner

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where a command group adds its commands."""


def fail(message: str) -> int:
    """One line on stderr, and the exit status of a refusal."""
    print(f"ledger: error: {message}", file=sys.stderr)
    return 2


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


@contextmanager
def closed_after(runner: Runner) -> Iterator[Runner]:
    """``runner``, its ledger and its read models' connections closed when done with."""
    try:
        yield runner
    finally:
        runner.engine.dispose()
        runner.ledger.close()


def add_clock_arguments(parser: argparse.ArgumentParser) -> None:
    """--no-timed-acts and --timed-act-seconds: the ledger's clock (``api.runtime.timed_clock``)."""
    parser.add_argument(
        "--no-timed-acts",
        action="store_true",
        help="do not run the ledger's clock here (system 催办 and 超时默许; another process does)",
    )
    parser.add_argument(
        "--timed-act-seconds",
        type=float,
        default=30.0,
        help="how often the ledger's clock looks for what is due (default 30)",
    )
