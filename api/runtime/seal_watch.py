"""The server's background verifier: how far the log has been verified, and whether
it holds, for ``ledgerSeal``.

A daemon thread walks the stored rows behind the seal (``projections.log_walk``), a page at a
time, checking each against the sealed chain and the ledger's signatures as
``ledger verify`` does. It follows the seal as it grows; every ``rewalk_seconds`` it
starts again from the first row, so a row changed behind it is found too. The first
problem stops the walk where it is: the answer keeps naming it until a new walk from
the start finds the log whole again (after an inspector has looked into it).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from domain.clock import Clock
from domain.ledger import Ledger
from domain.signed_log import keyring_of
from projections import tables as t
from projections.log_walk import Finding, LogWalk, sealed_head

LOG = logging.getLogger("ledger.verifier")
PAGE = 1000
"""Rows a step walks before it lets the server's other threads run."""


@dataclass(frozen=True)
class SealCheck:
    """What the background verifier found, as of ``checked_at``."""

    verified_up_to: int
    holds: bool | None
    """None: not known (not walked yet, or the walk failed: ``problem`` says why)."""
    first_bad_position: int | None
    problem: str | None
    checked_at: datetime | None


class SealWatch:
    """Runs the walk in a daemon thread; ``latest`` is its newest finding."""

    def __init__(
        self,
        ledger: Ledger,
        engine: Engine,
        clock: Clock,
        *,
        interval_seconds: float = 2.0,
        rewalk_seconds: float = 3600.0,
    ) -> None:
        self.ledger, self.engine, self.clock = ledger, engine, clock
        self.interval, self.rewalk = interval_seconds, rewalk_seconds
        self.latest = SealCheck(0, None, None, "not verified yet", None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="seal-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                found = self._walk_from_the_start()
            except Exception as error:  # a database that went away: tried again later
                LOG.warning("the background verifier stopped: %s: %s", type(error).__name__, error)
                self.latest = SealCheck(
                    self.latest.verified_up_to,
                    None,
                    None,
                    f"the verifier could not walk the log: {type(error).__name__}",
                    self.clock(),
                )
                found = False
            # a problem found is told until the next walk from the start, not walked again at once
            self._stop.wait(self.rewalk if found else self.interval)

    def _walk_from_the_start(self) -> bool:
        """Walk from the first row, following the seal, until it is time to start again;
        True when it stopped at a problem."""
        walk = LogWalk(self.ledger.recorder, self.engine, keyring_of(self.ledger.recorder))
        began = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - began < self.rewalk:
            self._follow(walk)
            if self.latest.first_bad_position is not None:
                return True
            self._stop.wait(self.interval)
        return False

    def _follow(self, walk: LogWalk) -> None:
        """Walk on up to the seal's head as it is now, publishing as it goes."""
        head = sealed_head(self.engine)
        while not self._stop.is_set() and walk.step(until=head, page=PAGE):
            self._publish(walk)
            if walk.report.findings:
                return
            time.sleep(0)  # let the event loop's thread run between pages
        self._publish(walk)

    def _publish(self, walk: LogWalk) -> None:
        findings = sorted(walk.report.findings)
        stopped = seal_stopped_at(self.engine)  # a row the seal would not take
        if stopped is not None:
            findings = sorted([*findings, stopped])
        first = findings[0] if findings else None
        check = SealCheck(
            verified_up_to=walk.verified_up_to(),
            holds=first is None,
            first_bad_position=first.position if first else None,
            problem=first.problem if first else None,
            checked_at=self.clock(),
        )
        if first is not None and (first.position, first.problem) != (
            self.latest.first_bad_position,
            self.latest.problem,
        ):
            LOG.error("the log does not verify at %s", first)
        self.latest = check


def seal_stopped_at(engine: Engine) -> Finding | None:
    """Where the seal projection stopped, and why (None: it runs): a row no good
    signature vouches for, an undecodable one, or an earlier chain that did not verify."""
    status = t.projection_status
    with engine.connect() as conn:
        found = conn.execute(
            select(status.c.failed_position, status.c.error).where(
                status.c.name == "seal", status.c.failed_position.is_not(None)
            )
        ).first()
    if found is None:
        return None
    return Finding(int(found.failed_position), f"the seal stopped here: {found.error}")
