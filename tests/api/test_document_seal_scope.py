"""What a document's seal box claims: the seal's position and, beside it, the positions the
read models its figures come from had reached; records past the seal are said to be outside
what ``ledger verify --against`` checks, never claimed as checked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete

from api.documents.layout import Stamp, seal_lines
from domain.unit import UnitKind
from projections import tables as t
from projections.seal import Seal
from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import caught_up, last, now
from tests.api.test_documents import text_of

pytestmark = pytest.mark.slow  # PDFs made and read back with poppler: end to end

MADE = datetime(2021, 7, 5, 2, 0, tzinfo=UTC)


def flat(lines: tuple[str, ...]) -> str:
    return "".join(lines)


def test_a_seal_covering_the_views_says_so_and_what_verify_checks() -> None:
    text = flat(seal_lines(Stamp(Seal(40, b"\x01" * 32), MADE, "office-zhang", (38, 40))))
    assert "所据视图：截至台账第 38 至 40 号记录（各视图不一），均在印证范围内。" in text
    assert "即台账第 1 至 40 号记录自印证以来未被改动" in text


def test_views_past_the_seal_are_named_as_outside_what_verify_checks() -> None:
    text = flat(seal_lines(Stamp(Seal(30, b"\x01" * 32), MADE, "office-zhang", (45, 45))))
    assert "所据视图：截至台账第 45 号记录；第 31 至 45 号记录晚于印证，不在其核验范围内。" in text
    assert "至今未被改动" not in text


def test_a_bulletin_made_while_the_seal_lags_prints_both_positions(
    live: LiveServer, tmp_path: Path
) -> None:
    ledger = live.services.ledger
    for name in ("区住建局", "区市场监管局", "区发改局"):
        ledger.register_unit(now(), name=name, kind=UnitKind.DEPARTMENT)
    caught_up(live)
    newest = last(live)
    with live.services.engine.begin() as conn:  # the seal's projection behind the views
        conn.execute(delete(t.seal_chain).where(t.seal_chain.c.position > 1))
    response = live.client.get("/documents/monthly-bulletin/2021-06.pdf", headers=live.auth(OFFICE))
    assert response.status_code == 200
    text = "".join(text_of(response.content, tmp_path, "bulletin").split())
    assert "台账印证：截至台账第1号记录" in text
    assert f"第2至{newest}号记录晚于印证，不在其核验范围内" in text
