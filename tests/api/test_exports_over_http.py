"""``GET /exports/{list}.xlsx`` and ``.csv``: each role downloads what its GraphQL list shows
it (a unit its own items, a viewer nothing but the scorecards), complainants masked unless
the office or an inspector states a purpose (then recorded as a Disclosure), and a bad
parameter, a missing token or an unknown list answered as such."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import openpyxl
import pytest

from domain.meta import Role
from tests.api.access_world import (
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PERSONAL,
    PHONE,
    World,
    caught_up,
    head,
    world_server,
)

PURPOSE = "回访核实：导出投诉台账"
LISTS = ("tasks", "complaints", "legacy-issues", "interviews", "referrals", "scorecards")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_server(tmp_path_factory) as found:
        caught_up(found.live)
        yield found


def download(world: World, path: str, actor: str | None, **params: str) -> Any:
    headers = {} if actor is None else world.live.auth(actor)
    return world.live.client.get(path, headers=headers, params=params)


def sheet_rows(response: Any) -> list[dict[str, Any]]:
    """The rows of a downloaded workbook, by Chinese header."""
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers, *rows = list(book.active.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True)) for row in rows]


def disclosures(world: World, reader: str) -> list[dict[str, Any]]:
    data = world.live.gql(
        '{ events(first: 100, filter: {itemType: "Disclosure"}) { edges { node'
        " { actor { id role } data } } } }",
        position=head(world.live),
    )
    nodes = [edge["node"] for edge in data["events"]["edges"]]
    return [n for n in nodes if n["actor"]["id"].startswith(f"{reader}#")]


@pytest.mark.parametrize("role", [Role.OFFICE, Role.INSPECTOR, Role.LEADER])
def test_the_roles_that_read_everything_download_every_task_and_complaint(
    world: World, role: Role
) -> None:
    actor = world.actor(role)
    tasks = sheet_rows(download(world, "/exports/tasks.xlsx", actor))
    assert len({r["系统编号"] for r in tasks}) == 26
    assert set().union(*world.tasks_of.values()) <= {r["系统编号"] for r in tasks}
    complaints = sheet_rows(download(world, "/exports/complaints.xlsx", actor))
    assert {r["系统编号"] for r in complaints} == set(world.complaints.values())


def test_a_units_staff_download_their_own_units_items_only(world: World) -> None:
    staff = world.staff(world.unit_a)
    tasks = sheet_rows(download(world, "/exports/tasks.xlsx", staff))
    assert {r["系统编号"] for r in tasks} == world.tasks_of[world.unit_a]
    complaints = sheet_rows(download(world, "/exports/complaints.xlsx", staff))
    assert {r["系统编号"] for r in complaints} == {world.complaints["a"], world.complaints["ab"]}
    cards = sheet_rows(download(world, "/exports/scorecards.xlsx", staff, period="2021"))
    assert [r["单位"] for r in cards] == ["区投资促进局"]


def test_a_viewer_downloads_the_scorecards_and_no_list_of_items(world: World) -> None:
    viewer = world.actor(Role.VIEWER)
    for name in LISTS[:-1]:
        response = download(world, f"/exports/{name}.xlsx", viewer)
        assert response.status_code == 403, name
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    cards = sheet_rows(download(world, "/exports/scorecards.xlsx", viewer, period="2021-Q2"))
    assert len(cards) > 5 and {r["考核期"] for r in cards} == {"2021-Q2"}


def test_complainants_are_masked_without_a_purpose_and_nothing_is_recorded(
    world: World,
) -> None:
    reader = "export-no-purpose"
    world.live.token(f"office:{reader}")
    before = head(world.live)
    rows = sheet_rows(download(world, "/exports/complaints.xlsx", f"office:{reader}"))
    assert {(r["投诉人"], r["联系电话"]) for r in rows} == {(MASKED_NAME, MASKED_PHONE)}
    assert head(world.live) == before
    assert disclosures(world, reader) == []


def test_a_stated_purpose_opens_them_for_the_office_and_records_a_disclosure(
    world: World,
) -> None:
    reader = "export-with-purpose"
    response = download(world, "/exports/complaints.xlsx", f"inspector:{reader}", purpose=PURPOSE)
    assert {(r["投诉人"], r["联系电话"]) for r in sheet_rows(response)} == {(NAME, PHONE)}
    [disclosure] = disclosures(world, reader)
    assert disclosure["actor"]["role"] == "INSPECTOR"
    assert sorted(disclosure["data"]["items"]) == sorted(world.complaints.values())
    assert disclosure["data"]["fields"] == PERSONAL
    assert disclosure["data"]["purpose"] == PURPOSE
    assert disclosure["data"]["read_in"] == "GET /exports/complaints.xlsx"


def test_a_purpose_opens_nothing_for_a_unit_and_records_nothing(world: World) -> None:
    reader = "export-unit-purpose"
    staff = world.staff(world.unit_a, reader)
    world.live.token(staff)
    before = head(world.live)
    response = download(world, "/exports/complaints.csv", staff, purpose=PURPOSE)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff台账编号,系统编号,渠道")
    assert MASKED_NAME in text and NAME not in text
    assert head(world.live) == before


def test_the_csv_is_utf8_with_a_bom_and_the_chinese_headers(world: World) -> None:
    response = download(world, "/exports/legacy-issues.csv", world.actor(Role.OFFICE))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert (
        response.content.decode("utf-8-sig")
        .splitlines()[0]
        .startswith("台账编号,系统编号,问题名称")
    )


def test_as_of_a_day_before_the_plan_lists_no_task(world: World) -> None:
    office = world.actor(Role.OFFICE)
    assert sheet_rows(download(world, "/exports/tasks.xlsx", office, asOf="2020-01-01")) == []
    rows = sheet_rows(download(world, "/exports/tasks.xlsx", office))
    assert all(isinstance(r["登记日期"], datetime) for r in rows)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/exports/tasks.xlsx", {"asOf": "yesterday"}, "asOf"),
        ("/exports/tasks.xlsx", {"asOf": "2999-01-01"}, "asOf"),
        ("/exports/tasks.xlsx", {"colour": "red"}, "colour"),
        ("/exports/scorecards.xlsx", {}, "period"),
        ("/exports/scorecards.xlsx", {"period": "2021-Q5"}, "period"),
        ("/exports/scorecards.xlsx", {"period": "2021", "asOf": "2021-06-30"}, "asOf"),
        ("/exports/complaints.xlsx", {"purpose": "   "}, "purpose"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    world: World, path: str, params: dict[str, str], field: str
) -> None:
    response = download(world, path, world.actor(Role.OFFICE), **params)
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_REQUEST", field)


def test_no_token_or_a_wrong_one_is_a_401(world: World) -> None:
    assert download(world, "/exports/tasks.xlsx", None).status_code == 401
    wrong = world.live.client.get(
        "/exports/tasks.xlsx", headers={"authorization": "Bearer sl_" + "x" * 43}
    )
    assert wrong.status_code == 401
    assert wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("path", ["/exports/units.xlsx", "/exports/tasks.pdf", "/exports/tasks"])
def test_an_unknown_list_or_format_is_a_404(world: World, path: str) -> None:
    response = download(world, path, world.actor(Role.OFFICE))
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
