"""Interview (约谈): the office summons the head of a lagging unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import BusinessTimeRefused, ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.person import Person, checked_people


class InterviewState(Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    FOLLOWED_UP = "followed_up"
    CANCELLED = "cancelled"


S = InterviewState


class Interview(LedgerItem):
    """A 约谈 of a unit head over cited items: scheduled, held, followed up."""

    item_type = "Interview"

    class Scheduled(LedgerCreated):
        """Version 2 names the people interviewed, each with a post (``interviewees``);
        version 1 named them as one free text (``interviewee``), which version 2 still
        takes from the deprecated input and which is kept as it was given."""

        class_version = 2
        unit: UUID
        interviewee: str | None
        interviewees: list[Person]
        reason: str
        cited_items: list[UUID]
        scheduled_for: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["interviewees"] = []

        def apply(self, iv: Interview) -> None:
            iv.unit, iv.interviewee, iv.reason = self.unit, self.interviewee, self.reason
            iv.interviewees = tuple(self.interviewees) or (Person.named_as(self.interviewee or ""),)
            iv.cited_items, iv.scheduled_for = tuple(self.cited_items), self.scheduled_for
            iv.rectify_by, iv.rectified = None, False
            iv.held_on, iv.rectified_on = None, None
            iv.state = S.SCHEDULED

    class Held(LedgerEvent):
        facts: str
        commitments: list[str]
        demands: list[str]
        rectify_by: date

        def apply(self, iv: Interview) -> None:
            iv.rectify_by, iv.held_on = self.rectify_by, self.business_date
            iv.state = S.HELD

    class FollowUpRecorded(LedgerEvent):
        narrative: str
        rectified: bool

        def apply(self, iv: Interview) -> None:
            iv.rectified = self.rectified
            if self.rectified:
                iv.rectified_on = self.business_date
            iv.state = S.FOLLOWED_UP

    class Cancelled(LedgerEvent):
        reason: str

        def apply(self, iv: Interview) -> None:
            iv.state = S.CANCELLED

    if TYPE_CHECKING:
        unit: UUID
        interviewee: str | None  # as recorded: free text (version 1, deprecated input)
        interviewees: tuple[Person, ...]  # whichever shape was recorded
        reason: str
        cited_items: tuple[UUID, ...]
        scheduled_for: datetime
        held_on: date | None
        rectify_by: date | None
        rectified: bool
        rectified_on: date | None  # the day a follow-up confirmed the rectification
        state: InterviewState

    @classmethod
    def schedule(
        cls,
        item_id: UUID,
        *,
        unit: UUID,
        reason: str,
        cited_items: Sequence[UUID],
        scheduled_for: datetime,
        meta: EventMeta,
        interviewees: Sequence[Person] = (),
        interviewee: str | None = None,
    ) -> Interview:
        """Schedule the interview of ``interviewees`` (people with posts) or, as before
        they had posts, of ``interviewee`` (free text): one of the two."""
        if interviewee is not None and interviewees:
            raise ValidationError("interviewee", "give interviewees or interviewee, not both")
        if not cited_items:
            raise ValidationError("cited_items", "an interview cites at least one item")
        if scheduled_for < meta.occurred_at:
            raise ValidationError("scheduled_for", "is before the scheduling itself")
        return cls._start(
            cls.Scheduled,
            meta,
            item_id,
            unit=unit,
            interviewee=None if interviewee is None else require_text("interviewee", interviewee),
            interviewees=[]
            if interviewee is not None
            else checked_people("interviewees", interviewees),
            reason=require_text("reason", reason),
            cited_items=list(dict.fromkeys(cited_items)),
            scheduled_for=scheduled_for,
        )

    def hold(
        self,
        *,
        facts: str,
        commitments: Sequence[str],
        demands: Sequence[str],
        rectify_by: date,
        meta: EventMeta,
    ) -> None:
        self._require("be held", S.SCHEDULED)
        if meta.occurred_at < self.scheduled_for:
            raise BusinessTimeRefused(
                f"{meta.occurred_at.isoformat()} is before the interview's scheduled time "
                f"({self.scheduled_for.isoformat()}): an interview is held once it is due"
            )
        if rectify_by <= meta.business_date:
            raise ValidationError("rectify_by", "must be after the interview")
        self._emit(
            self.Held,
            meta,
            facts=require_text("facts", facts),
            commitments=list(commitments),
            demands=list(demands),
            rectify_by=rectify_by,
        )

    def record_follow_up(self, narrative: str, rectified: bool, meta: EventMeta) -> None:
        self._require("record a follow-up", S.HELD, S.FOLLOWED_UP)
        if self.rectified:
            raise self._refuse("record a follow-up", "rectification already confirmed")
        self._emit(
            self.FollowUpRecorded,
            meta,
            narrative=require_text("narrative", narrative),
            rectified=rectified,
        )

    def cancel(self, reason: str, meta: EventMeta) -> None:
        self._require("be cancelled", S.SCHEDULED)
        self._emit(self.Cancelled, meta, reason=require_text("reason", reason))
