"""Making a document: the font found first (a missing one is refused before anything is
read), then its contents and the seal read over one connection, then the PDF laid out.
The CLI (``ledger document``) and the service (``GET /documents/...``) both call
``make_document``; neither knows how a document is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Connection, Engine

from api.documents.bulletin import monthly_bulletin
from api.documents.fonts import document_font
from api.documents.glyphs import covered
from api.documents.layout import Document, Stamp
from api.documents.oversight_letters import ItemNotFound, interview_notice, referral_letter
from api.documents.records import sight_of
from api.documents.render import render
from domain.timeliness import TimeRules
from projections.seal import latest_seal_as_kept, views_reached
from projections.views.listing import concerns

KINDS = {
    "monthly-bulletin": "督办通报",
    "interview-notice": "约谈通知书",
    "referral-letter": "移交函",
}
"""Each document's name in the CLI and the URL, and in Chinese."""
LISTING = {"interview-notice": "interviews", "referral-letter": "referrals"}


@dataclass(frozen=True)
class Order:
    """What to make: the document's kind and what it is about (a month ``YYYY-MM``, or an
    interview's or referral's id); ``confined_to``: the unit asking, who may have only a
    document about its own item (any other reads as not found)."""

    kind: str
    subject: str
    made_by: str
    confined_to: str | None = None
    hidden_item_types: tuple[str, ...] = ()
    """The item types whose events the unit asking may not see (only with ``confined_to``)."""


@dataclass(frozen=True)
class Made:
    """The PDF, with the document it prints (its 文号 and seal)."""

    pdf: bytes
    document: Document

    @property
    def filename(self) -> str:
        return f"{KINDS[self.document.kind]}-{self.document.number}.pdf"


def make_document(
    engine: Engine, rules: TimeRules, order: Order, *, now: datetime, today: date, font: str
) -> Made:
    """The document ``order`` asks for, made ``now``: ``ValidationError`` for a bad month,
    ``ItemNotFound`` for an item that is not there (or not the unit's),
    ``DocumentFontMissing`` when no font can be had."""
    faces = document_font(font)
    with engine.connect() as conn, conn.begin():
        stamp = Stamp(latest_seal_as_kept(conn), now, order.made_by, views_reached(conn))
        document = _contents(conn, rules, order, today, stamp)
    document = covered(document, faces)  # what the font cannot set, marked and listed
    return Made(render(document, faces), document)


def _contents(
    conn: Connection, rules: TimeRules, order: Order, today: date, stamp: Stamp
) -> Document:
    if order.kind == "monthly-bulletin":
        return monthly_bulletin(conn, rules, order.subject, today, stamp)
    item_id = _item_id(order.subject)
    if order.confined_to is not None and not concerns(
        conn, LISTING[order.kind], item_id, order.confined_to
    ):
        raise ItemNotFound(order.subject)
    sight = sight_of(order.confined_to, order.hidden_item_types)
    if order.kind == "interview-notice":
        return interview_notice(conn, item_id, stamp, sight)
    return referral_letter(conn, item_id, stamp, sight)


def _item_id(text: str) -> str:
    """The item's id as the read models keep it; any text that is no id is not found."""
    try:
        return str(UUID(text.strip()))
    except ValueError:
        raise ItemNotFound(text) from None
