"""Configuration: read once from the environment, checked, and wired into a Ledger.

LEDGER_DATABASE_URL  SQLAlchemy URL of the database (default: sqlite:///ledger.sqlite,
                     a file in the working directory). PostgreSQL URLs may add
                     ?schema=NAME to keep the ledger's tables in that schema.
LEDGER_POLICY_FILE   TOML file overriding any of domain/default_policy.toml.
LEDGER_PERSONAL_DATA_KEY       base64 of the 32-byte key sealing complainants' personal
                               data; else LEDGER_PERSONAL_DATA_KEY_FILE (default ledger.key,
                               made when a ledger first needs it, never while reading the
                               settings; in production a missing key is an error).
LEDGER_TEST_NOW      outside production only: the moment the clock reads at start,
                     ``2027-06-01T09:00:00+08:00``, running on from there; with
                     ``@<seconds since the epoch>`` appended, the wall-clock instant it
                     read that moment, so several processes share one clock.
"""

from __future__ import annotations

import math
import time
import tomllib
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import OperationalError

from api.personal_data import AesSealer, key_file_of, key_from, key_path
from domain.clock import Clock, ShiftedClock, system_now
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.policy import Policy, merge_policy
from domain.storage import Database, StorageError, install_append_only_guard, setting_up

DEFAULT_DATABASE_URL = "sqlite:///ledger.sqlite"


class ConfigError(LedgerError):
    """A setting is malformed or names something that is not there."""


@dataclass(frozen=True)
class Settings:
    """Everything the ledger is configured with."""

    database: Database
    policy: Policy
    personal_data_key: bytes | None
    """None: the key file does not exist yet; ``sealing_key`` makes it on first use."""
    clock: Clock = field(default=system_now)
    key_file: Path = Path("ledger.key")

    def sealing_key(self) -> bytes:
        """The personal-data key; the key file is made now if it was not there (reading the
        settings never writes it; production refuses to start without a key)."""
        if self.personal_data_key is not None:
            return self.personal_data_key
        return key_file_of(self.key_file)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        url = environ.get("LEDGER_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        policy_file = environ.get("LEDGER_POLICY_FILE", "").strip()
        return cls(
            database=Database.parse(url),
            policy=load_policy(Path(policy_file) if policy_file else None),
            personal_data_key=key_from(environ, production=in_production(environ)),
            clock=clock_from_environ(environ),
            key_file=key_path(environ),
        )


def in_production(environ: Mapping[str, str]) -> bool:
    """``LEDGER_ENV`` says production."""
    return environ.get("LEDGER_ENV", "").strip().lower() in ("production", "prod")


def clock_from_environ(environ: Mapping[str, str]) -> Clock:
    """The system clock, or the moved clock ``LEDGER_TEST_NOW`` asks for outside production."""
    text = environ.get("LEDGER_TEST_NOW", "").strip()
    if not text:
        return system_now
    if in_production(environ):
        raise ConfigError("LEDGER_TEST_NOW moves the clock for tests; it is refused in production")
    return parse_test_now(text)


def parse_test_now(text: str) -> ShiftedClock:
    """``MOMENT`` or ``MOMENT@ANCHOR``: a time-zone-aware ISO moment, and the epoch
    seconds at which the clock read it (default: now)."""
    moment, _, anchor = text.partition("@")
    try:
        start = datetime.fromisoformat(moment.strip())
        at = float(anchor) if anchor.strip() else time.time()
    except ValueError:
        raise ConfigError(
            f"LEDGER_TEST_NOW: {text!r} is not an ISO date-time such as "
            "2027-06-01T09:00:00+08:00 (optionally followed by @SECONDS)"
        ) from None
    if start.tzinfo is None:
        raise ConfigError(f"LEDGER_TEST_NOW: {text!r} must carry a time zone, e.g. +08:00")
    if not 1970 < start.year < 9000:
        raise ConfigError(f"LEDGER_TEST_NOW: {moment.strip()!r} is not a year the ledger keeps")
    if not (math.isfinite(at) and 0 <= at < 1e11):
        raise ConfigError(f"LEDGER_TEST_NOW: {anchor.strip()!r} is not seconds since the epoch")
    return ShiftedClock(start, at)


def load_policy(override: Path | None = None) -> Policy:
    """The default policy, with every value ``override`` (a TOML file) gives replaced."""
    text = files("domain").joinpath("default_policy.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    if override is not None:
        data = merge_policy(data, _read_toml(override, "LEDGER_POLICY_FILE"))
    return Policy.from_mapping(data)


def open_ledger(settings: Settings, *, create: bool = True) -> Ledger:
    """A Ledger on the configured database, its log guarded against UPDATE and DELETE.

    With ``create=False`` a missing SQLite file is an error instead of a new ledger, and
    nothing is created or altered (the tables and their guard are already there).
    With ``create=True`` the set-up holds the database's set-up lock, so any number of
    processes may open a new database at once.
    """
    if not create and not settings.database.exists():
        raise StorageError(f"no ledger database at {settings.database.sqlite_path}")
    try:
        env = settings.database.eventsourcing_env()
        if not create:  # no DDL: nothing is created or altered
            env["CREATE_TABLE"] = "false"
        with setting_up(settings.database) if create else nullcontext():
            ledger = Ledger(  # the library's CREATE TABLE runs here
                env,
                policy=settings.policy,
                sealer=AesSealer(settings.sealing_key()),
                clock=settings.clock,
            )
            if create:
                install_append_only_guard(ledger.recorder)
    except (OperationalError, psycopg.OperationalError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise StorageError(f"cannot open the ledger database: {first_line}") from None
    return ledger


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what}: no file {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{what}: {path} is not valid TOML ({error})") from None
