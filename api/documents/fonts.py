"""The CJK font the documents embed: ``LEDGER_DOCUMENT_FONT``, or the first of the usual
places a system keeps Noto, Source Han or WenQuanYi fonts.

A collection (``.ttc``) holds several faces; the Simplified Chinese one (``SC``) is taken.
A font that is not there, cannot be read or has no Chinese glyphs is refused with one
line naming the setting: a document is never made with boxes (tofu) for its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from domain.errors import OperationalFailure

SETTING = "LEDGER_DOCUMENT_FONT"
SEARCHED = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-serif/SourceHanSerif-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-serif/SourceHanSerif-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
"""Where the font is looked for when ``LEDGER_DOCUMENT_FONT`` is not set, in this order."""
NEEDED = "督办通报约谈通知书移交函单位红灯逾期投诉满意率印证台账〔〕：，。〓"
"""Characters every document prints: a face without all of them is not a Chinese font."""
SIMPLIFIED = re.compile(r"\b(SC|GB|Zen Hei|Micro Hei)\b")


class DocumentFontMissing(OperationalFailure):
    """No usable CJK font for the documents: the message names ``LEDGER_DOCUMENT_FONT``."""


@dataclass(frozen=True)
class Face:
    """One face of a font file (``index`` within a collection, 0 for a single font)."""

    path: Path
    index: int
    family: str


@dataclass(frozen=True)
class DocumentFont:
    """The faces the documents are set in: regular, and bold for titles and table heads
    (the regular face again where the family has no bold file beside it)."""

    regular: Face
    bold: Face


def document_font(setting: str) -> DocumentFont:
    """The font named by the setting (a path), else the first usable one of ``SEARCHED``."""
    return _found(setting.strip())


@lru_cache(maxsize=4)
def _found(setting: str) -> DocumentFont:
    if setting:
        path = Path(setting)
        if not path.is_file():
            raise DocumentFontMissing(f"{SETTING}: {setting} is not a font file")
        regular = _chinese_face(path)
        if regular is None:
            raise DocumentFontMissing(
                f"{SETTING}: {setting} has no Simplified Chinese face covering the documents' text"
            )
        return DocumentFont(regular, _bold_beside(regular))
    for candidate in SEARCHED:
        path = Path(candidate)
        face = _chinese_face(path) if path.is_file() else None
        if face is not None:
            return DocumentFont(face, _bold_beside(face))
    raise DocumentFontMissing(
        f"no Chinese font for the documents: set {SETTING} to an OpenType or TrueType font "
        "with Simplified Chinese (e.g. Noto Serif CJK, package fonts-noto-cjk); looked in "
        + ", ".join(SEARCHED)
    )


def _chinese_face(path: Path) -> Face | None:
    """The file's Simplified Chinese face (in a collection: the first named SC, else the
    first with the documents' characters), or None."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        with path.open("rb") as file:
            collection = file.read(4) == b"ttcf"
            file.seek(0)
            fonts = TTCollection(file).fonts if collection else [TTFont(file)]
            faces = list(enumerate(fonts))
            named = [(i, f) for i, f in faces if SIMPLIFIED.search(_family(f))]
            for index, font in named + [f for f in faces if f not in named]:
                cmap = font.getBestCmap() or {}
                if all(ord(c) in cmap for c in NEEDED):
                    return Face(path, index, _family(font))
    except (TTLibError, OSError, AssertionError, KeyError) as error:
        raise DocumentFontMissing(f"{SETTING}: {path} cannot be read as a font: {error}") from None
    return None


def _family(font: object) -> str:
    name = font["name"]  # type: ignore[index]
    return str(name.getDebugName(4) or name.getDebugName(1) or "")


def _bold_beside(face: Face) -> Face:
    """The bold file of the family, same face, where there is one (``...-Bold``)."""
    bold = face.path.with_name(face.path.name.replace("Regular", "Bold"))
    if bold != face.path and bold.is_file():
        return Face(bold, face.index, face.family + " Bold")
    return face
