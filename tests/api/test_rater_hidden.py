"""企业评议机关: the rated unit (and the dashboards) never see who rated it."""

from __future__ import annotations

import pytest

from api import permissions
from domain.meta import Role


@pytest.mark.parametrize("role", [Role.UNIT, Role.VIEWER])
def test_an_enterprise_evaluations_events_are_hidden_from_the_rated_unit_and_dashboards(
    role: Role,
) -> None:
    assert "EnterpriseEvaluation" in permissions.hidden_item_types(role)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.INSPECTOR, Role.LEADER])
def test_the_office_inspectors_and_leaders_see_who_rated(role: Role) -> None:
    assert "EnterpriseEvaluation" not in permissions.hidden_item_types(role)


def test_only_the_office_records_an_enterprise_evaluation() -> None:
    assert permissions.roles_for("record_enterprise_evaluation") == [Role.OFFICE]
