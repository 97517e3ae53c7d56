"""The ``ledger`` command line.

Each command group adds its commands (``api.cli.*_commands``) and imports what it runs
only when it runs. Every refusal is one line on stderr and a non-zero exit, never a traceback,
and nothing is written when the input is bad.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
import warnings
from collections.abc import Sequence

from eventsourcing.persistence import PersistenceError
from sqlalchemy.exc import DBAPIError

from api.cli.calendar_commands import add_calendar_commands
from api.cli.common import fail
from api.cli.document_commands import add_document_commands
from api.cli.export_commands import add_export_commands
from api.cli.import_commands import add_import_commands
from api.cli.plan_commands import add_plan_commands
from api.cli.projection_commands import add_projection_commands
from api.cli.serve_command import add_serve_command
from api.cli.token_commands import add_token_commands
from api.cli.trust_commands import add_trust_commands
from api.settings import Settings
from domain.drivers import postgres_errors
from domain.errors import LedgerError, OperationalFailure


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():  # as they were when it returns (main may run in-process)
        warnings.showwarning = _warn
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_environ(os.environ)
        code: int = args.run(settings, args)
    except (LedgerError, OperationalFailure) as error:
        return fail(str(error))
    except BrokenPipeError:  # the reader stopped reading (``| head``): so do we
        return _stdout_closed()
    except _database_errors() as error:
        return fail(f"database error: {str(error).strip().splitlines()[0]}")
    except DBAPIError as error:  # the read models' database errors, wrapped by SQLAlchemy
        return fail(f"database error: {(str(error.orig).strip() or str(error)).splitlines()[0]}")
    except KeyboardInterrupt:
        return fail("interrupted")
    return code


def _database_errors() -> tuple[type[Exception], ...]:
    """The errors of the log's database and of the system: psycopg's among them only where
    it was loaded (asked as the error is caught: a ledger on SQLite never loads it)."""
    return (PersistenceError, *postgres_errors(), sqlite3.Error, OSError)


def _warn(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    print(f"ledger: warning: {message}", file=sys.stderr)


def _stdout_closed() -> int:
    """Ends a command whose standard output was closed by its reader as Unix tools end:
    quietly, with the status of a process ended by SIGPIPE (128 + 13). Standard output
    is pointed at /dev/null first, so that Python's last flush of what is still buffered
    finds nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledger", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    add_plan_commands(commands)
    add_export_commands(commands)
    add_import_commands(commands)
    add_projection_commands(commands)
    add_serve_command(commands)
    add_token_commands(commands)
    add_trust_commands(commands)
    add_calendar_commands(commands)
    add_document_commands(commands)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
