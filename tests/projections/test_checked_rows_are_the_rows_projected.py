"""The rows a runner checks are the rows it projects: a row changed in the database
between the check and the projection (someone with the password, racing the runner)
cannot reach a read model, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from domain.log_rows import StoredRow
from projections import tables as t
from tests.integration.builders import unit
from tests.integration.tamper_builders import RawLog
from tests.projections.engine_builders import ledger_at, runner_at


def test_a_row_changed_after_its_check_is_projected_as_it_was_checked(database_url: str) -> None:
    ledger = ledger_at(database_url)
    registered = unit(ledger, "甲单位")
    log = RawLog(database_url)
    (row,) = [r for r in log.rows() if r.item == registered]
    runner = runner_at(database_url, ledger)
    log.drop_guard()

    def change_it_once_checked(rows: Sequence[StoredRow]) -> None:
        if any(r.position == row.position for r in rows):
            forged = row.state.replace("甲单位".encode(), "乙单位".encode())
            log.set_columns(row.position, state=forged)

    runner.row_checks = (*runner.row_checks, change_it_once_checked)
    runner.catch_up()

    with runner.engine.connect() as conn:
        names = conn.execute(select(t.units.c.name).where(t.units.c.id == str(registered)))
        assert names.scalars().all() == ["甲单位"]
    assert log.row(row.position).state != row.state  # the database did change meanwhile
