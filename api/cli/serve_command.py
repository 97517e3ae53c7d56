"""``ledger serve``: the GraphQL service."""

from __future__ import annotations

import argparse

from api.cli.common import Commands, add_clock_arguments
from api.settings import Settings


def add_serve_command(commands: Commands) -> None:
    """serve."""
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
    add_clock_arguments(serve_)
    serve_.set_defaults(run=_serve)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from api.http.serve import serve
    from api.runtime.services import ServeOptions

    options = ServeOptions(
        projections=not args.no_projections,
        graphiql=args.graphiql or settings.development,
        poll_seconds=args.poll_seconds,
        introspection=not settings.production and not args.no_introspection,
        timed_acts=not args.no_timed_acts,
        timed_act_seconds=args.timed_act_seconds,
    )
    serve(settings, args.host, args.port, options)
    return 0
