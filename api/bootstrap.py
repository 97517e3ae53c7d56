"""The one place the application is wired together: settings to the ledger, its read
models, the projection runner and the running service's parts. ``ledger serve``, every
``ledger`` command and the tests build what they use here.

Key files missing outside production are made here, when first needed (reading the
settings never writes anything). The running service's parts (``api.runtime``, with
Starlette) are imported by ``open_services`` alone: a ``ledger`` command opening the
ledger does not load them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext, suppress
from functools import partial
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import OperationalError
from sqlalchemy import Engine

from api.keys.personal_data_cipher import AesSealer, key_file_of
from api.keys.signing_key_files import private_key_file_of
from api.settings import Settings, no_signing_key
from domain.clock import china_today
from domain.drivers import postgres_connection_errors
from domain.errors import StorageError
from domain.ledger import Ledger
from domain.log_tables import install_append_only_guard
from domain.signed_log import check_with, sign_writes
from domain.signing import RowSigner, SigningKeyError
from domain.storage import setting_up
from projections.catalog import runner_for
from projections.database import read_model_engine
from projections.engine import Runner
from projections.views.unit_scores import scores_to_publish

if TYPE_CHECKING:
    from api.runtime.services import ServeOptions, Services


def open_ledger(settings: Settings, *, create: bool = True, sign: bool = True) -> Ledger:
    """A Ledger on the configured database, its log guarded against UPDATE and DELETE,
    signing what it writes.

    With ``create=False`` a missing SQLite file is an error instead of a new ledger, and
    nothing is created or altered (the tables and their guard are already there).
    With ``create=True`` the set-up holds the database's set-up lock, so any number of
    processes may open a new database at once. With ``sign=False`` (``ledger verify``)
    no signing key is read or made; the ledger cannot write. A process without the
    signing key (in production, one that only verifies) opens it all the same, unable to
    write too. Rows written before the ledger signed are covered by ``ledger signing
    start``, never here.
    """
    if not create and not settings.database.exists():
        raise StorageError(f"no ledger database at {settings.database.sqlite_path}")
    signer = _signer_if_any(settings) if sign else None
    try:
        env = settings.database.eventsourcing_env()
        if not create:  # no DDL: nothing is created or altered
            env["CREATE_TABLE"] = "false"
        with setting_up(settings.database) if create else nullcontext():
            ledger = Ledger(  # the library's CREATE TABLE runs here
                env,
                policy=settings.policy,
                sealer=AesSealer(personal_data_key(settings)),
                clock=settings.clock,
            )
            if signer is not None:
                sign_writes(ledger.recorder, signer)
            _check_signatures_with(settings, ledger)
            if create:
                install_append_only_guard(ledger.recorder)
    except _unreachable() as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise StorageError(f"cannot open the ledger database: {first_line}") from None
    return ledger


def _unreachable() -> tuple[type[Exception], ...]:
    """The errors of a database that cannot be reached or refuses the connection: the
    library's, and psycopg's where it was loaded (asked as the error is caught)."""
    return (OperationalError, *postgres_connection_errors())


def _check_signatures_with(settings: Settings, ledger: Ledger) -> None:
    """The keys of the settings, when there are any (else the signer's own)."""
    with suppress(SigningKeyError):  # checking the log says so when it comes to it
        check_with(ledger.recorder, settings.keyring())


def _signer_if_any(settings: Settings) -> RowSigner | None:
    try:
        return row_signer(settings)
    except SigningKeyError:
        if settings.production:
            return None  # a machine that only verifies
        raise


def row_signer(settings: Settings) -> RowSigner:
    """The signer of what this process writes; the key file is made now outside
    production if it was not there."""
    if settings.signing_key is not None:
        return RowSigner(Ed25519PrivateKey.from_private_bytes(settings.signing_key))
    if settings.production:
        raise SigningKeyError(no_signing_key(settings.signing_key_file))
    return RowSigner(private_key_file_of(settings.signing_key_file))


def personal_data_key(settings: Settings) -> bytes:
    """The personal-data key; the key file is made now if it was not there (production
    refuses to start without a key, when the settings are read)."""
    if settings.personal_data_key is not None:
        return settings.personal_data_key
    return key_file_of(settings.key_file)


def open_read_models(settings: Settings) -> Engine:
    """The read models' database (the projections' tables)."""
    return read_model_engine(settings.database)


def projection_runner_on(ledger: Ledger, engine: Engine, names: Sequence[str] = ()) -> Runner:
    """The runner of the named projections (all when none are named) over ``ledger``'s
    log, writing to ``engine``: the same ledger, so its commits wake the projections."""
    return runner_for(ledger, engine, names)


def open_services(settings: Settings, options: ServeOptions) -> Services:
    """What the running service shares, opened: the ledger, its read models, the
    projections thread (not started), the live feed, the background verifier, the
    ledger's clock (not started) and the figures of ``/metrics``."""
    from api.runtime.event_answers import EventAnswers
    from api.runtime.identity import TokenBook
    from api.runtime.live_feeds import LiveFeeds
    from api.runtime.live_views import LiveViews
    from api.runtime.log_tail import LogTail
    from api.runtime.metrics import Metrics
    from api.runtime.position_metrics import LogPositions
    from api.runtime.projector import Projector
    from api.runtime.rate_limit import RateLimiter
    from api.runtime.seal_watch import SealWatch
    from api.runtime.services import Services
    from api.runtime.timed_clock import TimedActs
    from api.runtime.view_cache import ViewCache

    ledger = open_ledger(settings)
    engine = open_read_models(settings)
    runner = projection_runner_on(ledger, engine)
    runner.set_up()
    ledger.score_with(partial(scores_to_publish, engine))
    projector = Projector(runner, options.poll_seconds, run=options.projections)
    tail, metrics = LogTail(ledger, options.poll_seconds), Metrics()
    live_views = LiveViews(
        projector,
        partial(china_today, ledger.clock),
        settings.limits.coalesce_seconds,
        watcher=metrics,
    )
    live_feeds = LiveFeeds(lambda: tail.position, ledger.clock, watcher=metrics)
    metrics.register(LogPositions(projector, tail, live_views, live_feeds))
    return Services(
        settings=settings,
        ledger=ledger,
        engine=engine,
        projector=projector,
        tail=tail,
        seal_watch=SealWatch(
            ledger,
            engine,
            settings.clock,
            interval_seconds=options.verify_seconds,
            rewalk_seconds=options.rewalk_seconds,
        ),
        limits=settings.limits,
        tokens=TokenBook(ledger),
        sealer=AesSealer(personal_data_key(settings)),
        mutation_limit=RateLimiter(
            settings.limits.mutations_per_second, settings.limits.mutation_burst
        ),
        timed_acts=TimedActs(ledger, engine, tick_seconds=options.timed_act_seconds),
        live_views=live_views,
        live_feeds=live_feeds,
        views=ViewCache(lambda: projector.position, ledger.clock),
        event_answers=EventAnswers(),
        metrics=metrics,
    )
