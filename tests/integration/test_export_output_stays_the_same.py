"""``ledger export`` and ``ledger summary`` write exactly what they wrote before they read the
read models: the same rows, in the same order, with the same labels, masking and formats,
byte for byte, on SQLite and on PostgreSQL.

The ledgers are built the way ``ledger seed`` and ``ledger generate`` build them, so their
contents (ids included) are the same on every run; the exports are taken as of a fixed day,
so the lights and the overdue flags are too. Each export is pinned by its length and its
SHA-256; one that differs is written beside the test's temporary files, to compare.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from api.bootstrap import open_ledger
from api.cli.export import exporter_for
from api.cli.export_formats import WRITERS
from api.cli.generate import generate
from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan
from api.cli.summary import ledger_summary
from api.settings import Settings
from domain.ledger import Ledger
from tests.conftest import settings_for

AS_OF = date(2024, 6, 28)

SEEDED = {
    ("tasks", "json"): (12290, "e469f3dac15be598"),
    ("tasks", "csv"): (5426, "f9d963d1f5de027f"),
    ("complaints", "json"): (3, "37517e5f3dc66819"),
    ("complaints", "csv"): (0, "e3b0c44298fc1c14"),
    ("legacy-issues", "json"): (3, "37517e5f3dc66819"),
    ("legacy-issues", "csv"): (0, "e3b0c44298fc1c14"),
}
SEEDED_SUMMARY = (
    "ledger: 65 events, as of 2024-06-28",
    "督办事项 tasks: 26  红灯 25  黄灯 1",
    "责任单位 units: 10  在册 10",
    "投诉 complaints: 0  ",
    "历史遗留问题 legacy issues: 0  ",
    "约谈 interviews: 0  ",
    "移交纪检监察 referrals: 0  ",
    "考核 assessments: 0  ",
)

GENERATED = {
    ("tasks", "json"): (22771, "36602bb23985acd8"),
    ("tasks", "csv"): (11553, "94ffc7d8f94c8ec3"),
    ("complaints", "json"): (55482, "f2d370bd3489e9b9"),
    ("complaints", "csv"): (18589, "1d30a55863a9d2ec"),
    ("legacy-issues", "json"): (10482, "b40c269f9965f189"),
    ("legacy-issues", "csv"): (3919, "71936d11bc19dab1"),
}
GENERATED_SUMMARY = (
    "ledger: 1516 events, as of 2024-06-28",
    "督办事项 tasks: 44  已销号 37  绿灯 7",
    "责任单位 units: 16  在册 16",
    "投诉 complaints: 118  已办结 90  已受理 8  已签收 7  已整改 4  已核实 3  已派单 3  已回访 2"
    "  已退单 1",
    "历史遗留问题 legacy issues: 28  已销号 21  化解中 7",
    "约谈 interviews: 10  已跟踪整改 9  已安排 1",
    "移交纪检监察 referrals: 2  已办结 2",
    "考核 assessments: 13  已记录 13",
)
"""Changed on purpose in December 2026 (issues 14 and 15): the generator draws a referral's
outcome and accountability together (one draw, not two, so the rest of the run draws
differently), names interviewees with posts and three-teams cases' teams."""


@pytest.fixture
def opened(database_url: str) -> Iterator[tuple[Settings, Ledger]]:
    settings = settings_for(database_url)
    ledger = open_ledger(settings)
    yield settings, ledger
    ledger.close()


def exported(settings: Settings, what: str, form: str) -> str:
    """What ``ledger export WHAT --format FORM`` writes, as of ``AS_OF``."""
    out = io.StringIO()
    with exporter_for(settings, what, AS_OF) as exporter:
        WRITERS[form](exporter.rows(what), out)
    return out.getvalue()


def summary(settings: Settings) -> tuple[str, ...]:
    """The lines ``ledger summary`` prints, as of ``AS_OF``."""
    return tuple(ledger_summary(settings, AS_OF))


def differences(
    settings: Settings, pinned: dict[tuple[str, str], tuple[int, str]], kept: Path
) -> list[str]:
    """The exports that differ from their pins (each then kept in ``kept``, to compare)."""
    found = []
    for (what, form), (length, digest) in pinned.items():
        text = exported(settings, what, form)
        got = (len(text), hashlib.sha256(text.encode()).hexdigest()[:16])
        if got != (length, digest):
            path = kept / f"{what}.{form}"
            path.write_text(text, encoding="utf-8")
            found.append(f"{what} {form}: {got}, not {(length, digest)} (see {path})")
    return found


@pytest.mark.slow
def test_a_seeded_ledger_exports_and_sums_up_as_it_did(
    opened: tuple[Settings, Ledger], tmp_path: Path
) -> None:
    settings, ledger = opened
    seed_plan(ledger, builtin_plan("changxing-2021"))

    assert differences(settings, SEEDED, tmp_path) == []
    assert summary(settings) == SEEDED_SUMMARY


@pytest.mark.slow
def test_a_generated_ledger_exports_and_sums_up_as_it_did(
    opened: tuple[Settings, Ledger], tmp_path: Path
) -> None:
    settings, ledger = opened
    generate(ledger, events=1500, seed=7, progress=False)

    assert differences(settings, GENERATED, tmp_path) == []
    assert summary(settings) == GENERATED_SUMMARY
