"""``ledger verify``: the whole log walked at once (``projections.log_walk``), every problem
named with its position."""

from __future__ import annotations

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Engine

from domain.signing import Keyring
from projections.log_walk import LogWalk, Report
from projections.seal import Seal

__all__ = ["verify"]


def verify(
    recorder: ApplicationRecorder,
    engine: Engine,
    keyring: Keyring | None,
    against: Seal | None = None,
) -> Report:
    """Walk the log, the sealed chain and (given a keyring) the signatures to the end."""
    walk = LogWalk(recorder, engine, keyring, against)
    while walk.step():
        pass
    return walk.finish()
