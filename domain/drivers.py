"""Whether a recorder, or an error, is PostgreSQL's, asked without loading its driver.

psycopg (and ``eventsourcing.postgres``, which imports it) take about a quarter of a
``ledger`` command's start, and a ledger on SQLite never needs them: they are loaded only
where the database URL names PostgreSQL (``domain.signed_postgres``,
``domain.postgres_setup``). Code that serves both databases asks here instead of importing
them: where the module was never loaded, no recorder can be of its classes and none of
its errors can have been raised.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

from eventsourcing.persistence import ApplicationRecorder

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder

POSTGRES_RECORDERS = "eventsourcing.postgres"
POSTGRES_DRIVER = "psycopg"


def is_postgres(recorder: ApplicationRecorder) -> TypeGuard[PostgresApplicationRecorder]:
    """Whether ``recorder`` is the library's PostgreSQL recorder (or one of ours made
    from it)."""
    if POSTGRES_RECORDERS not in sys.modules:
        return False
    from eventsourcing.postgres import PostgresApplicationRecorder

    return isinstance(recorder, PostgresApplicationRecorder)


def postgres_errors() -> tuple[type[Exception], ...]:
    """The PostgreSQL driver's errors, for an ``except``: none where it was never loaded."""
    if POSTGRES_DRIVER not in sys.modules:
        return ()
    import psycopg

    return (psycopg.Error,)


def postgres_connection_errors() -> tuple[type[Exception], ...]:
    """The PostgreSQL driver's error for a server that cannot be reached or refuses the
    connection, for an ``except``: none where it was never loaded."""
    if POSTGRES_DRIVER not in sys.modules:
        return ()
    import psycopg

    return (psycopg.OperationalError,)
