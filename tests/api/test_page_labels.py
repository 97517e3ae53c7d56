"""The pages say what the exports say: their labels are the product's own (api/labels.py),
written to api/web/src/common/labels.json by ``ledger export-labels``, for every value of
every enum of the API."""

from __future__ import annotations

import json
from pathlib import Path

from api.graphql.enums import ENUMS
from api.labels import page_labels, page_labels_json
from domain.score_formula import FULL_MARKS, PENALTIES, RATES

LABELS_FILE = Path(__file__).resolve().parents[2] / "api" / "web" / "src" / "common" / "labels.json"


def test_the_pages_labels_file_is_in_step_with_the_products_labels() -> None:
    assert LABELS_FILE.read_text(encoding="utf-8") == page_labels_json(), (
        "api/web/src/common/labels.json is stale: "
        ".venv/bin/ledger export-labels --output api/web/src/common/labels.json"
    )


def test_every_value_of_every_enum_of_the_api_has_a_chinese_label() -> None:
    labels = page_labels()
    for kind in ENUMS:
        assert set(labels[kind.__name__]) == {code.name for code in kind}, kind.__name__
        for code in kind:
            shown = labels[kind.__name__][code.name]
            assert shown and shown != code.value and not shown.isascii(), (kind, code, shown)


def test_the_labels_file_is_json_the_pages_can_import() -> None:
    assert json.loads(LABELS_FILE.read_text(encoding="utf-8")) == page_labels()


def test_every_term_of_a_units_score_has_a_chinese_label() -> None:
    terms = page_labels()["ScoreTerm"]
    assert set(terms) == {*RATES, *PENALTIES, FULL_MARKS}
    assert all(shown and not shown.isascii() for shown in terms.values()), terms
