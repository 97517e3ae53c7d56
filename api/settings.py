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
LEDGER_DOCUMENT_FONT the CJK font (OpenType/TrueType file or collection) embedded in the
                     PDF documents (``api.documents.fonts``); unset: the usual Noto,
                     Source Han and WenQuanYi paths are searched when a document is made.
LEDGER_METRICS_TOKEN when set, ``GET /metrics`` asks for ``Authorization: Bearer <it>``;
                     unset, /metrics is open (its figures hold no personal data).
LEDGER_TRACING       ``off`` (default), ``otlp`` (spans to an OpenTelemetry collector, as the
                     standard OTEL_EXPORTER_OTLP_* variables say) or ``console`` (printed):
                     ``api.runtime.tracing``.
"""

from __future__ import annotations

import math
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.keys.personal_data_cipher import key_from, key_path
from api.keys.signing_key_files import (
    DEFAULT_KEY_FILE,
    public_from_pem,
    raw_private,
    read_private_key,
    read_public_keys,
    signing_key_path,
)
from domain.clock import Clock, ShiftedClock, system_now
from domain.errors import OperationalFailure
from domain.policy import Policy, default_policy, merge_policy
from domain.signing import Keyring, SigningKeyError, public_pem
from domain.storage import Database

DEFAULT_DATABASE_URL = "sqlite:///ledger.sqlite"


class ConfigError(OperationalFailure):
    """A setting is malformed or names something that is not there."""


@dataclass(frozen=True)
class Limits:
    """The service's limits on a request."""

    max_page: int = 100
    default_page: int = 20
    read_wait_seconds: float = 5.0
    coalesce_seconds: float = 0.5
    max_depth: int = 12
    max_tokens: int = 2000
    max_aliases: int = 30
    mutations_per_second: float = 20.0
    mutation_burst: int = 100


@dataclass(frozen=True)
class Settings:
    """Everything the ledger is configured with, read once; reading writes nothing (a key
    file missing outside production is made by ``api.bootstrap`` when first needed)."""

    database: Database
    policy: Policy
    personal_data_key: bytes | None
    """None: the key file does not exist yet; ``api.bootstrap`` makes it on first use."""
    clock: Clock = field(default=system_now)
    key_file: Path = Path("ledger.key")
    signing_key: bytes | None = None
    """The raw Ed25519 private key (bytes, so settings pass to worker processes); None:
    the key file does not exist yet (``api.bootstrap`` makes it outside production)."""
    signing_key_file: Path = DEFAULT_KEY_FILE
    public_keys: tuple[str, ...] = ()
    """Earlier public signing keys (PEM), whose signatures are taken too."""
    environment: str = ""
    """``LEDGER_ENV``: ``production``, ``development`` or unset."""
    allowed_origins: tuple[str, ...] = ()
    """``LEDGER_ALLOWED_ORIGINS``: browser origins allowed to call the API (CORS) and to
    open WebSockets."""
    limits: Limits = field(default_factory=Limits)
    document_font: str = ""
    """``LEDGER_DOCUMENT_FONT``: the font file the PDF documents embed ("": searched for)."""
    metrics_token: str = ""
    """``LEDGER_METRICS_TOKEN``: the bearer token ``/metrics`` asks for ("": none)."""
    tracing: str = "off"
    """``LEDGER_TRACING``: one of ``TRACING``."""

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def development(self) -> bool:
        return self.environment == "development"

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

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        url = environ.get("LEDGER_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        policy_file = environ.get("LEDGER_POLICY_FILE", "").strip()
        production = in_production(environ)
        signing_file = signing_key_path(environ)
        signing_key, public_keys = read_private_key(signing_file), read_public_keys(environ)
        public_keys_pem = tuple(public_pem(key) for key in public_keys)
        if production and signing_key is None and not public_keys:
            raise SigningKeyError(no_signing_key(signing_file))
        return cls(
            database=Database.parse(url),
            policy=load_policy(Path(policy_file) if policy_file else None),
            personal_data_key=key_from(environ, production=production),
            clock=clock_from_environ(environ),
            key_file=key_path(environ),
            signing_key=None if signing_key is None else raw_private(signing_key),
            signing_key_file=signing_file,
            public_keys=public_keys_pem,
            environment=environment_of(environ),
            allowed_origins=origins_of(environ),
            document_font=environ.get("LEDGER_DOCUMENT_FONT", "").strip(),
            metrics_token=environ.get("LEDGER_METRICS_TOKEN", "").strip(),
            tracing=tracing_of(environ),
        )


def no_signing_key(path: Path) -> str:
    return (
        f"no signing key: {path} does not exist; in production set LEDGER_SIGNING_KEY_FILE "
        "to the ledger's Ed25519 key (a machine that only verifies sets "
        "LEDGER_SIGNING_PUBLIC_KEYS instead)"
    )


def environment_of(environ: Mapping[str, str]) -> str:
    """``LEDGER_ENV``: ``production`` (or ``prod``), ``development``, else ``""``."""
    value = environ.get("LEDGER_ENV", "").strip().lower()
    if value in ("production", "prod"):
        return "production"
    return "development" if value == "development" else ""


def in_production(environ: Mapping[str, str]) -> bool:
    """``LEDGER_ENV`` says production."""
    return environment_of(environ) == "production"


def origins_of(environ: Mapping[str, str]) -> tuple[str, ...]:
    """``LEDGER_ALLOWED_ORIGINS``: a comma-separated list of origins."""
    origins = environ.get("LEDGER_ALLOWED_ORIGINS", "")
    return tuple(o.strip() for o in origins.split(",") if o.strip())


TRACING = ("off", "otlp", "console")


def tracing_of(environ: Mapping[str, str]) -> str:
    """``LEDGER_TRACING``: one of ``TRACING`` (unset: ``off``)."""
    given = environ.get("LEDGER_TRACING", "").strip()
    value = given.lower() or "off"
    if value not in TRACING:
        raise ConfigError(f"LEDGER_TRACING: {given!r} is not one of {', '.join(TRACING)}")
    return value


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
    if override is None:
        return default_policy()  # parsed once a process
    text = files("domain").joinpath("default_policy.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    if override is not None:
        data = merge_policy(data, _read_toml(override, "LEDGER_POLICY_FILE"))
    return Policy.from_mapping(data)


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what}: no file {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{what}: {path} is not valid TOML ({error})") from None
