"""Fixtures shared by the whole suite: real databases.

SQLite tests use a file under tmp_path. PostgreSQL tests use the server named
by LEDGER_TEST_POSTGRES_URL, each in a schema of its own that is dropped after
the test. Without that variable they are skipped, saying why; with it, an
unreachable server fails them loudly.
"""

from __future__ import annotations

import base64
import gc
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import hypothesis
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis.database import DirectoryBasedExampleDatabase
from sqlalchemy.engine import make_url

from api.bootstrap import open_ledger
from api.keys.signing_key_files import raw_private, read_private_key
from api.settings import Limits, Settings, load_policy
from domain.ledger import Ledger
from domain.signed_log import sign_writes
from domain.signing import RowSigner
from domain.storage import Database
from tests.clock import pin_suite_clock, suite_clock

# --- Hypothesis profiles -------------------------------------------------------------------------
# `make test` runs the "derandomized" profile: every run tries the same examples (seeded from each
# test), no example database can bring back an old failure, and no deadline times an example, so
# the outcome depends on the code alone. `make fuzz` runs the "fuzz" profile (HYPOTHESIS_PROFILE=
# fuzz): random examples, ten times as many (see `examples`), failures kept under .hypothesis/ and
# tried first next time. What it finds becomes a plain test.
HYPOTHESIS_DATABASE = Path(__file__).resolve().parents[1] / ".hypothesis" / "examples"
hypothesis.settings.register_profile(
    "derandomized",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.register_profile(
    "fuzz",
    derandomize=False,
    max_examples=1000,
    database=DirectoryBasedExampleDatabase(HYPOTHESIS_DATABASE),
    deadline=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))


def examples(count: int) -> int:
    """A property's number of examples: ``count`` under `make test`, scaled by the profile.

    ``@settings(max_examples=...)`` overrides the profile, so a property says its count through
    this: the derandomized profile keeps Hypothesis's 100 and gives ``count``; the fuzz profile's
    1000 gives ten times ``count``.
    """
    return max(1, count * hypothesis.settings().max_examples // 100)


# --- end of the Hypothesis profiles ---------------------------------------------------------------

TEST_KEY = bytes(range(32))
"""The tests' personal-data key (a real deployment's comes from its environment)."""
TEST_KEY_SETTING = {"LEDGER_PERSONAL_DATA_KEY": base64.b64encode(TEST_KEY).decode()}
"""The setting giving a child process the tests' personal-data key (none is made in the
directory it works in)."""
TEST_SIGNING_KEY_FILE = Path(__file__).parent / "fixtures" / "signing-test.pem"
"""The tests' signing key (made for the suite, never a deployment's): every process of a
test, in-thread or a child, signs with it, so each reads the others' rows as signed."""
_SIGNING_KEY = read_private_key(TEST_SIGNING_KEY_FILE)
assert _SIGNING_KEY is not None, f"the suite's signing key {TEST_SIGNING_KEY_FILE} is missing"
TEST_SIGNING_KEY = raw_private(_SIGNING_KEY)
POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "").strip()
NO_POSTGRES = "LEDGER_TEST_POSTGRES_URL is not set; PostgreSQL tests need a server to run"


def postgres_dsn(url: str) -> str:
    """A psycopg connection string for an SQLAlchemy PostgreSQL URL."""
    u = make_url(url)
    return (
        f"host={u.host or '127.0.0.1'} port={u.port or 5432} "
        f"dbname={u.database or 'postgres'} user={u.username or 'postgres'}"
        + (f" password={u.password}" if u.password else "")
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (modules, strategies, the schema) is kept for the whole run:
    moved out of the garbage collector's sight, so its passes stay short."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)  # a test's objects are mostly freed as it ends


def pytest_configure(config: pytest.Config) -> None:
    """Pin the suite's moved clock (``LEDGER_TEST_NOW``) before any worker starts."""
    pin_suite_clock(os.environ)


SLOW_FIXTURES = frozenset({"postgres_url", "second_postgres_url", "unmade_schema_url"})
"""Fixtures that make a test slow: a real PostgreSQL schema made and dropped."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tiers: every test on PostgreSQL and every end-to-end test (``tests/e2e``, the
    ``ledger`` command as a process) counts as ``slow``, with those marked so by hand (a
    real uvicorn, a subprocess). ``make test-fast`` runs the rest."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (
            "e2e" in item.path.parts
            or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or (callspec is not None and "postgres" in callspec.id)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a fresh schema on the test PostgreSQL, dropped afterwards."""
    yield from _fresh_schema()


def _fresh_schema() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = postgres_dsn(POSTGRES_URL)
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"'.encode())
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}schema={schema}"
    # what the test opened and left to the garbage collector (ledgers, engines: their pools)
    # is collected now, its connections closed: with collection made rare (see
    # pytest_collection_finish) they piled up, and three workers went over the server's 100
    gc.collect()
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE'.encode())


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A URL to a fresh database for a module's shared world, which its tests only read:
    ``kind`` "sqlite" (a file in ``folder``) or "postgres" (a schema of its own, dropped
    after, as ``postgres_url``'s)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'ledger.sqlite'}"
        return
    schemas = _fresh_schema()
    yield next(schemas)
    next(schemas, None)  # drops the schema


@pytest.fixture
def unmade_schema_url(postgres_url: str) -> Iterator[str]:
    """A URL naming a PostgreSQL schema that is not there yet (dropped afterwards)."""
    url = make_url(postgres_url)
    schema = f"{url.query['schema']}_new"
    yield url.update_query_dict({"schema": schema}).render_as_string(hide_password=False)
    with psycopg.connect(postgres_dsn(postgres_url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


on_sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""For a test of ``database_url`` where the database plays no part in what it checks (a
seal that cannot be parsed, a process's exit status, what is done with rows already read
the same way on both, which other tests check): SQLite only."""


def signing(ledger: Ledger) -> Ledger:
    """``ledger`` (made by hand, not by ``open_ledger``) signing what it writes with the
    suite's key: without a signer it cannot write."""
    sign_writes(ledger.recorder, RowSigner(Ed25519PrivateKey.from_private_bytes(TEST_SIGNING_KEY)))
    return ledger


TEST_LIMITS = Limits(coalesce_seconds=0.2)
"""The service's limits in the suite: live views coalesce changes over a fifth of a second."""


def settings_for(url: str, limits: Limits = TEST_LIMITS) -> Settings:
    return Settings(
        database=Database.parse(url),
        policy=load_policy(),
        personal_data_key=TEST_KEY,
        clock=suite_clock(),
        signing_key=TEST_SIGNING_KEY,
        signing_key_file=TEST_SIGNING_KEY_FILE,
        limits=limits,
    )


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    app = open_ledger(settings_for(database_url))
    yield app
    app.close()


@pytest.fixture
def second_postgres_url() -> Iterator[str]:
    """Another fresh schema, for tests that compare two databases."""
    yield from _fresh_schema()
