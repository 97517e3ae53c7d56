"""A character the document's font has no glyph for (an emoji, a CJK Extension B ideograph)
is printed as 〓 and listed by code point in a note: never an empty box that reads as
nothing. Checked on the PDF's text (``pdftotext``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from api.documents.fonts import document_font
from api.documents.glyphs import characters
from domain.person import Person
from domain.unit import UnitKind
from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import beijing, caught_up, now
from tests.api.test_documents import text_of

pytestmark = pytest.mark.slow  # PDFs made and read back with poppler: end to end

REASON = "整改不力😀，涉及𠀀字号企业"


def test_characters_the_font_lacks_are_marked_and_listed_in_a_note(
    live: LiveServer, tmp_path: Path
) -> None:
    faces = document_font(live.services.settings.document_font)
    assert not {0x1F600, 0x20000} & characters(faces.regular)  # the font lacks both
    ledger = live.services.ledger
    unit = ledger.register_unit(now(), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    task = ledger.register_task(now(), plan_year=2021, number=1, title="工程建设项目审批提速")
    interview = ledger.schedule_interview(
        now(),
        unit=unit,
        reason=REASON,
        cited_items=[task.item_id],
        scheduled_for=beijing(date.today() + timedelta(days=7), 9),
        interviewees=[Person("王某😀", "局长")],
    ).item_id
    caught_up(live)
    path = f"/documents/interview-notice/{interview}.pdf"
    response = live.client.get(path, headers=live.auth(OFFICE))
    assert response.status_code == 200
    text = "".join(text_of(response.content, tmp_path, "notice").split())
    assert "整改不力〓，涉及〓字号企业" in text and "王某〓" in text
    assert "😀" not in text and "𠀀" not in text
    assert "本文件所用字体缺少2个字符（U+1F600、U+20000），文中以〓标示" in text
