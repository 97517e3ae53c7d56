"""``ledger verify`` and ``ledger signing start | public-key``: the log checked, and the
ledger's signatures over it."""

from __future__ import annotations

import argparse
import sys

from api.bootstrap import row_signer
from api.cli.common import Commands, closed_after
from api.settings import Settings


def add_trust_commands(commands: Commands) -> None:
    """verify, signing start, signing public-key."""
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


def _verify(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.projection_workers import projection_runner
    from api.cli.verify import verify
    from projections.seal import Seal

    against = Seal.parse(args.against) if args.against is not None else None
    keyring = settings.keyring()
    # the log is read, never written; the seal projection catches up on what was appended
    with closed_after(projection_runner(settings, ["seal"], sign=False)) as runner:
        runner.catch_up()
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
    from api.cli.projection_workers import projection_runner
    from api.cli.signing_start import CannotStartSigning, start_signing
    from projections.seal import Seal

    against = Seal.parse(args.against) if args.against is not None else None
    # the seal projection's tables, to check the chain against
    with closed_after(projection_runner(settings, ["seal"])) as runner:
        ledger = runner.ledger
        if against is None and not args.as_it_stands and ledger.recorder.max_notification_id():
            raise CannotStartSigning(
                "the log holds rows: name what vouches for them, --against SEAL (a seal "
                "printed earlier) or --as-it-stands (a log never sealed, on your word)"
            )
        started = start_signing(ledger, runner.engine, row_signer(settings), against)
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
