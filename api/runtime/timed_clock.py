"""The ledger's clock: records the timed acts (限时办结, 超时默许) as their days pass.

``step`` is one look: what the read models show left to do (``projections.views.due_acts``),
what of it is due by the ledger's clock (``domain.timed_acts``), each recorded by the
ledger as ``system`` under its item's and day's idempotency key: several processes running
a clock on one database (replicas of ``ledger serve``, ``ledger project``) record each act
once; a clock that was stopped records what it missed at the acts' own moments when it
starts again. A step that finds neither the date nor the read models moved since the last
one reads nothing more. ``start`` runs steps in a daemon thread every ``tick_seconds``;
``stop`` ends it at once.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine, select

from domain.clock import china_today
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.ledger_base import Written
from domain.timed_acts import due_as_of
from projections import tables as t
from projections.views.due_acts import acts_to_do

LOG = logging.getLogger("ledger.clock")
WATCHED = ("tasks", "complaints")
"""The projections whose tables say what is left to do."""


class TimedActs:
    """Finds the timed acts due by the ledger's clock and records them, once."""

    def __init__(self, ledger: Ledger, engine: Engine, *, tick_seconds: float = 30.0) -> None:
        self.ledger, self.engine, self.tick_seconds = ledger, engine, tick_seconds
        self._looked: object = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> list[Written]:
        """Record every timed act due now that the read models show left to do; what was
        recorded here (an act another process recorded first is not among it)."""
        now = self.ledger.clock()
        today = china_today(self.ledger.clock)
        with self.engine.connect() as conn:
            looked = (today, self._positions(conn))
            if looked == self._looked:
                return []
            candidates = acts_to_do(conn, today, self.ledger.policy.timed_acts)
        recorded = []
        for act in due_as_of(candidates, now):
            try:
                written = self.ledger.record_timed_act(act)
            except LedgerError as refusal:  # told in the log; tried again when things move
                LOG.error("the clock could not record %s: %s", act.idempotency_key, refusal)
                continue
            if written is not None:
                recorded.append(written)
        self._looked = looked
        return recorded

    def _positions(self, conn: Connection) -> tuple[int, ...]:
        status = t.projection_status
        rows = conn.execute(
            select(status.c.position).where(status.c.name.in_(WATCHED)).order_by(status.c.name)
        )
        return tuple(int(p) for (p,) in rows)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="timed-acts", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:  # a database that went away: tried again at the next tick
                LOG.exception("the clock's step failed; trying again")
            self._stop.wait(self.tick_seconds)
