"""Unit: registered, renamed (old names kept), merged."""

from __future__ import annotations

import pytest

from domain.errors import InvalidTransition, ValidationError
from domain.unit import Unit, UnitKind, UnitState, unit_id_for
from tests.domain.builders import OTHER, Clock, assert_refused, event_names


def registered(clock: Clock) -> Unit:
    return Unit.register("  区市场监管局 ", UnitKind.DEPARTMENT, clock.next())


def test_a_registered_unit_is_active_under_its_trimmed_name_and_a_stable_id(clock: Clock) -> None:
    unit = registered(clock)
    assert unit.name == "区市场监管局"
    assert unit.kind is UnitKind.DEPARTMENT
    assert unit.state is UnitState.ACTIVE
    assert unit.former_names == ()
    assert unit.merged_into is None
    assert unit.id == unit_id_for("区市场监管局")
    assert unit.version == 1
    assert event_names(unit) == ["Registered"]


def test_a_unit_with_a_blank_name_is_refused(clock: Clock) -> None:
    with pytest.raises(ValidationError) as caught:
        Unit.register("   ", UnitKind.SUBDISTRICT, clock.next())
    assert caught.value.field == "name"


def test_a_renamed_unit_keeps_its_former_names_in_order(clock: Clock) -> None:
    unit = registered(clock)
    unit.rename("区市场监督管理局", clock.next())
    unit.rename(" 区市场监管和质量局 ", clock.next())
    assert unit.name == "区市场监管和质量局"
    assert unit.former_names == ("区市场监管局", "区市场监督管理局")
    assert unit.id == unit_id_for("区市场监管局")
    assert unit.version == 3
    assert event_names(unit) == ["Registered", "Renamed", "Renamed"]


def test_renaming_a_unit_to_its_current_name_is_refused(clock: Clock) -> None:
    unit = registered(clock)
    assert_refused(
        unit, ValidationError, lambda: unit.rename(" 区市场监管局", clock.next()), "name"
    )


def test_renaming_a_unit_to_a_blank_name_is_refused(clock: Clock) -> None:
    unit = registered(clock)
    assert_refused(unit, ValidationError, lambda: unit.rename("  ", clock.next()), "name")


def test_a_merged_unit_points_at_the_unit_it_merged_into(clock: Clock) -> None:
    unit = registered(clock)
    unit.merge_into(OTHER, clock.next())
    assert unit.state is UnitState.MERGED
    assert unit.merged_into == OTHER
    assert unit.name == "区市场监管局"
    assert event_names(unit) == ["Registered", "Merged"]


def test_a_unit_cannot_merge_into_itself(clock: Clock) -> None:
    unit = registered(clock)
    assert_refused(unit, ValidationError, lambda: unit.merge_into(unit.id, clock.next()), "into")


def test_a_merged_unit_cannot_be_renamed(clock: Clock) -> None:
    unit = registered(clock)
    unit.merge_into(OTHER, clock.next())
    error = assert_refused(unit, InvalidTransition, lambda: unit.rename("新名称", clock.next()))
    assert (error.state, error.step) == ("merged", "rename")


def test_a_merged_unit_cannot_merge_again(clock: Clock) -> None:
    unit = registered(clock)
    unit.merge_into(OTHER, clock.next())
    error = assert_refused(unit, InvalidTransition, lambda: unit.merge_into(OTHER, clock.next()))
    assert (error.state, error.step) == ("merged", "merge")
