"""Configuration: read once from the environment, checked, and wired into a Ledger.

LEDGER_DATABASE_URL  SQLAlchemy URL of the database (default: sqlite:///ledger.sqlite,
                     a file in the working directory). PostgreSQL URLs may add
                     ?schema=NAME to keep the ledger's tables in that schema.
LEDGER_POLICY_FILE   TOML file overriding any of domain/default_policy.toml.
LEDGER_PERSONAL_DATA_KEY       base64 of the 32-byte key sealing complainants' personal
                               data; else LEDGER_PERSONAL_DATA_KEY_FILE (default ledger.key,
                               made when a ledger first needs it, never while reading the
                               settings; in production a missing key is an error).
LEDGER_SIGNING_KEY_FILE, LEDGER_SIGNING_PUBLIC_KEYS: the key signing what the ledger
                     writes, and earlier public keys (``api.keys.signing_key_files``).
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
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import OperationalError

from api.keys.personal_data_cipher import AesSealer, key_file_of, key_from, key_path
from api.keys.signing_key_files import (
    DEFAULT_KEY_FILE,
    private_key_file_of,
    public_from_pem,
    raw_private,
    read_private_key,
    read_public_keys,
    signing_key_path,
)
from domain.clock import Clock, ShiftedClock, system_now
from domain.errors import OperationalFailure
from domain.ledger import Ledger
from domain.policy import Policy, merge_policy
from domain.signed_log import check_with, sign_writes
from domain.signing import Keyring, RowSigner, SigningKeyError, public_pem
from domain.storage import Database, StorageError, install_append_only_guard, setting_up

DEFAULT_DATABASE_URL = "sqlite:///ledger.sqlite"


class ConfigError(OperationalFailure):
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
    signing_key: bytes | None = None
    """The raw Ed25519 private key (bytes, so settings pass to worker processes); None:
    the key file does not exist yet, ``row_signer`` makes it on first use (outside
    production)."""
    signing_key_file: Path = DEFAULT_KEY_FILE
    public_keys: tuple[str, ...] = ()
    """Earlier public signing keys (PEM), whose signatures are taken too."""
    production: bool = False

    def row_signer(self) -> RowSigner:
        """The signer of what this process writes; the key file is made now outside
        production if it was not there."""
        if self.signing_key is not None:
            return RowSigner(Ed25519PrivateKey.from_private_bytes(self.signing_key))
        if self.production:
            raise SigningKeyError(_no_signing_key(self.signing_key_file))
        return RowSigner(private_key_file_of(self.signing_key_file))

    def own_signing_key(self) -> Ed25519PrivateKey:
        """The signing key, read (never made here)."""
        key = (
            Ed25519PrivateKey.from_private_bytes(self.signing_key)
            if self.signing_key is not None
            else read_private_key(self.signing_key_file)
        )
        if key is None:
            raise SigningKeyError(f"no signing key: {self.signing_key_file} does not exist")
        return key

    def keyring(self) -> Keyring:
        """The public keys signatures are checked with: the signing key's, if this process
        has it, and the earlier ones."""
        own = (
            Ed25519PrivateKey.from_private_bytes(self.signing_key)
            if self.signing_key is not None
            else read_private_key(self.signing_key_file)
        )
        keys = [own.public_key()] if own is not None else []
        earlier = [public_from_pem(pem) for pem in self.public_keys]
        if not keys and not earlier:
            raise SigningKeyError(
                f"no signing key to check signatures with: {self.signing_key_file} does not "
                "exist and LEDGER_SIGNING_PUBLIC_KEYS is not set"
            )
        return Keyring([*keys, *earlier])

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
        production = in_production(environ)
        signing_file = signing_key_path(environ)
        signing_key, public_keys = read_private_key(signing_file), read_public_keys(environ)
        public_keys_pem = tuple(public_pem(key) for key in public_keys)
        if production and signing_key is None and not public_keys:
            raise SigningKeyError(_no_signing_key(signing_file))
        return cls(
            database=Database.parse(url),
            policy=load_policy(Path(policy_file) if policy_file else None),
            personal_data_key=key_from(environ, production=production),
            clock=clock_from_environ(environ),
            key_file=key_path(environ),
            signing_key=None if signing_key is None else raw_private(signing_key),
            signing_key_file=signing_file,
            public_keys=public_keys_pem,
            production=production,
        )


def _no_signing_key(path: Path) -> str:
    return (
        f"no signing key: {path} does not exist; in production set LEDGER_SIGNING_KEY_FILE "
        "to the ledger's Ed25519 key (a machine that only verifies sets "
        "LEDGER_SIGNING_PUBLIC_KEYS instead)"
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
                sealer=AesSealer(settings.sealing_key()),
                clock=settings.clock,
            )
            if signer is not None:
                sign_writes(ledger.recorder, signer)
            _check_signatures_with(settings, ledger)
            if create:
                install_append_only_guard(ledger.recorder)
    except (OperationalError, psycopg.OperationalError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise StorageError(f"cannot open the ledger database: {first_line}") from None
    return ledger


def _check_signatures_with(settings: Settings, ledger: Ledger) -> None:
    """The keys of the settings, when there are any (else the signer's own)."""
    with suppress(SigningKeyError):  # checking the log says so when it comes to it
        check_with(ledger.recorder, settings.keyring())


def _signer_if_any(settings: Settings) -> RowSigner | None:
    try:
        return settings.row_signer()
    except SigningKeyError:
        if settings.production:
            return None  # a machine that only verifies
        raise


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what}: no file {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{what}: {path} is not valid TOML ({error})") from None
