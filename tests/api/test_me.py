"""``me``: a page learns from its token who it acts as, to show the menus of its role."""

from __future__ import annotations

from tests.api.conftest import LiveServer
from tests.api.mutation_builders import register_unit

ME = "{ me { actor role tokenExpiresAt unit { name } } }"


def test_me_tells_the_office_its_role_and_no_unit(live: LiveServer) -> None:
    me = live.gql(ME, actor="office:office-zhang")["me"]
    assert me["actor"].startswith("office-zhang#")  # the name, and the token's id
    assert (me["role"], me["unit"]) == ("OFFICE", None)
    assert me["tokenExpiresAt"] > "2000"


def test_me_tells_a_unit_token_its_unit(live: LiveServer) -> None:
    unit = register_unit(live, "区住建局").removeprefix("Unit:")
    me = live.gql(ME, actor=f"unit:staff-li:{unit}")["me"]
    assert me["actor"].startswith("staff-li#")
    assert (me["role"], me["unit"]) == ("UNIT", {"name": "区住建局"})


def test_me_without_a_token_is_refused_as_unauthenticated(live: LiveServer) -> None:
    response = live.post(ME, actor=None)
    assert response.status_code == 401
