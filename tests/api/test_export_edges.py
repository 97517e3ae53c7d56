"""``GET /exports/...`` at its edges: the audit index (the acts' dates, projected after the
lists) lagging behind a list or stopped, and the headers that keep a download out of
caches and out of a browser's content sniffing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
from sqlalchemy import delete, update

from api.exports.sheet_writers import CUT_MARKER, EXCEL_CELL_LIMIT
from domain.escalation import Milestone
from domain.unit import UnitKind
from projections import tables as t
from tests.api.conftest import OFFICE, LiveServer
from tests.api.helpers import caught_up, now


def registered(live: LiveServer) -> tuple[str, str]:
    """Two tasks of the 2021 plan, both projected everywhere."""
    ledger = live.services.ledger
    unit = ledger.register_unit(now(), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    first = ledger.register_task(now(), plan_year=2021, number=1, title="工程建设项目审批提速")
    second = ledger.register_task(now(), plan_year=2021, number=2, title="市场主体登记便利化")
    ledger.assign_task(
        now(), second.item_id, lead_units=[unit], deadline=date.today() + timedelta(days=90)
    )
    caught_up(live)
    return str(first.item_id), str(second.item_id)


def titles(response: object) -> list[str]:
    assert getattr(response, "status_code", None) == 200, getattr(response, "text", "")
    book = openpyxl.load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    headers, *rows = list(book.active.iter_rows(values_only=True))
    return [dict(zip(headers, row, strict=True))["事项名称"] for row in rows]


def test_an_item_the_audit_index_has_not_reached_is_left_out_of_the_export_not_a_500(
    live: LiveServer,
) -> None:
    first, second = registered(live)
    a = t.audit_events
    with live.services.engine.begin() as conn:  # as if the audit index lagged behind the lists
        conn.execute(delete(a).where(a.c.item_id == first))
        conn.execute(delete(a).where(a.c.item_id == second, a.c.version > 1))
    response = live.client.get("/exports/tasks.xlsx", headers=live.auth(OFFICE))
    assert titles(response) == ["市场主体登记便利化"]  # as of the version the index holds


def test_an_export_while_the_audit_index_has_stopped_is_a_503_naming_it(
    live: LiveServer,
) -> None:
    registered(live)
    s = t.projection_status
    with live.services.engine.begin() as conn:
        conn.execute(update(s).where(s.c.name == "audit").values(failed_position=3, error="x"))
    response = live.client.get("/exports/tasks.csv", headers=live.auth(OFFICE))
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "READ_MODEL_STOPPED"
    assert "audit" in error["message"] and "3" in error["message"]


def test_an_export_is_kept_by_no_cache_and_never_sniffed(live: LiveServer) -> None:
    registered(live)
    for suffix in ("xlsx", "csv"):
        response = live.client.get(f"/exports/tasks.{suffix}", headers=live.auth(OFFICE))
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_a_cell_over_excels_limit_is_cut_with_a_marker_and_named_in_a_notice(
    live: LiveServer,
) -> None:
    ledger = live.services.ledger
    unit = ledger.register_unit(now(), name="区住建局", kind=UnitKind.DEPARTMENT).item_id
    task = ledger.register_task(now(), plan_year=2021, number=1, title="工程建设项目审批提速")
    due = date.today() + timedelta(days=60)
    milestones = [Milestone(f"m{n}", f"{n:03d}" + "节" * 447, due) for n in range(80)]
    ledger.assign_task(now(), task.item_id, lead_units=[unit], deadline=due, milestones=milestones)
    caught_up(live)
    response = live.client.get("/exports/tasks.xlsx", headers=live.auth(OFFICE))
    assert response.status_code == 200
    assert response.headers["x-ledger-cut-cells"] == "1"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers, row = list(book.worksheets[0].iter_rows(values_only=True))
    cell = dict(zip(headers, row, strict=True))["工作节点"]
    assert len(cell) == EXCEL_CELL_LIMIT and cell.endswith(CUT_MARKER)
    notice = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert notice[1:] == ["第2行「工作节点」"] and "1个单元格" in notice[0]
    whole = live.client.get("/exports/tasks.csv", headers=live.auth(OFFICE)).text
    assert CUT_MARKER not in whole
    assert f"079{'节' * 447}" in whole  # the CSV keeps the whole text
