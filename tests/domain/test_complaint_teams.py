"""三支队伍: a 三支队伍监督 case names its team, one of the policy's; no other case names one;
the list is the policy's, and a deployment's own list replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.settings import load_policy
from domain.calendar import WorkingDayCalendar
from domain.channels import Channel
from domain.complaint import Complaint
from domain.errors import ValidationError
from domain.timeliness import TimeRules
from tests.domain.builders import FIRST_RESPONDER, ITEM_ID, Clock, rules

KEYS = [team.key for team in rules().policy.teams]


def received(channel: Channel, team: str | None, time_rules: TimeRules | None = None) -> Complaint:
    return Complaint.receive(
        ITEM_ID,
        channel=channel,
        summary="窗口空岗",
        complainant_name="",
        complainant_phone="",
        subject_unit=None,
        first_responder=FIRST_RESPONDER,
        rules=time_rules or rules(),
        meta=Clock().next(),
        team=team,
    )


def refusal(channel: Channel, team: str | None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        received(channel, team)
    return caught.value


def test_the_default_policy_lists_three_teams_each_with_a_key_and_a_chinese_name() -> None:
    teams = [(t.key, t.name) for t in rules().policy.teams]
    assert teams == [
        ("supervisors", "营商环境监督员"),
        ("invited_inspectors", "特邀监察员"),
        ("deputies", "人大代表和政协委员"),
    ]


def test_a_three_teams_case_records_the_team_that_found_it() -> None:
    case = received(Channel.THREE_TEAMS, "invited_inspectors")
    assert case.team == "invited_inspectors"
    assert case.pending_events[0].team == "invited_inspectors"  # type: ignore[attr-defined]


@pytest.mark.parametrize("team", [None, "", "  "])
def test_a_three_teams_case_without_a_team_is_refused_naming_team(team: str | None) -> None:
    error = refusal(Channel.THREE_TEAMS, team)
    assert error.field == "team"
    assert "supervisors, invited_inspectors, deputies" in error.message


def test_a_three_teams_case_naming_a_team_the_policy_does_not_list_is_refused() -> None:
    error = refusal(Channel.THREE_TEAMS, "journalists")
    assert error.field == "team"
    assert "'journalists' is not a team of the policy" in error.message


@pytest.mark.parametrize("channel", [c for c in Channel if c is not Channel.THREE_TEAMS])
def test_a_case_of_another_channel_naming_a_team_is_refused_naming_team(channel: Channel) -> None:
    assert refusal(channel, "supervisors").field == "team"
    assert received(channel, None).team is None
    assert received(channel, " ").team is None  # a blank team is no team


@given(
    channel=st.sampled_from(Channel),
    team=st.one_of(st.none(), st.sampled_from(KEYS), st.text(max_size=8)),
)
def test_a_case_is_received_exactly_when_its_team_fits_its_channel(
    channel: Channel, team: str | None
) -> None:
    named = (team or "").strip()
    fits = named in KEYS if channel is Channel.THREE_TEAMS else not named
    try:
        case = received(channel, team)
    except ValidationError as error:
        assert not fits
        assert error.field == "team"
    else:
        assert fits
        assert case.team == (named or None)


def test_a_case_recorded_before_teams_were_kept_reads_with_no_team() -> None:
    event = received(Channel.THREE_TEAMS, "supervisors").pending_events[0]
    del event.__dict__["team"]  # as an event stored before the field was added
    case = event.mutate(None)
    assert isinstance(case, Complaint)
    assert case.team is None
    assert case.channel is Channel.THREE_TEAMS


def test_a_policy_file_replaces_the_list_of_teams_whole(tmp_path: Path) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(
        '[[teams]]\nkey = "entrepreneurs"\nname = "企业家监督员"\n', encoding="utf-8"
    )
    policy = load_policy(override)
    assert [(t.key, t.name) for t in policy.teams] == [("entrepreneurs", "企业家监督员")]
    own = TimeRules(policy, WorkingDayCalendar())
    assert received(Channel.THREE_TEAMS, "entrepreneurs", own).team == "entrepreneurs"
    with pytest.raises(ValidationError, match="team"):
        received(Channel.THREE_TEAMS, "supervisors", own)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("teams = []\n", "policy.teams"),
        ('[teams]\nkey = "x"\n', "policy.teams"),
        ('[[teams]]\nkey = "Bad Key"\nname = "甲"\n', r"policy.teams\[0\].key"),
        ('[[teams]]\nkey = "a"\nname = " "\n', r"policy.teams\[0\].name"),
        ('[[teams]]\nkey = "a"\nname = "甲"\nlead = "x"\n', r"policy.teams\[0\].lead"),
        ('[[teams]]\nkey = "a"\nname = "甲"\n[[teams]]\nkey = "a"\nname = "乙"\n', "twice"),
    ],
)
def test_a_bad_list_of_teams_is_refused_naming_the_setting(
    tmp_path: Path, text: str, problem: str
) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=problem):
        load_policy(override)
