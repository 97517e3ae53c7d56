"""``ledger document``: the monthly 督办通报, a 约谈通知书 or a 移交函 written as PDF
(``api.documents``). The file is written only once the whole document is made: a bad
month, an unknown id or a missing font writes nothing."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from api.cli.common import Commands, fail
from api.settings import Settings
from domain.clock import china_today

READ_MODELS = ("tasks", "complaints", "legacy", "oversight", "measures", "audit", "seal")
"""Every read model a document reads, caught up before it is made."""


def add_document_commands(commands: Commands) -> None:
    """document monthly-bulletin | interview-notice | referral-letter."""
    document = commands.add_parser("document", help="write a document (PDF) from the ledger")
    kinds = document.add_subparsers(required=True, metavar="DOCUMENT")
    for name, help_text, option, metavar in (
        ("monthly-bulletin", "the month's 督办通报", "--month", "YYYY-MM"),
        ("interview-notice", "an interview's 约谈通知书", "--interview", "ID"),
        ("referral-letter", "a referral's 移交函", "--referral", "ID"),
    ):
        parser = kinds.add_parser(name, help=help_text)
        parser.add_argument(option, required=True, metavar=metavar, dest="subject")
        parser.add_argument("--output", type=Path, required=True, help="the PDF file to write")
        parser.add_argument(
            "--by", help="who makes it, printed under the seal (default: the system user)"
        )
        parser.set_defaults(run=_document, kind=name, option=option)


def _document(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli.read_models import up_to_date
    from api.documents.making import Order, make_document
    from api.documents.oversight_letters import ItemNotFound

    made_by = args.by or f"{getpass.getuser()}（ledger 命令行）"
    order = Order(args.kind, args.subject, made_by)
    with up_to_date(settings, READ_MODELS) as runner:
        try:
            made = make_document(
                runner.engine,
                runner.ledger.current_rules(),
                order,
                now=settings.clock(),
                today=china_today(settings.clock),
                font=settings.document_font,
            )
        except ItemNotFound:
            what = args.option.removeprefix("--")
            return fail(f"document: no {what} {args.subject} in the ledger")
    try:
        args.output.write_bytes(made.pdf)
    except OSError as error:
        return fail(f"document: cannot write {args.output}: {error.strerror or error}")
    seal = made.document.stamp.seal
    print(
        f"ledger: wrote {made.document.title} {made.document.number} to {args.output}"
        + (f" (seal {seal})" if seal else ""),
        file=sys.stderr,
    )
    return 0
