"""The items as GraphQL nodes, read from the projections' tables, and how each type of
item is found: its listing and its node builder (``NODE_KINDS``). The types themselves
are in ``unit_node``, ``work_nodes`` and ``oversight_nodes``.
"""

from __future__ import annotations

from typing import Any

from api.graphql.enterprise_nodes import Enterprise
from api.graphql.measure_nodes import Measure
from api.graphql.oversight_nodes import Assessment, Interview, LegacyIssue, LegacyTarget, Referral
from api.graphql.unit_node import unit_from_row
from api.graphql.work_nodes import Complaint, Task

# Item type -> (listing of projections.views.listing, node builder)
NODE_KINDS: dict[str, tuple[str, Any]] = {
    "Unit": ("units", unit_from_row),
    "Task": ("tasks", Task.from_row),
    "Complaint": ("complaints", Complaint.from_row),
    "LegacyIssue": ("legacy_issues", LegacyIssue.from_row),
    "LegacyTarget": ("legacy_targets", LegacyTarget.from_row),
    "Interview": ("interviews", Interview.from_row),
    "Referral": ("referrals", Referral.from_row),
    "Assessment": ("assessments", Assessment.from_row),
    "Measure": ("measures", Measure.from_row),
    "Enterprise": ("enterprises", Enterprise.from_row),
}
