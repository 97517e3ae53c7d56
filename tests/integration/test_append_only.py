"""The events table refuses UPDATE and DELETE at the database level."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from api.bootstrap import open_ledger
from domain.ledger import Ledger
from domain.log_tables import events_table
from domain.storage import Database
from tests.conftest import postgres_dsn, settings_for
from tests.integration.builders import task_in_progress, unit


def _raw_execute(url: str, ledger: Ledger, sql: str) -> None:
    table = events_table(ledger.recorder)
    database = Database.parse(url)
    if database.is_sqlite:
        with sqlite3.connect(database.sqlite_path) as conn:
            conn.execute(sql.format(table=table))
        return
    with psycopg.connect(postgres_dsn(url), autocommit=True) as conn:
        conn.execute(sql.format(table=table).encode())


def _rows(ledger: Ledger) -> list[tuple[int, bytes]]:
    return [(n.id, n.state) for n in ledger.recorder.select_notifications(start=1, limit=1000)]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET topic = 'forged' WHERE originator_version = 1",
        "DELETE FROM {table} WHERE originator_version = 2",
        "DELETE FROM {table}",
    ],
    ids=["update", "delete-one", "delete-all"],
)
def test_the_database_refuses_to_change_or_delete_a_recorded_event(
    ledger: Ledger, database_url: str, statement: str
) -> None:
    task_in_progress(ledger, unit(ledger))
    before = _rows(ledger)
    with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
        _raw_execute(database_url, ledger, statement)
    assert _rows(ledger) == before


def test_postgres_refuses_to_truncate_the_log(postgres_url: str) -> None:
    ledger = open_ledger(settings_for(postgres_url))
    unit(ledger)
    with pytest.raises(psycopg.Error, match="append-only"):
        _raw_execute(postgres_url, ledger, "TRUNCATE {table}")
    assert len(_rows(ledger)) == 1


def test_opening_the_ledger_twice_keeps_one_guard_and_the_events(database_url: str) -> None:
    first = open_ledger(settings_for(database_url))
    unit(first)
    second = open_ledger(settings_for(database_url))
    assert len(_rows(second)) == 1
    with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
        _raw_execute(database_url, second, "DELETE FROM {table}")
