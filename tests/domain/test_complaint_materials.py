"""一次告知: the unit handling a case asks for every missing item at once; a later request
naming an item its first request did not list is recorded, and marked a breach."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.complaint import Complaint
from domain.errors import InvalidTransition, ValidationError
from domain.materials import MaterialRequest, breaches_once_notice
from domain.text import enforcing, limits_in_force
from tests.conftest import examples
from tests.domain.builders import (
    COMPLAINT_STEPS,
    LEAD,
    OTHER,
    Clock,
    assert_refused,
    complaint_through,
    rules,
)

LICENCE, ID_CARD, LEASE = "营业执照副本", "法人身份证复印件", "租赁合同"
HANDLING = ("signed_for", "verified")


def asked(c: Complaint, clock: Clock, *items: str) -> MaterialRequest:
    c.request_materials(list(items), "", clock.next())
    return c.material_requests[-1]


def requested_events(c: Complaint) -> list[Complaint.MaterialsRequested]:
    return [e for e in c.pending_events if isinstance(e, Complaint.MaterialsRequested)]


def test_a_first_request_for_materials_is_recorded_with_its_items_and_no_breach(
    clock: Clock,
) -> None:
    c = complaint_through(clock, "dispatch sign")
    c.request_materials([f" {LICENCE} ", ID_CARD], "请三个工作日内补齐", clock.next())
    (event,) = requested_events(c)
    assert (event.unit, event.materials, event.breach) == (LEAD, [LICENCE, ID_CARD], False)
    assert event.note == "请三个工作日内补齐"
    assert c.material_requests == (
        MaterialRequest(LEAD, (LICENCE, ID_CARD), event.business_date, False, "请三个工作日内补齐"),
    )


def test_a_second_request_naming_an_item_the_first_did_not_list_is_recorded_as_a_breach(
    clock: Clock,
) -> None:
    c = complaint_through(clock, "dispatch sign")
    asked(c, clock, LICENCE, ID_CARD)
    second = asked(c, clock, LICENCE, LEASE)
    assert second.breach
    assert [e.breach for e in requested_events(c)] == [False, True]


def test_a_second_request_naming_only_items_already_listed_is_no_breach(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    asked(c, clock, LICENCE, ID_CARD)
    assert not asked(c, clock, ID_CARD).breach
    assert not asked(c, clock, ID_CARD, LICENCE).breach


def test_every_later_request_is_judged_against_the_first_list_not_the_last(
    clock: Clock,
) -> None:
    c = complaint_through(clock, "dispatch sign")
    asked(c, clock, LICENCE)
    assert asked(c, clock, LEASE).breach
    assert asked(c, clock, LEASE).breach  # listed by the second request, not by the first


def test_the_unit_may_ask_again_after_verifying_the_case_as_founded(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    asked(c, clock, LICENCE)
    c.verify(True, "情况属实", clock.next())
    assert asked(c, clock, LEASE).breach


def test_a_unit_the_case_is_redispatched_to_gives_its_own_first_notice(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    asked(c, clock, LICENCE)
    c.return_(LEAD, "不属本单位职责", clock.next())
    c.dispatch(OTHER, rules(), clock.next())
    c.sign_for(OTHER, clock.next())
    first_of_other = asked(c, clock, LEASE)
    assert (first_of_other.unit, first_of_other.breach) == (OTHER, False)
    assert asked(c, clock, LICENCE).breach  # the other unit's first list did not name it


@pytest.mark.parametrize("items", [[], ["  "], [LICENCE, ""]])
def test_a_request_listing_no_item_or_a_blank_one_is_refused_naming_items(
    clock: Clock, items: list[str]
) -> None:
    c = complaint_through(clock, "dispatch sign")
    assert_refused(
        c, ValidationError, lambda: c.request_materials(items, "", clock.next()), "items"
    )


def test_an_item_listed_twice_in_one_request_is_refused_naming_items(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    error = assert_refused(
        c,
        ValidationError,
        lambda: c.request_materials([LICENCE, f"{LICENCE} "], "", clock.next()),
        "items",
    )
    assert "entry 2 repeats" in str(error)


def test_the_policy_limits_how_many_items_and_how_long_each_may_be(clock: Clock) -> None:
    c = complaint_through(clock, "dispatch sign")
    limits = limits_in_force()
    assert (limits.entries("materials"), limits.characters("materials")) == (50, 200)
    many = [f"材料{n}" for n in range(51)]
    error = assert_refused(
        c, ValidationError, lambda: c.request_materials(many, "", clock.next()), "items"
    )
    assert "51 entries; the limit is 50" in str(error)
    long = [LICENCE, "证" * 201]
    error = assert_refused(
        c, ValidationError, lambda: c.request_materials(long, "", clock.next()), "items"
    )
    assert "entry 2 is 201 characters long; the limit is 200" in str(error)
    stricter = dataclasses.replace(limits, lists={**limits.lists, "materials": 2})
    with enforcing(stricter):
        assert_refused(
            c,
            ValidationError,
            lambda: c.request_materials([LICENCE, ID_CARD, LEASE], "", clock.next()),
            "items",
        )


@pytest.mark.parametrize("state", [s for s in COMPLAINT_STEPS if s not in HANDLING])
def test_materials_are_requested_only_while_the_unit_handles_the_case(
    clock: Clock, state: str
) -> None:
    c = complaint_through(clock, COMPLAINT_STEPS[state])
    error = assert_refused(
        c, InvalidTransition, lambda: c.request_materials([LICENCE], "", clock.next())
    )
    assert isinstance(error, InvalidTransition)
    assert (error.state, error.step) == (state, "have materials requested")


ITEMS = st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=4, unique=True)


@settings(max_examples=examples(100))
@given(requests=st.lists(ITEMS, min_size=1, max_size=6))
def test_the_breaches_are_the_requests_after_the_first_naming_an_item_it_did_not_list(
    requests: list[list[str]],
) -> None:
    clock = Clock()
    c = complaint_through(clock, "dispatch sign")
    for items in requests:
        c.request_materials(items, "", clock.next())
    first = set(requests[0])
    expected = [False] + [not set(items) <= first for items in requests[1:]]
    assert [r.breach for r in c.material_requests] == expected
    assert [e.breach for e in requested_events(c)] == expected
    assert breaches_once_notice(None, requests[0]) is False
