"""A failure of the ledger's own machinery (its storage, its keys) is not a refusal of the
client's input: the client is told "Unexpected error.", the server's log says what broke,
and nothing is written. It was answered as a ValidationError of the field "input"."""

from __future__ import annotations

import logging

import pytest

from tests.api.conftest import LiveServer
from tests.api.helpers import mutation_document


def test_a_write_the_storage_cannot_make_is_an_unexpected_error_logged_not_bad_input(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    live.token()  # the office's token is issued while the ledger can still write
    ledger = live.services.ledger
    head = ledger.recorder.max_notification_id()
    signer = ledger.recorder.signer  # type: ignore[attr-defined]
    ledger.recorder.signer = None  # type: ignore[attr-defined]  # it can no longer sign
    try:
        with caplog.at_level(logging.ERROR):
            answer = live.post(
                mutation_document("registerUnit"),
                {"input": {"name": "区住建局", "kind": "DEPARTMENT"}},
            ).json()
    finally:
        ledger.recorder.signer = signer  # type: ignore[attr-defined]

    assert answer["data"] is None
    (error,) = answer["errors"]
    assert error["message"] == "Unexpected error."
    assert "no signing key" not in str(answer) and "field" not in error.get("extensions", {})
    assert any("no signing key" in r.getMessage() or r.exc_info for r in caplog.records)
    assert ledger.recorder.max_notification_id() == head
