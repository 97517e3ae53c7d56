"""``ledger export`` and the API read the same read models: for one ledger, the exported
tasks, complaints and legacy issues are the items the GraphQL lists answer, field for field
wherever both show one (the export's codes are the API's enum values, in lower case)."""

from __future__ import annotations

from typing import Any

import pytest

from api.cli.export import exporter_for
from api.cli.generate import generate
from domain.channels import Channel
from domain.complaint_events import ComplaintState
from domain.escalation import Tier
from domain.legacy_issue import LegacyCategory, LegacyState
from domain.task_events import TaskState
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, walk
from tests.clock import today
from tests.conftest import settings_for

TASK = """itemId version state planYear number section title progress deadline light tier
    urgeCount leadUnits { name } cooperatingUnits { name }"""
COMPLAINT = """itemId version state channel receivedOn closeBy deadlineProvisional closedOn
    overdue returns reopenings satisfied rewardYuan firstResponder { name }
    accountableUnit { name } handlingUnit { name }"""
LEGACY_ISSUE = """itemId version state title category tier targetYear baseline
    responsibleUnit { name }"""


def exported(sqlite_url: str, what: str) -> dict[str, dict[str, Any]]:
    with exporter_for(settings_for(sqlite_url), what, today()) as exporter:
        return {row["id"]: row for row in exporter.rows(what)}


def listed(live: LiveServer, field: str, selection: str) -> dict[str, dict[str, Any]]:
    nodes, _ = walk(live, field, first=100, selection=selection)
    return {node["itemId"]: node for node in nodes}


def names(units: list[dict[str, str]]) -> list[str]:
    return [unit["name"] for unit in units]


def name(unit: dict[str, str] | None) -> str:
    return unit["name"] if unit else ""


@pytest.mark.slow
def test_the_exports_answer_what_the_graphql_lists_answer(
    live: LiveServer, sqlite_url: str
) -> None:
    generate(live.services.ledger, events=1500, seed=7, progress=False)
    caught_up(live)

    tasks, api_tasks = exported(sqlite_url, "tasks"), listed(live, "tasks", TASK)
    assert tasks.keys() == api_tasks.keys() and len(tasks) > 20
    for item_id, row in tasks.items():
        node = api_tasks[item_id]
        assert (row["version"], TaskState(row["status"]).name) == (node["version"], node["state"])
        assert (row["plan_year"], row["number"]) == (node["planYear"], node["number"])
        assert (row["section"], row["title"]) == (node["section"], node["title"])
        assert (row["progress"], row["urge_count"]) == (node["progress"], node["urgeCount"])
        assert row["deadline"] == (node["deadline"] or "")
        assert row["light"] == (node["light"] or "").lower()
        assert Tier(row["tier"]).name == node["tier"]
        assert row["lead_units"] == names(node["leadUnits"])
        assert row["cooperating_units"] == names(node["cooperatingUnits"])

    complaints = exported(sqlite_url, "complaints")
    api_complaints = listed(live, "complaints", COMPLAINT)
    assert complaints.keys() == api_complaints.keys() and len(complaints) > 50
    for item_id, row in complaints.items():
        node = api_complaints[item_id]
        assert row["version"] == node["version"]
        assert ComplaintState(row["status"]).name == node["state"]
        assert Channel(row["channel"]).name == node["channel"]
        assert (row["received_on"], row["close_by"]) == (node["receivedOn"], node["closeBy"])
        assert row["close_by_provisional"] == node["deadlineProvisional"]
        assert row["closed_on"] == (node["closedOn"] or "")
        if not row["closed_on"]:  # the export also counts a case closed late as overdue
            assert row["overdue"] == node["overdue"]
        assert (row["returns"], row["reopenings"]) == (node["returns"], node["reopenings"])
        assert (row["satisfied"], row["reward_yuan"]) == (node["satisfied"], node["rewardYuan"])
        assert row["first_responder"] == name(node["firstResponder"])
        assert row["accountable_unit"] == name(node["accountableUnit"])
        assert row["handling_unit"] == name(node["handlingUnit"])

    issues = exported(sqlite_url, "legacy-issues")
    api_issues = listed(live, "legacyIssues", LEGACY_ISSUE)
    assert issues.keys() == api_issues.keys() and len(issues) > 10
    for item_id, row in issues.items():
        node = api_issues[item_id]
        assert row["version"] == node["version"]
        assert LegacyState(row["status"]).name == node["state"]
        assert (row["title"], row["target_year"]) == (node["title"], node["targetYear"])
        assert LegacyCategory(row["category"]).name == node["category"]
        assert Tier(row["tier"]).name == node["tier"]
        assert row["baseline"] == node["baseline"]
        assert row["responsible_unit"] == name(node["responsibleUnit"])
