"""LegacyIssue (历史遗留问题): an entry of the legacy-problem master ledger (总台账)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ValidationError, require_text
from domain.escalation import Milestone, Tier, check_milestones
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.text import id_from_text


class LegacyCategory(Enum):
    """What kind of legacy problem it is (分类统筹)."""

    LAND = "land"
    PLANNING_CONSTRUCTION = "planning_construction"
    PROPERTY_TITLE = "property_title"
    ARREARS = "arrears"
    EXPROPRIATION = "expropriation"
    ENTERPRISE_DISPUTE = "enterprise_dispute"
    OTHER = "other"


CATEGORY_LABELS = {
    LegacyCategory.LAND: "土地",
    LegacyCategory.PLANNING_CONSTRUCTION: "规划建设",
    LegacyCategory.PROPERTY_TITLE: "不动产确权办证",
    LegacyCategory.ARREARS: "拖欠账款",
    LegacyCategory.EXPROPRIATION: "征地拆迁",
    LegacyCategory.ENTERPRISE_DISPUTE: "涉企纠纷",
    LegacyCategory.OTHER: "其他",
}

TARGET_YEARS = (2021, 2022, 2025)
DERIVED_NUMBER = re.compile(r"YL-\d{6,}")
"""The form of the 台账编号 the ledger gives an issue without a number of its own (its
creation's log position, ``api.exports.item_acts``): never recorded as a number."""


def legacy_issue_id_for(number: str) -> UUID:
    """The id of the issue holding 台账编号 ``number``: one number, one issue."""
    return id_from_text("legacy-issue", "number", number)


def check_number(number: str | None) -> str | None:
    """A 台账编号 as recorded (stripped), None for none; a ``ValidationError`` for a blank
    one or one of the ledger's own derived form (YL- and six digits or more)."""
    if number is None:
        return None
    number = number.strip()
    if not number:
        raise ValidationError("number", "must not be blank (leave it out for none)")
    if DERIVED_NUMBER.fullmatch(number):
        raise ValidationError(
            "number", f"{number!r} has the form of the ledger's own numbers (YL- and digits)"
        )
    return number


def check_parties(parties: Sequence[str]) -> list[str]:
    """The parties as recorded (stripped, blanks dropped); a ``ValidationError`` for one
    holding 、, with which the 台账's exports join them (an import would read two)."""
    found = [p.strip() for p in parties if p.strip()]
    for party in found:
        if "、" in party:
            raise ValidationError(
                "parties", f"{party[:40]!r} holds 、, which separates the parties in the 台账"
            )
    return found


def target_year_allowed(target_year: int, this_year: int) -> bool:
    """The plan's target years, not yet past; once the last has passed (a problem found
    after 2025), this year or a later one."""
    if target_year < this_year:
        return False
    return target_year in TARGET_YEARS or this_year > TARGET_YEARS[-1]


class LegacyState(Enum):
    REGISTERED = "registered"
    PLANNED = "planned"
    SUSPENDED = "suspended"
    RESOLVED = "resolved"


S = LegacyState


class LegacyIssue(LedgerItem):
    """A legacy problem tracked from the baseline survey to 销号 by a target year."""

    item_type = "LegacyIssue"

    class Registered(LedgerCreated):
        title: str
        category: LegacyCategory
        cause: str
        parties: list[str]
        responsible_unit: UUID
        tier: Tier
        target_year: int
        baseline: bool
        number: str | None = None
        """The 台账编号 of the survey it came from, if it has one (``check_number``)."""

        def apply(self, issue: LegacyIssue) -> None:
            issue.number = self.number
            issue.title, issue.category, issue.cause = self.title, self.category, self.cause
            issue.parties = tuple(self.parties)
            issue.responsible_unit, issue.tier = self.responsible_unit, self.tier
            issue.target_year, issue.baseline = self.target_year, self.baseline
            issue.milestones, issue.milestones_reached = (), frozenset()
            issue.reached_in = {}
            issue.registered_on = self.business_date
            issue.resumes_to = None
            issue.state = S.REGISTERED

    class PlanAdopted(LedgerEvent):
        plan: str
        milestones: list[Milestone]

        def apply(self, issue: LegacyIssue) -> None:
            issue.milestones = tuple(self.milestones)
            issue.state = S.PLANNED

    class MilestoneReached(LedgerEvent):
        key: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.milestones_reached = issue.milestones_reached | {self.key}
            issue.reached_in = {**issue.reached_in, self.key: self.originator_version}

    class Escalated(LedgerEvent):
        tier: Tier
        reason: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.tier = self.tier

    class Suspended(LedgerEvent):
        reason: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.resumes_to, issue.state = issue.state, S.SUSPENDED

    class Resumed(LedgerEvent):
        note: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.state = issue.resumes_to or S.REGISTERED
            issue.resumes_to = None

    class ResolutionVerified(LedgerEvent):
        """销号: the resolution was verified and the entry struck off."""

        note: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.state = S.RESOLVED

    class Reopened(LedgerEvent):
        reason: str

        def apply(self, issue: LegacyIssue) -> None:
            issue.state = S.PLANNED

    if TYPE_CHECKING:
        title: str
        category: LegacyCategory
        cause: str
        parties: tuple[str, ...]
        responsible_unit: UUID
        tier: Tier
        target_year: int
        baseline: bool
        number: str | None
        registered_on: date
        milestones: tuple[Milestone, ...]
        milestones_reached: frozenset[str]
        reached_in: dict[str, int]
        """The version that reached each milestone reached, by key."""
        resumes_to: LegacyState | None
        state: LegacyState

    @classmethod
    def register(
        cls,
        item_id: UUID,
        *,
        title: str,
        category: LegacyCategory,
        cause: str,
        parties: Sequence[str],
        responsible_unit: UUID,
        tier: Tier,
        target_year: int,
        baseline: bool,
        meta: EventMeta,
        number: str | None = None,
    ) -> LegacyIssue:
        if not target_year_allowed(target_year, meta.business_date.year):
            raise ValidationError(
                "target_year",
                f"must be one of {TARGET_YEARS} not before this year (after "
                f"{TARGET_YEARS[-1]}: this year or later)",
            )
        return cls._start(
            cls.Registered,
            meta,
            item_id,
            title=require_text("title", title),
            category=category,
            cause=require_text("cause", cause),
            parties=check_parties(parties),
            responsible_unit=responsible_unit,
            tier=tier,
            target_year=target_year,
            baseline=baseline,
            number=check_number(number),
        )

    def adopt_plan(self, plan: str, milestones: Sequence[Milestone], meta: EventMeta) -> None:
        self._require("adopt a plan", S.REGISTERED)
        check_milestones(milestones, None)
        self._emit(
            self.PlanAdopted, meta, plan=require_text("plan", plan), milestones=list(milestones)
        )

    def reach_milestone(self, key: str, meta: EventMeta) -> None:
        self._require("reach a milestone", S.PLANNED)
        if key not in {m.key for m in self.milestones} or key in self.milestones_reached:
            raise ValidationError("key", f"{key!r} is not an open milestone")
        self._emit(self.MilestoneReached, meta, key=key)

    def escalate(self, reason: str, meta: EventMeta) -> None:
        self._require("be escalated", S.REGISTERED, S.PLANNED)
        above = self.tier.above()
        if above is None:
            raise self._refuse("be escalated", "already at the leading group")
        self._emit(self.Escalated, meta, tier=above, reason=require_text("reason", reason))

    def suspend(self, reason: str, meta: EventMeta) -> None:
        self._require("be suspended", S.REGISTERED, S.PLANNED)
        self._emit(self.Suspended, meta, reason=require_text("reason", reason))

    def resume(self, note: str, meta: EventMeta) -> None:
        self._require("resume", S.SUSPENDED)
        self._emit(self.Resumed, meta, note=note.strip())

    def verify_resolution(self, note: str, meta: EventMeta) -> None:
        self._require("be struck off (销号)", S.PLANNED)
        self._emit(self.ResolutionVerified, meta, note=require_text("note", note))

    def reopen(self, reason: str, meta: EventMeta) -> None:
        self._require("reopen", S.RESOLVED)
        self._emit(self.Reopened, meta, reason=require_text("reason", reason))
