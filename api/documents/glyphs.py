"""Characters the document's font has no glyph for (an emoji, a rare ideograph of CJK
Extension B such as 𠀀): each is printed as ``MARKER`` and a note at the end of the body lists
them by code point, so a document never carries an empty box that reads as nothing, and
the reader knows what was there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from api.documents.fonts import DocumentFont, Face
from api.documents.layout import Block, Document, Heading, Paragraph

MARKER = "〓"
"""The 空缺号 (geta mark) of Chinese typesetting, for a character that cannot be set."""


@lru_cache(maxsize=8)
def characters(face: Face) -> frozenset[int]:
    """The code points ``face`` has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset((font.getBestCmap() or {}).keys())


def covered(document: Document, font: DocumentFont) -> Document:
    """``document`` with every character the font lacks (in either face) replaced by
    ``MARKER``, and a note listing them when there were any."""
    known = characters(font.regular) & characters(font.bold)
    missing: dict[str, None] = {}

    def fix(text: str) -> str:
        if all(ord(c) in known or c.isspace() for c in text):
            return text
        out = []
        for c in text:
            if ord(c) in known or c.isspace():
                out.append(c)
            else:
                missing.setdefault(c)
                out.append(MARKER)
        return "".join(out)

    blocks = tuple(_block(b, fix) for b in document.blocks)
    made = replace(
        document,
        title=fix(document.title),
        number=fix(document.number),
        addressee=fix(document.addressee),
        blocks=blocks,
        stamp=replace(document.stamp, made_by=fix(document.stamp.made_by)),
    )
    if not missing:
        return made
    named = "、".join(f"U+{ord(c):04X}" for c in missing)
    note = Paragraph(f"注：本文件所用字体缺少{len(missing)}个字符（{named}），文中以{MARKER}标示。")
    return replace(made, blocks=(*made.blocks, note))


def _block(block: Block, fix: Callable[[str], str]) -> Block:
    if isinstance(block, Heading | Paragraph):
        return replace(block, text=fix(block.text))
    return replace(
        block,
        header=tuple(fix(h) for h in block.header),
        rows=tuple(tuple(fix(c) for c in row) for row in block.rows),
        empty=fix(block.empty),
    )
