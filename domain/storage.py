"""Where the events live: the database URL, the recorder, and setting a database up.

``LEDGER_DATABASE_URL`` is an SQLAlchemy URL. SQLite files use the
eventsourcing library's own SQLite recorder and PostgreSQL its psycopg
recorder: both were measured faster than eventsourcing-sqlalchemy for reading
the log (DESIGN.md), and the PostgreSQL one follows the log with LISTEN/NOTIFY.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from domain.errors import StorageError

__all__ = ["Database", "setting_up"]

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
"""The PostgreSQL schema names the ledger takes: ones that need no quoting anywhere (the
library names its types in the schema unquoted)."""


@dataclass(frozen=True)
class Database:
    """A parsed ``LEDGER_DATABASE_URL``."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> Database:
        try:
            url = make_url(text)
        except ArgumentError:
            raise StorageError(f"LEDGER_DATABASE_URL is not a database URL: {text!r}") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise StorageError(
                f"LEDGER_DATABASE_URL must be sqlite:/// or postgresql://, not {text!r}"
            )
        if url.get_backend_name() == "sqlite" and not url.database:
            raise StorageError("an SQLite LEDGER_DATABASE_URL needs a file path")
        database = cls(url)
        if not database.is_sqlite and not SCHEMA_NAME.fullmatch(database.schema):
            raise StorageError(
                f"LEDGER_DATABASE_URL: schema {database.schema!r} must be lower-case letters, "
                "digits, _ and $ (up to 63, starting with a letter or _)"
            )
        return database

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(str(self.url.database))

    @property
    def schema(self) -> str:
        value = self.url.query.get("schema", "public")
        return value if isinstance(value, str) else value[0]

    def exists(self) -> bool:
        """For SQLite: whether the file is there. PostgreSQL is checked on connect."""
        return not self.is_sqlite or self.sqlite_path.exists()

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for this database."""
        if self.is_sqlite:
            if not self.sqlite_path.parent.is_dir():
                raise StorageError(f"no directory {self.sqlite_path.parent} for the SQLite file")
            return {
                "PERSISTENCE_MODULE": "domain.signed_log:SignedSQLiteFactory",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = self.url
        return {
            "PERSISTENCE_MODULE": "domain.signed_postgres:SignedPostgresFactory",
            "POSTGRES_DBNAME": str(url.database or "postgres"),
            "POSTGRES_HOST": str(url.host or "127.0.0.1"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": str(url.username or "postgres"),
            "POSTGRES_PASSWORD": str(url.password or ""),
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }


SETUP_LOCK_SUFFIX = ".setup-lock"
SETUP_TIMEOUT_SECONDS = 60


@contextmanager
def setting_up(database: Database) -> Iterator[None]:
    """Hold the database's set-up lock for the block, where a process creates or alters
    the ledger's tables: the log's (the library's own CREATE TABLE), its append-only
    guard, the read models'. Any number of processes may then start at once on a new
    database: they set it up one at a time, each finding what the one before it made.

    PostgreSQL: a session-level advisory lock keyed on the schema's name
    (``domain.postgres_setup``, imported only here, where the URL names PostgreSQL: it
    loads the driver). SQLite: an exclusive lock on a file beside the database
    (``<database>.setup-lock``); where that file cannot be made (a directory this user
    cannot write to, so no set-up either), none.
    """
    if database.is_sqlite:
        with _setup_file_lock(database):
            yield
        return
    from domain.postgres_setup import postgres_setup_lock

    with postgres_setup_lock(database):
        yield


def setup_lock_key(schema: str) -> int:
    """The advisory lock key of set-up in ``schema`` (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"supervision-ledger set-up: {schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _setup_file_lock(database: Database) -> Iterator[None]:
    path = str(database.sqlite_path)
    if path == ":memory:":
        yield
        return
    try:
        descriptor = os.open(path + SETUP_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        try:  # made by another user: a lock needs no write access
            descriptor = os.open(path + SETUP_LOCK_SUFFIX, os.O_RDONLY)
        except (FileNotFoundError, PermissionError):
            descriptor = -1
    except FileNotFoundError:  # no such directory: the set-up itself says so
        descriptor = -1
    if descriptor < 0:
        yield
        return
    try:
        deadline = time.monotonic() + SETUP_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StorageError(held_too_long(path)) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(descriptor)  # closing lets the lock go


def held_too_long(what: str) -> str:
    """Why a set-up gave up waiting for the one under way in ``what``."""
    return (
        f"another process has been setting up the ledger in {what} for more than "
        f"{SETUP_TIMEOUT_SECONDS} s"
    )
