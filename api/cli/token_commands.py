"""``ledger token create | revoke | demo | list``: bearer tokens, issued and revoked as
events."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from typing import TYPE_CHECKING
from uuid import UUID

from api.bootstrap import open_ledger
from api.cli.common import Commands, fail, positive
from api.settings import Settings

if TYPE_CHECKING:
    from domain.ledger import Ledger


def add_token_commands(commands: Commands) -> None:
    """token create, revoke, demo, list."""
    token = commands.add_parser("token", help="issue, revoke and list bearer tokens")
    token_commands = token.add_subparsers(required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="issue a token; prints its secret once")
    create.add_argument("--role", required=True, help="office, unit, inspector, leader, viewer")
    create.add_argument("--unit", help="the unit (id or registered name) of a unit token")
    create.add_argument("--name", help="who or what holds it")
    create.add_argument("--days", type=positive, default=365, help="valid for (default 365)")
    create.set_defaults(run=_token_create)
    revoke_ = token_commands.add_parser("revoke", help="revoke a token")
    revoke_.add_argument("token", help="the token's id or its secret")
    revoke_.add_argument("--reason", default="revoked by the office", help="why")
    revoke_.set_defaults(run=_token_revoke)
    demo = token_commands.add_parser("demo", help="a 7-day token for each role, printed")
    demo.add_argument(
        "--links",
        metavar="URL",
        help="also print links to the pages served at URL (the big screen as the demo viewer)",
    )
    demo.set_defaults(run=_token_demo)
    list_ = token_commands.add_parser("list", help="every token issued, with its state")
    list_.set_defaults(run=_token_list)


def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.tokens import create_token, find_unit, parse_role

    role = parse_role(args.role)
    with closing(open_ledger(settings, create=False)) as ledger:
        unit = find_unit(ledger, args.unit) if args.unit else None
        name = args.name or f"{role.value} token"
        issued = create_token(ledger, role=role, unit=unit, name=name, days=args.days)
    print(issued.secret)
    print(
        f"ledger: issued token {issued.token_id} ({role.value}"
        + (f", unit {unit}" if unit else "")
        + f"), expires {issued.expires_at:%Y-%m-%d}; the secret above is shown once",
        file=sys.stderr,
    )
    return 0


def _token_demo(settings: Settings, args: argparse.Namespace) -> int:
    """Made in a new ledger too (``make run DEMO=0`` on a fresh machine: tokens, nothing else)."""
    from api.cli.tokens import demo_tokens, page_links
    from domain.meta import Role
    from domain.unit import Unit

    if args.links is not None and not args.links.startswith(("http://", "https://")):
        return fail(f"token demo: --links must be an http:// or https:// URL, not {args.links!r}")
    with closing(open_ledger(settings)) as ledger:
        units = _item_ids(ledger, Unit.Registered)
        issued = demo_tokens(ledger, units[0] if units else None)
    for token in issued:
        print(f"  {token.role.value:<9} Authorization: Bearer {token.secret}")
    if args.links is not None:
        viewer = next(token.secret for token in issued if token.role is Role.VIEWER)
        print("Pages (the big screen opens as the demo viewer; the others ask for a token):")
        for name, link in page_links(args.links, viewer):
            print(f"  {name:<9} {link}")
    return 0


def _token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.tokens import describe, revoke

    with closing(open_ledger(settings, create=False)) as ledger:
        token = revoke(ledger, args.token, args.reason)
    print(f"ledger: revoked {describe(token)}", file=sys.stderr)
    return 0


def _token_list(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.tokens import describe
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
