"""三支队伍 through GraphQL: the policy's ``teams``, ``receiveComplaint``'s ``team``,
``Complaint.team``, ``ComplaintFilter.teams`` and ``SupervisionOverview.teams`` as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.channels import Channel
from domain.unit import UnitKind
from tests.api.conftest import OFFICE, VIEWER, LiveServer
from tests.api.helpers import caught_up, head, mutate, on

THREE_TEAMS = Channel.THREE_TEAMS.name
OVERVIEW = """query($asOf: Date){ supervisionOverview(asOf: $asOf) {
    teams { key name received open closed overdue } } }"""
LIST = """query($filter: ComplaintFilter){ complaints(filter: $filter, first: 20) {
    totalCount nodes { channel team { key name } } } }"""


def responder(live: LiveServer) -> str:
    ledger = live.services.ledger
    unit = ledger.register_unit(on(date(2021, 1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT)
    return str(unit.item_id)


def receive(live: LiveServer, unit: str, channel: str, **given: Any) -> dict[str, Any]:
    fields = {"channel": channel, "summary": "窗口空岗", "firstResponder": unit, **given}
    return mutate(
        live, "receiveComplaint", fields, item_fields="... on Complaint { team { key name } }"
    )


def test_a_three_teams_case_received_through_the_api_shows_its_team(live: LiveServer) -> None:
    unit = responder(live)
    result = receive(live, unit, THREE_TEAMS, team="invited_inspectors")
    assert result["__typename"] == "MutationSuccess"
    assert result["item"]["team"] == {"key": "invited_inspectors", "name": "特邀监察员"}
    other = receive(live, unit, Channel.MEDIA.name)
    assert other["item"]["team"] is None


def test_a_team_missing_unknown_or_on_another_channel_is_a_validation_error_naming_team(
    live: LiveServer,
) -> None:
    unit = responder(live)
    caught_up(live)
    before = head(live)
    for channel, given in (
        (THREE_TEAMS, {}),
        (THREE_TEAMS, {"team": "journalists"}),
        (Channel.HOTLINE_12345.name, {"team": "supervisors"}),
    ):
        result = receive(live, unit, channel, **given)
        assert (result["__typename"], result["field"]) == ("ValidationError", "team")
    assert head(live) == before


def test_the_overview_counts_the_cases_by_team_as_of_each_date_and_lists_the_policys_teams(
    live: LiveServer,
) -> None:
    unit = responder(live)
    ledger = live.services.ledger
    for day, team in ((1, "supervisors"), (1, "supervisors"), (3, "deputies")):
        ledger.receive_complaint(
            on(date(2021, 3, day)),
            channel=Channel.THREE_TEAMS,
            team=team,
            summary="人大代表反映审批慢",
            first_responder=UUID(unit),
        )
    caught_up(live, VIEWER)

    def by_team(as_of: str) -> dict[str, tuple[Any, ...]]:
        found = live.gql(OVERVIEW, {"asOf": as_of}, actor=VIEWER)["supervisionOverview"]
        return {t["key"]: (t["name"], t["received"], t["open"]) for t in found["teams"]}

    assert by_team("2021-03-02") == {
        "supervisors": ("营商环境监督员", 2, 2),
        "invited_inspectors": ("特邀监察员", 0, 0),
        "deputies": ("人大代表和政协委员", 0, 0),
    }
    assert by_team("2021-03-03")["deputies"] == ("人大代表和政协委员", 1, 1)
    teams = live.gql("{ teams { key name } }", actor=VIEWER)["teams"]
    assert [t["key"] for t in teams] == ["supervisors", "invited_inspectors", "deputies"]


def test_the_complaints_list_filters_by_team(live: LiveServer) -> None:
    unit = responder(live)
    receive(live, unit, THREE_TEAMS, team="supervisors")
    receive(live, unit, THREE_TEAMS, team="deputies")
    receive(live, unit, Channel.MEDIA.name)
    caught_up(live, OFFICE)
    found = live.gql(LIST, {"filter": {"teams": ["deputies"]}})["complaints"]
    assert found["totalCount"] == 1
    assert found["nodes"][0]["team"] == {"key": "deputies", "name": "人大代表和政协委员"}
    both = live.gql(LIST, {"filter": {"teams": ["deputies", "supervisors"]}})["complaints"]
    assert both["totalCount"] == 2
