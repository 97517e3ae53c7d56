"""The suite's clock: the product's own, moved by ``LEDGER_TEST_NOW``.

``LEDGER_TEST_NOW=2027-06-01T09:00:00+08:00 make test`` runs the whole suite as of
that moment. The root conftest pins the wall-clock instant the moment was read
(``...@<epoch seconds>``) before any worker or server starts, so every process of
the run (xdist workers, servers, the ``ledger`` command) reads one clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from api.settings import clock_from_environ
from domain.clock import Clock, china_today

SETTING = "LEDGER_TEST_NOW"


def pin_suite_clock(environ: dict[str, str] | os._Environ[str]) -> None:
    """Fix the instant at which the moved clock read its moment, for every child process."""
    text = environ.get(SETTING, "").strip()
    if text and "@" not in text:
        environ[SETTING] = f"{text}@{time.time():.6f}"


@cache
def suite_clock() -> Clock:
    """The clock every test and every process of the run reads."""
    return clock_from_environ(os.environ)


def now() -> datetime:
    """The suite's current moment (UTC)."""
    return suite_clock()()


def today() -> date:
    """The suite's current date in Beijing time."""
    return china_today(suite_clock())


SIGNING_KEY_FILE = Path(__file__).parent / "fixtures" / "signing-test.pem"
"""The suite's signing key (``tests.conftest.TEST_SIGNING_KEY_FILE``)."""


def child_environ(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: no ``LEDGER_*`` setting of the calling shell
    but the suite's clock."""
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if not k.startswith("LEDGER_")}
    if os.environ.get(SETTING):
        env[SETTING] = os.environ[SETTING]
    env["LEDGER_SIGNING_KEY_FILE"] = str(SIGNING_KEY_FILE)
    return env


class AdjustableClock:
    """The suite's clock, which a test may move forward (a token's expiry, without waiting
    for it): give it to a server through ``Settings.clock``."""

    def __init__(self, base: Clock | None = None) -> None:
        self.base = base or suite_clock()
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.base() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)
