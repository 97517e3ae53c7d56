"""The ``ledger`` command line.

Every refusal is one line on stderr and a non-zero exit, never a traceback,
and nothing is written when the input is bad.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from uuid import UUID

import psycopg
from eventsourcing.persistence import PersistenceError
from sqlalchemy.exc import DBAPIError

from api.calendar_cli import add_calendar_commands
from api.config import Settings, open_ledger
from api.export import Exporter
from api.formats import WRITERS
from api.generate import generate
from api.plan import builtin_plan, read_plan
from api.projecting import (
    REBUILD_BATCH,
    failure_lines,
    projection_runner,
    rebuild,
    rebuild_in_parallel,
    run_until_stopped,
    status_lines,
)
from api.seed import check_plan, seed_plan
from api.summary import summary_lines
from domain.clock import china_today
from domain.errors import LedgerError, OperationalFailure
from domain.ledger import Ledger
from projections.engine import Runner

EXPORTS = ("tasks", "complaints", "legacy-issues", "events")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    warnings.showwarning = _warn
    try:
        settings = Settings.from_environ(os.environ)
        code: int = args.run(settings, args)
    except (LedgerError, OperationalFailure) as error:
        return _fail(str(error))
    except BrokenPipeError:  # the reader stopped reading (``| head``): so do we
        return _stdout_closed()
    except (PersistenceError, psycopg.Error, sqlite3.Error, OSError) as error:
        return _fail(f"database error: {str(error).strip().splitlines()[0]}")
    except DBAPIError as error:  # the read models' database errors, wrapped by SQLAlchemy
        return _fail(f"database error: {(str(error.orig).strip() or str(error)).splitlines()[0]}")
    except KeyboardInterrupt:
        return _fail("interrupted")
    return code


def _warn(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    print(f"ledger: warning: {message}", file=sys.stderr)


def _fail(message: str) -> int:
    print(f"ledger: error: {message}", file=sys.stderr)
    return 2


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    if (args.plan is None) == (args.file is None):
        return _fail("seed: name a built-in plan (changxing-2021) or give --file PATH")
    plan = builtin_plan(args.plan) if args.plan else read_plan(args.file)
    if not settings.database.exists():
        check_plan(plan, lambda name: False)  # refuse a bad plan before creating a database
    with closing(open_ledger(settings)) as ledger:
        if args.if_empty and ledger.recorder.max_notification_id():
            print(f"ledger: not empty; {plan.key} not seeded")
            return 0
        report = seed_plan(ledger, plan)
    print(
        f"ledger: seeded {plan.key}: {report.written} written, {report.already_there} already there"
    )
    return 0


def _generate(settings: Settings, args: argparse.Namespace) -> int:
    if args.events < 1:
        return _fail("generate: --events must be 1 or more")
    with closing(open_ledger(settings)) as ledger:
        result = generate(ledger, events=args.events, seed=args.seed, progress=not args.quiet)
    print(
        f"ledger: generated {result.events} events in {result.seconds:.1f} s "
        f"({result.events_per_second:,.0f} events/s)"
    )
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    with closing(open_ledger(settings, create=False)) as ledger:
        return _export_from(Exporter(ledger, china_today(settings.clock)), args)


def _export_from(exporter: Exporter, args: argparse.Namespace) -> int:
    write = WRITERS[args.format]
    if args.output is None:
        write(exporter.rows(args.what), sys.stdout)
        sys.stdout.flush()  # a reader gone (``| head``) is told here: see ``main``
        return 0
    try:
        out = args.output.open("w", encoding="utf-8", newline="")
    except OSError as error:
        return _fail(f"export: cannot write {args.output}: {error.strerror or error}")
    with out:
        count = write(exporter.rows(args.what), out)
    print(f"ledger: wrote {count} {args.what} to {args.output}", file=sys.stderr)
    return 0


def _stdout_closed() -> int:
    """Ends a command whose standard output was closed by its reader as Unix tools end:
    quietly, with the status of a process ended by SIGPIPE (128 + 13). Standard output
    is pointed at /dev/null first, so that Python's last flush of what is still buffered
    finds nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE


def _project(settings: Settings, args: argparse.Namespace) -> int:
    with _closed_after(projection_runner(settings, args.names, args.batch_size)) as runner:
        runner.catch_up()
        if not args.once:
            run_until_stopped(runner, args.poll_seconds)
        return _report_status(runner)


def _rebuild(settings: Settings, args: argparse.Namespace) -> int:
    runner = projection_runner(settings, args.names, args.batch_size or REBUILD_BATCH)
    with _closed_after(runner):
        if args.workers > 1 and args.batch_size is None:
            result = rebuild_in_parallel(
                settings, runner, progress=not args.quiet, workers=args.workers
            )
        else:
            result = rebuild(runner, progress=not args.quiet)
        print(
            f"ledger: rebuilt {', '.join(runner.projections)} over {result.events} events in "
            f"{result.seconds:.1f} s ({result.events_per_second:,.0f} events/s)"
        )
        return _report_status(runner)


def _projections(settings: Settings, args: argparse.Namespace) -> int:
    with _closed_after(projection_runner(settings)) as runner:
        return _report_status(runner)


@contextmanager
def _closed_after(runner: Runner) -> Iterator[Runner]:
    """``runner``, its ledger closed and its engine's connections let go on leaving."""
    try:
        yield runner
    finally:
        runner.engine.dispose()
        runner.ledger.close()


def _report_status(runner: Runner) -> int:
    """Where each projection stands, on stdout; then, if any has stopped, one line on
    stderr for each place they stopped (which, where, why) and exit 1."""
    for line in status_lines(runner):
        print(line)
    failed = failure_lines(runner.status())
    for line in failed:
        print(f"ledger: error: {line}", file=sys.stderr)
    return 1 if failed else 0


def _summary(settings: Settings, args: argparse.Namespace) -> int:
    with closing(open_ledger(settings, create=False)) as ledger:
        for line in summary_lines(ledger, china_today(settings.clock)):
            print(line)
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from api.service.app import ServeOptions
    from api.service.serve import serve

    environment = os.environ.get("LEDGER_ENV", "").strip()
    origins = os.environ.get("LEDGER_ALLOWED_ORIGINS", "")
    options = ServeOptions(
        projections=not args.no_projections,
        graphiql=args.graphiql or environment == "development",
        poll_seconds=args.poll_seconds,
        introspection=environment != "production" and not args.no_introspection,
        allowed_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
    )
    serve(settings, args.host, args.port, options)
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from api.schema.build import build_schema

    text = build_schema().as_str() + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"ledger: wrote the schema to {args.output}", file=sys.stderr)
    return 0


def _verify(settings: Settings, args: argparse.Namespace) -> int:
    from api.verify import verify
    from projections.seal import Seal

    against = Seal.parse(args.against) if args.against is not None else None
    keyring = settings.keyring()
    runner = projection_runner(settings, ["seal"], sign=False)  # reads the log, writes none
    with _closed_after(runner):
        runner.catch_up()  # seal what was appended since the projection last ran
        report = verify(runner.ledger.recorder, runner.engine, keyring, against)
    for finding in report.findings:
        print(f"ledger: verify: FAILED at {finding}", file=sys.stderr)
    if not report.holds:
        return 1
    print(
        f"ledger: verified {report.rows} stored events: the chain is whole, "
        f"{report.signed} vouched for by the ledger's signatures"
        + (f"; seal {report.seal}" if report.seal else "")
        + (f"; matches the seal given at position {against.position}" if against else "")
    )
    return 0


def _signing_start(settings: Settings, args: argparse.Namespace) -> int:
    from api.signing_start import CannotStartSigning, start_signing
    from projections.seal import Seal

    against = Seal.parse(args.against) if args.against is not None else None
    runner = projection_runner(settings, ["seal"])  # its tables, to check the chain against
    with _closed_after(runner):
        ledger = runner.ledger
        if against is None and not args.as_it_stands and ledger.recorder.max_notification_id():
            raise CannotStartSigning(
                "the log holds rows: name what vouches for them, --against SEAL (a seal "
                "printed earlier) or --as-it-stands (a log never sealed, on your word)"
            )
        started = start_signing(ledger, runner.engine, settings.row_signer(), against)
    if started is None:
        print("ledger: the log is empty: every row will be signed as it is written")
        return 0
    print(
        f"ledger: signed the checkpoint of positions 1 to {started.position} "
        f"(chain {started.chain.hex()}); rows after it are signed as they are written"
    )
    return 0


def _signing_public_key(settings: Settings, args: argparse.Namespace) -> int:
    from domain.signing import public_pem

    print(public_pem(settings.own_signing_key().public_key()), end="")
    return 0


def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from api.tokens import create_token, find_unit, parse_role

    with closing(open_ledger(settings, create=False)) as ledger:
        role = parse_role(args.role)
        unit = find_unit(ledger, args.unit) if args.unit else None
        issued = create_token(
            ledger, role=role, unit=unit, name=args.name or f"{role.value} token", days=args.days
        )
    print(issued.secret)
    print(
        f"ledger: issued token {issued.token_id} ({role.value}"
        + (f", unit {unit}" if unit else "")
        + f"), expires {issued.expires_at:%Y-%m-%d}; the secret above is shown once",
        file=sys.stderr,
    )
    return 0


def _token_demo(settings: Settings, args: argparse.Namespace) -> int:
    from api.tokens import demo_tokens
    from domain.unit import Unit

    with closing(open_ledger(settings, create=False)) as ledger:
        units = _item_ids(ledger, Unit.Registered)
        for issued in demo_tokens(ledger, units[0] if units else None):
            print(f"  {issued.role.value:<9} Authorization: Bearer {issued.secret}")
    return 0


def _token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from api.tokens import describe, revoke

    with closing(open_ledger(settings, create=False)) as ledger:
        token = revoke(ledger, args.token, args.reason)
    print(f"ledger: revoked {describe(token)}", file=sys.stderr)
    return 0


def _token_list(settings: Settings, args: argparse.Namespace) -> int:
    from api.tokens import describe
    from domain.access import AccessToken

    with closing(open_ledger(settings, create=False)) as ledger:
        for item_id in _token_ids(ledger):
            print(describe(ledger.get(AccessToken, item_id)))
    return 0


def _token_ids(ledger: Ledger) -> list[UUID]:
    from domain.access import AccessToken

    return _item_ids(ledger, AccessToken.Issued)


def _item_ids(ledger: Ledger, created: type) -> list[UUID]:
    """The ids of the items created by events of class ``created``, in log order."""
    from eventsourcing.utils import get_topic

    seen: dict[UUID, None] = {}
    start = 1
    while page := ledger.recorder.select_notifications(
        start=start, limit=5000, topics=[get_topic(created)]
    ):
        for n in page:
            seen[UUID(str(n.originator_id))] = None
        start = page[-1].id + 1
    return list(seen)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledger", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    seed = commands.add_parser("seed", help="write a work plan into the ledger")
    seed.add_argument("plan", nargs="?", help="built-in plan: changxing-2021")
    seed.add_argument("--file", type=Path, help="a plan file of the same shape (TOML)")
    seed.add_argument("--if-empty", action="store_true", help="only into an empty ledger")
    seed.set_defaults(run=_seed)
    gen = commands.add_parser("generate", help="write synthetic activity")
    gen.add_argument("--events", type=int, required=True, help="how many events")
    gen.add_argument("--seed", type=int, default=2021, help="random seed (deterministic)")
    gen.add_argument("--quiet", action="store_true", help="no progress bar")
    gen.set_defaults(run=_generate)
    export = commands.add_parser("export", help="export what is in the ledger now")
    export.add_argument("what", choices=EXPORTS)
    export.add_argument("--format", choices=sorted(WRITERS), default="json")
    export.add_argument("--output", type=Path, help="file to write (default: stdout)")
    export.set_defaults(run=_export)
    project = commands.add_parser("project", help="run the projection workers")
    project.add_argument("names", nargs="*", help="projections to run (default: all)")
    project.add_argument("--once", action="store_true", help="catch up, then stop")
    project.add_argument("--poll-seconds", type=float, default=0.5, help="SQLite polling")
    project.add_argument("--batch-size", type=_positive, help="events per transaction")
    project.set_defaults(run=_project)
    rebuild_ = commands.add_parser("rebuild", help="rebuild projections from the log")
    rebuild_.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    rebuild_.add_argument("--batch-size", type=_positive, help="events per transaction")
    rebuild_.add_argument("--quiet", action="store_true", help="no progress bar")
    rebuild_.add_argument(
        "--workers",
        type=_positive,
        default=2,
        help="worker processes, each taking the next projection (default 2; 1 rebuilds "
        "in this process, as does --batch-size)",
    )
    rebuild_.set_defaults(run=_rebuild)
    status = commands.add_parser("projections", help="where each projection stands")
    status.set_defaults(run=_projections)
    summary = commands.add_parser("summary", help="print the ledger's summary")
    summary.set_defaults(run=_summary)
    _add_service_commands(commands)
    add_calendar_commands(commands)
    return parser


def _add_service_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """serve, token, verify and export-schema."""
    serve_ = commands.add_parser("serve", help="serve the GraphQL API")
    serve_.add_argument("--host", default="127.0.0.1")
    serve_.add_argument("--port", type=int, default=8000)
    serve_.add_argument(
        "--no-projections",
        action="store_true",
        help="do not run the projections here (a `ledger project` runs them)",
    )
    serve_.add_argument("--graphiql", action="store_true", help="serve the GraphiQL page")
    serve_.add_argument(
        "--no-introspection", action="store_true", help="refuse schema introspection"
    )
    serve_.add_argument("--poll-seconds", type=float, default=0.5, help="SQLite polling")
    serve_.set_defaults(run=_serve)
    token = commands.add_parser("token", help="issue, revoke and list bearer tokens")
    token_commands = token.add_subparsers(required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="issue a token; prints its secret once")
    create.add_argument("--role", required=True, help="office, unit, inspector, leader, viewer")
    create.add_argument("--unit", help="the unit (id or registered name) of a unit token")
    create.add_argument("--name", help="who or what holds it")
    create.add_argument("--days", type=_positive, default=365, help="valid for (default 365)")
    create.set_defaults(run=_token_create)
    revoke_ = token_commands.add_parser("revoke", help="revoke a token")
    revoke_.add_argument("token", help="the token's id or its secret")
    revoke_.add_argument("--reason", default="revoked by the office", help="why")
    revoke_.set_defaults(run=_token_revoke)
    demo = token_commands.add_parser("demo", help="a 7-day token for each role, printed")
    demo.set_defaults(run=_token_demo)
    list_ = token_commands.add_parser("list", help="every token issued, with its state")
    list_.set_defaults(run=_token_list)
    signing = commands.add_parser("signing", help="the ledger's signatures over its rows")
    signing_commands = signing.add_subparsers(required=True, metavar="ACTION")
    start = signing_commands.add_parser(
        "start", help="sign one checkpoint over rows written before the ledger signed"
    )
    vouch = start.add_mutually_exclusive_group()
    vouch.add_argument("--against", metavar="SEAL", help="a seal printed earlier, up to which")
    vouch.add_argument(
        "--as-it-stands", action="store_true", help="a log never sealed, on your word"
    )
    start.set_defaults(run=_signing_start)
    key = signing_commands.add_parser("public-key", help="print the signing key's public key")
    key.set_defaults(run=_signing_public_key)
    verify_ = commands.add_parser("verify", help="check the log against its seal chain")
    verify_.add_argument("--against", metavar="SEAL", help="a seal printed earlier")
    verify_.set_defaults(run=_verify)
    schema = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    schema.add_argument("--output", type=Path, help="file to write (default: stdout)")
    schema.set_defaults(run=_export_schema)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


if __name__ == "__main__":
    raise SystemExit(main())
