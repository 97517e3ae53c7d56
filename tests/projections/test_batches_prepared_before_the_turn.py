"""The audit index and the seal work out a batch before their turn to write; what they
write must not depend on which connection, or which worker, does the writing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from projections import tables as t
from projections.audit import AuditProjection, Staged
from projections.database import read_model_engine, write_transaction
from projections.engine import Runner
from projections.seal import SealProjection, link
from tests.conftest import settings_for
from tests.projections.engine_builders import OPENED, generate_into, ledger_at, runner_at


def _runner_with_log(url: str) -> Runner:
    ledger = ledger_at(url)
    generate_into(ledger, seed=31, events=300)
    return runner_at(url, ledger, batch_size=50)


def _rows(engine: Engine, table: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key))]


def _other_engine(url: str) -> Engine:
    engine = read_model_engine(settings_for(url).database)
    OPENED.append(engine)
    return engine


def _audit_reset_into_two_batches(
    url: str,
) -> tuple[Runner, AuditProjection, list[tuple[Any, ...]], Staged, Staged]:
    """A runner whose audit index was built, then reset; the index as built; and its two
    batches prepared, the second last (so the stage holds the second)."""
    runner = _runner_with_log(url)
    runner.catch_up()
    expected = _rows(runner.engine, t.audit_events)
    runner.reset("audit")
    audit = runner.projections["audit"]
    assert isinstance(audit, AuditProjection)
    first = audit.work_out([], (1, 120))
    second = audit.work_out([], (121, runner.head()))
    return runner, audit, expected, first, second


def test_an_audit_batch_written_on_another_connection_than_it_was_extracted_on_is_whole(
    database_url: str,
) -> None:
    runner, audit, expected, first, second = _audit_reset_into_two_batches(database_url)
    with write_transaction(_other_engine(database_url)) as conn:
        audit.write(conn, first)  # not this connection's stage: extracted again
    with write_transaction(runner.engine) as conn:
        audit.write(conn, second)
    assert _rows(runner.engine, t.audit_events) == expected


def test_an_audit_batch_is_not_written_from_a_stage_that_holds_a_later_batch(
    sqlite_url: str,
) -> None:
    runner, audit, expected, first, second = _audit_reset_into_two_batches(sqlite_url)
    with write_transaction(runner.engine) as conn:  # the same connection, the wrong stage
        staged = conn.exec_driver_sql("SELECT number FROM temp.audit_staged").scalar()
        assert staged == second.number  # the engine handed back the extracting connection
        audit.write(conn, first)
    with write_transaction(runner.engine) as conn:
        audit.write(conn, second)
    assert _rows(runner.engine, t.audit_events) == expected


def test_a_seal_started_afresh_continues_the_chain_that_is_there(database_url: str) -> None:
    runner = _runner_with_log(database_url)
    runner.catch_up()
    expected = _rows(runner.engine, t.seal_chain)
    runner.reset("seal")
    seal = runner.projections["seal"]
    assert isinstance(seal, SealProjection)
    with write_transaction(runner.engine) as conn:
        seal.write(conn, seal.work_out([], (1, 100)))
    restarted = SealProjection(seal._read_rows)  # remembers nothing: reads the chain's end
    with write_transaction(runner.engine) as conn:
        restarted.write(conn, restarted.work_out([], (101, runner.head())))
    assert _rows(runner.engine, t.seal_chain) == expected


def test_a_seal_batch_chained_on_from_an_end_that_changed_is_chained_again_from_there(
    database_url: str,
) -> None:
    runner = _runner_with_log(database_url)
    runner.reset("seal")
    seal = runner.projections["seal"]
    assert isinstance(seal, SealProjection)
    with write_transaction(runner.engine) as conn:
        seal.write(conn, seal.work_out([], (1, 100)))
    prepared = seal.work_out([], (101, 120))  # chained on from position 100 as it was
    other_end = bytes([7]) * 32
    with write_transaction(runner.engine) as conn:
        conn.execute(
            t.seal_chain.update().where(t.seal_chain.c.position == 100).values(chain=other_end)
        )
        seal.write(conn, prepared)
    chains = dict(_rows(runner.engine, t.seal_chain))
    assert bytes(chains[101]) == link(other_end, prepared.rows[0])
