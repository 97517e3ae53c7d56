"""Findings (问题发现): what the supervision found that a measure (整改措施) can come from.

A finding is founded when it is established: a complaint verified as founded (or whose
"unfounded" finding was overturned on appeal: ``Complaint.founded``), an interview (约谈)
held, a legacy problem registered in the master ledger (its registration is the finding).
A media complaint is an exposure (媒体曝光); the other channels' are complaints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID

from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.interview import Interview, InterviewState
from domain.legacy_issue import LegacyIssue
from domain.meta import LedgerItem

FINDINGS = "findings"
"""The input naming a measure's findings (what a refusal names)."""


class FindingKind(Enum):
    """What kind of finding a measure comes from."""

    COMPLAINT = "complaint"
    EXPOSURE = "exposure"
    INTERVIEW = "interview"
    LEGACY_ISSUE = "legacy_issue"


@dataclass(frozen=True)
class Finding:
    """A founded finding a measure cites: the item, its kind, the day it was founded."""

    item: UUID
    kind: FindingKind
    founded_on: date


def finding_of(item: LedgerItem) -> Finding:
    """``item`` as a founded finding; a ``ValidationError`` naming ``findings`` when it is
    no complaint, interview or legacy problem, or is not founded (yet)."""
    if isinstance(item, Complaint):
        return _complaint(item)
    if isinstance(item, Interview):
        if item.state not in (InterviewState.HELD, InterviewState.FOLLOWED_UP):
            raise _refused(item, f"is {item.state.value}: only an interview held is a finding")
        assert item.held_on is not None
        return Finding(item.id, FindingKind.INTERVIEW, item.held_on)
    if isinstance(item, LegacyIssue):
        return Finding(item.id, FindingKind.LEGACY_ISSUE, item.registered_on)
    raise _refused(item, "is no complaint, interview or legacy problem")


def _complaint(c: Complaint) -> Finding:
    if c.founded is not True or c.founded_on is None:
        raise _refused(c, "is not founded: only a complaint verified as founded is a finding")
    kind = FindingKind.EXPOSURE if c.channel is Channel.MEDIA else FindingKind.COMPLAINT
    return Finding(c.id, kind, c.founded_on)


def _refused(item: LedgerItem, why: str) -> ValidationError:
    return ValidationError(FINDINGS, f"{item.item_type} {item.id} {why}")
