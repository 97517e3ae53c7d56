"""schema.graphql is the schema the code serves: a test fails when they differ."""

from __future__ import annotations

from pathlib import Path

from api.graphql.build import build_schema

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"


def test_the_committed_schema_file_is_the_schema_the_code_builds() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    built = build_schema().as_str() + "\n"
    assert committed == built, (
        "schema.graphql differs from the code: run `ledger export-schema --output schema.graphql`"
    )


def test_the_fixed_root_names_of_the_design_are_in_the_schema() -> None:
    schema = build_schema()
    sdl = schema.as_str()
    for name in (
        "tasks(",
        "complaints(",
        "legacyIssues(",
        "interviews(",
        "referrals(",
        "node(",
        "units(",
        "history(",
        "events(",
        "supervisionOverview(",
        "legacyIssueTotals(",
        "unitScorecards(",
        "registerTask(",
        "assignTask(",
        "reportProgress(",
        "receiveComplaint(",
        "dispatchComplaint(",
        "registerLegacyIssue(",
        "scheduleInterview(",
        "referToDiscipline(",
        "ledgerEvents(",
        "itemChanged(",
    ):
        assert name in sdl, name
