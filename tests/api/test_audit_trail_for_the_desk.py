"""What the inspector's desk asks of the audit trail beside its first filters (issue 14):
imports left out on request, the entries at a referral's cited positions, and each entry's
value in the seal chain, which an inspector can hold against the rows themselves."""

from __future__ import annotations

from typing import Any

import pytest

from domain.unit import UnitKind
from tests.api.conftest import LiveServer
from tests.api.helpers import caught_up, gid, mutate, on
from tests.api.query_story import d
from tests.integration.tamper_builders import RawLog, chain_of

TRAIL = """query($f: EventFilter, $first: Int) { events(filter: $f, first: $first) {
  totalCount nodes { position itemId type imported chain } } }"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> LiveServer:
    found: LiveServer = request.getfixturevalue(
        "live" if request.param == "sqlite" else "live_postgres"
    )
    return found


def trail(live: LiveServer, given: dict[str, Any], first: int = 100) -> dict[str, Any]:
    found: dict[str, Any] = live.gql(TRAIL, {"f": given, "first": first})["events"]
    return found


def a_unit_imported_and_one_registered_now(live: LiveServer) -> tuple[str, str]:
    """Two units' ids: one entered from an earlier record, one registered over the API."""
    earlier = live.services.ledger.register_unit(
        on(d(1, 4)), name="区住建局", kind=UnitKind.DEPARTMENT
    )
    now = mutate(live, "registerUnit", {"name": "区市场监管局", "kind": "DEPARTMENT"})
    caught_up(live)
    return str(earlier.item_id), now["itemId"].partition(":")[2]


def test_the_audit_trail_leaves_out_imported_entries_when_asked(server: LiveServer) -> None:
    earlier, now = a_unit_imported_and_one_registered_now(server)

    everything = trail(server, {"itemType": "Unit"})
    without_imports = trail(server, {"itemType": "Unit", "excludeImported": True})

    assert {(e["itemId"], e["imported"]) for e in everything["nodes"]} == {
        (earlier, True),
        (now, False),
    }
    assert [e["itemId"] for e in without_imports["nodes"]] == [now]
    assert without_imports["totalCount"] == 1


def test_the_audit_trail_answers_the_entries_a_referral_cites_by_position(
    server: LiveServer,
) -> None:
    a_unit_imported_and_one_registered_now(server)
    units = trail(server, {"itemType": "Unit"})["nodes"]
    cited = sorted(e["position"] for e in units)
    referral = mutate(
        server,
        "referToDiscipline",
        {"unit": gid("Unit", units[0]["itemId"]), "reason": "长期逾期", "evidence": cited},
    )
    caught_up(server)
    state = server.gql(
        "query($id: ID!) { history(itemId: $id) { state } }", {"id": referral["itemId"]}
    )["history"]["state"]

    found = trail(server, {"positions": state["evidence"]})

    assert [e["position"] for e in found["nodes"]] == cited == state["evidence"]
    assert found["totalCount"] == len(cited)


def test_more_positions_than_a_filter_may_name_are_refused_naming_the_field(
    live: LiveServer,
) -> None:
    answer = live.post(TRAIL, {"f": {"positions": list(range(1, 502))}}).json()

    [error] = answer["errors"]
    assert error["extensions"]["field"] == "filter.positions"


def test_each_entry_carries_the_seal_chain_value_recomputed_from_the_stored_rows(
    live: LiveServer, sqlite_url: str
) -> None:
    a_unit_imported_and_one_registered_now(live)
    recomputed = dict(chain_of(RawLog(sqlite_url).rows()))

    shown = trail(live, {"itemType": "Unit"})["nodes"]

    assert len(shown) == 2
    assert {e["position"]: e["chain"] for e in shown} == {
        e["position"]: recomputed[e["position"]].hex() for e in shown
    }
