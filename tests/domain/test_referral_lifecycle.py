"""Referral (移交纪检监察): made with evidence positions, acknowledged, outcome recorded."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.errors import InvalidTransition, ValidationError
from domain.referral import Referral, ReferralState
from tests.domain.builders import (
    ITEM_ID,
    LEAD,
    T0,
    Clock,
    assert_refused,
    event_names,
    meta,
)
from tests.domain.builders_oversight import referral_in

S = ReferralState


def make(evidence: list[int], reason: str = "约谈后仍未整改") -> Referral:
    return Referral.make(
        ITEM_ID,
        unit=LEAD,
        persons=[" 李四 ", " "],
        reason=reason,
        evidence=evidence,
        cited_items=[UUID(int=7), UUID(int=8), UUID(int=7)],
        meta=meta(T0),
    )


def test_a_referral_keeps_its_evidence_positions_sorted_and_unique() -> None:
    r = make([12, 5, 12])
    assert r.state is S.MADE
    assert r.evidence == (5, 12)
    assert r.persons == ("李四",)
    assert r.cited_items == (UUID(int=7), UUID(int=8))
    assert (r.outcome, r.accountable) == (None, None)


@pytest.mark.parametrize(
    ("evidence", "reason", "field"),
    [
        ([], "r", "evidence"),
        ([0], "r", "evidence"),
        ([3, -1], "r", "evidence"),
        ([1], " ", "reason"),
    ],
)
def test_a_referral_without_valid_evidence_positions_or_a_reason_is_refused(
    evidence: list[int], reason: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        make(evidence, reason)
    assert caught.value.field == field


def test_a_referral_is_acknowledged_and_its_outcome_recorded(clock: Clock) -> None:
    r = referral_in("made", clock)
    r.acknowledge(" 已受理 ", clock.next())
    assert r.state is S.ACKNOWLEDGED
    r.record_outcome("诫勉谈话", True, clock.next())
    assert (r.state, r.outcome, r.accountable) == (S.CONCLUDED, "诫勉谈话", True)
    assert event_names(r) == ["Made", "Acknowledged", "OutcomeRecorded"]


def test_an_outcome_needs_text(clock: Clock) -> None:
    r = referral_in("acknowledged", clock)
    assert_refused(
        r, ValidationError, lambda: r.record_outcome("  ", False, clock.next()), "outcome"
    )


@pytest.mark.parametrize("state", ["acknowledged", "concluded"])
def test_only_a_new_referral_can_be_acknowledged(clock: Clock, state: str) -> None:
    r = referral_in(state, clock)
    error = assert_refused(r, InvalidTransition, lambda: r.acknowledge("", clock.next()))
    assert (error.item_type, error.state) == ("Referral", state)


@pytest.mark.parametrize("state", ["made", "concluded"])
def test_only_an_acknowledged_referral_gets_an_outcome(clock: Clock, state: str) -> None:
    r = referral_in(state, clock)
    error = assert_refused(
        r, InvalidTransition, lambda: r.record_outcome("处分", True, clock.next())
    )
    assert (error.item_type, error.state) == ("Referral", state)
