"""A command sent again with the same idempotency key returns the first result."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from api.bootstrap import open_ledger
from domain.channels import Channel
from domain.errors import IdempotencyKeyReused, ValidationError
from domain.ledger import Ledger
from domain.ledger_base import Written
from domain.task import Task
from tests.clock import now
from tests.conftest import settings_for
from tests.integration.builders import office, task_in_progress, unit

MILLISECOND = timedelta(milliseconds=1)


def test_a_repeated_key_returns_the_first_result_and_writes_nothing(memory_ledger: Ledger) -> None:
    task_id = task_in_progress(memory_ledger, unit(memory_ledger))
    first = memory_ledger.report_progress(
        office(idempotency_key="k-1"), task_id, percent=20, narrative="完成20%"
    )
    head = memory_ledger.recorder.max_notification_id()
    again = memory_ledger.report_progress(
        office(idempotency_key="k-1"), task_id, percent=20, narrative="完成20%"
    )
    assert again == Written(first.item_id, first.version, first.position, replayed=True)
    assert memory_ledger.recorder.max_notification_id() == head
    assert memory_ledger.get(Task, task_id).version == first.version


def test_a_repeated_creation_returns_the_item_created_the_first_time(memory_ledger: Ledger) -> None:
    responder = unit(memory_ledger)
    results = [
        memory_ledger.receive_complaint(
            office(idempotency_key="hotline-0001"),
            channel=Channel.HOTLINE_12345,
            summary="施工许可审批超时",
            first_responder=responder,
        )
        for _ in range(3)
    ]
    assert {r.item_id for r in results} == {results[0].item_id}
    assert [r.replayed for r in results] == [False, True, True]
    assert {r.position for r in results} == {results[0].position}


def test_a_key_reused_for_another_command_is_refused(memory_ledger: Ledger) -> None:
    task_id = task_in_progress(memory_ledger, unit(memory_ledger))
    memory_ledger.urge_task(office(idempotency_key="same"), task_id, reason="进度滞后")
    head = memory_ledger.recorder.max_notification_id()
    with pytest.raises(IdempotencyKeyReused):
        memory_ledger.escalate_task(office(idempotency_key="same"), task_id, reason="提级")
    assert memory_ledger.recorder.max_notification_id() == head


def test_a_blank_key_is_refused_naming_the_field(memory_ledger: Ledger) -> None:
    task_id = task_in_progress(memory_ledger, unit(memory_ledger))
    with pytest.raises(ValidationError) as refused:
        memory_ledger.urge_task(office(idempotency_key="  "), task_id, reason="进度滞后")
    assert refused.value.field == "idempotency_key"


def test_two_racing_retries_with_one_key_write_one_event(ledger: Ledger, database_url: str) -> None:
    other = open_ledger(settings_for(database_url))
    task_id = task_in_progress(ledger, unit(ledger))
    head = ledger.recorder.max_notification_id() or 0
    barrier = threading.Barrier(2)

    def send(app: Ledger) -> Written:
        barrier.wait()
        return app.urge_task(office(idempotency_key="retry"), task_id, reason="请加快进度")

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(send, [ledger, other]))
    assert sorted(r.replayed for r in results) == [False, True]
    assert results[0].position == results[1].position
    assert ledger.get(Task, task_id).urge_count == 1
    assert ledger.recorder.max_notification_id() == head + 2  # the event and its receipt


def _racing_pair(database_url: str) -> tuple[Ledger, Ledger]:
    """Two ledgers on one database, the first's clock a millisecond ahead of the second's."""
    base = now() + timedelta(minutes=1)
    first = open_ledger(replace(settings_for(database_url), clock=lambda: base + MILLISECOND))
    second = open_ledger(replace(settings_for(database_url), clock=lambda: base))
    return first, second


def _first_attempt_commits_before_loading(
    retry: Ledger, first_attempt: Callable[[], Written], monkeypatch: pytest.MonkeyPatch
) -> list[Written]:
    """Make ``first_attempt`` commit just after ``retry`` looked for the key's receipt
    (and found none), before it loads the item: the race a retry after a timeout runs."""
    done: list[Written] = []
    load = retry.get

    def load_after_the_first_attempt(*args: Any, **kwargs: Any) -> Any:
        if not done and args[0] is Task:
            done.append(first_attempt())
        return load(*args, **kwargs)

    monkeypatch.setattr(retry, "get", load_after_the_first_attempt)
    return done


def test_a_retry_racing_a_first_attempt_with_a_clock_ahead_is_answered_as_a_replay(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, retry = _racing_pair(database_url)
    task_id = task_in_progress(first, unit(first))
    done = _first_attempt_commits_before_loading(
        retry,
        lambda: first.urge_task(office(idempotency_key="late"), task_id, reason="请加快进度"),
        monkeypatch,
    )
    again = retry.urge_task(office(idempotency_key="late"), task_id, reason="请加快进度")
    assert again == replace(done[0], replayed=True)
    assert first.get(Task, task_id).urge_count == 1


def test_a_retry_that_meets_a_version_conflict_after_its_first_attempt_is_a_replay(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, retry = _racing_pair(database_url)
    task_id = task_in_progress(first, unit(first))
    version = first.get(Task, task_id).version
    ctx = office(idempotency_key="guarded", expected_version=version)
    done = _first_attempt_commits_before_loading(
        retry, lambda: first.urge_task(ctx, task_id, reason="请加快进度"), monkeypatch
    )
    again = retry.urge_task(ctx, task_id, reason="请加快进度")
    assert again == replace(done[0], replayed=True)
    assert first.get(Task, task_id).urge_count == 1


def test_an_act_left_to_default_to_now_is_never_before_the_items_last_act(
    database_url: str,
) -> None:
    ahead, behind = _racing_pair(database_url)
    task_id = task_in_progress(ahead, unit(ahead))
    ahead.urge_task(office(), task_id, reason="请加快进度")
    behind.urge_task(office(), task_id, reason="再次催办")
    events = behind.item_events(task_id)
    assert events[-1].occurred_at == events[-2].occurred_at  # not a millisecond before it
    assert events[-1].recorded_at == events[-2].recorded_at - MILLISECOND  # its own clock
