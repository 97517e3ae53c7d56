"""The ledger's enums as GraphQL enums (values by member name: ``HOTLINE_12345``)."""

from __future__ import annotations

import strawberry

from domain.assessment import (
    AssessmentKind,
    AssessmentState,
    Verdict,
)
from domain.channels import Channel
from domain.complaint_events import ComplaintState
from domain.enterprise import EnterpriseState
from domain.escalation import Tier
from domain.finding import FindingKind
from domain.interview import InterviewState
from domain.legacy_issue import LegacyCategory, LegacyState
from domain.legacy_target import TargetShortfall, TargetState
from domain.measure import MeasureKind, MeasureState
from domain.meta import Role
from domain.referral import ReferralState
from domain.task_events import TaskState
from domain.timeliness import Light
from domain.unit import UnitKind, UnitState

ENUMS = (
    AssessmentKind,
    AssessmentState,
    Verdict,
    Channel,
    ComplaintState,
    EnterpriseState,
    Tier,
    InterviewState,
    LegacyCategory,
    LegacyState,
    TargetState,
    TargetShortfall,
    Role,
    ReferralState,
    TaskState,
    Light,
    UnitKind,
    UnitState,
    MeasureKind,
    MeasureState,
    FindingKind,
)

for _enum in ENUMS:
    strawberry.enum(_enum, description=(_enum.__doc__ or "").strip() or None)

__all__ = [
    "AssessmentKind",
    "AssessmentState",
    "Channel",
    "ComplaintState",
    "EnterpriseState",
    "FindingKind",
    "InterviewState",
    "LegacyCategory",
    "LegacyState",
    "Light",
    "MeasureKind",
    "MeasureState",
    "ReferralState",
    "Role",
    "TargetShortfall",
    "TargetState",
    "TaskState",
    "Tier",
    "UnitKind",
    "UnitState",
    "Verdict",
]
