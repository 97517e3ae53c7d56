"""Idempotency keys belong to the principal that sent them (issue 12, item 5).

A key answers only its own principal's repeats; another principal sending the
same key makes an act of its own and learns nothing of the first. Receipts a log
already holds from before keys were scoped (under the key alone, naming no
issuer) still answer their own principal, and only it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from api.cli.plan import PlanError, builtin_plan
from api.cli.seed import seed_plan, task_id_for
from domain.errors import IdempotencyKeyReused
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, Role
from domain.receipt import Receipt, legacy_receipt_id_for
from domain.task import Task
from tests.integration.builders import office, task_in_progress, unit

PLAN = builtin_plan("changxing-2021")
SECOND_ITEM_KEY = f"seed:{PLAN.key}:task:2:register"


def as_(actor: Actor, **kwargs: Any) -> CommandContext:
    return CommandContext(actor, **kwargs)


ALICE = Actor("alice#0a1b2c3d", Role.OFFICE)
BOB = Actor("bob#4e5f6a7b", Role.OFFICE)


@pytest.fixture
def receipts_as_before(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """While active, the ledger issues receipts as it did before keys were scoped: under
    an id derived from the key alone, with no issuer in the stored event."""

    def issue_unscoped(
        issuer: Actor,
        key: str,
        *,
        command: str,
        item_id: UUID,
        item_version: int,
        fingerprint: str | None,
    ) -> Receipt:
        receipt = Receipt._create(
            Receipt.Issued,
            id=legacy_receipt_id_for(key),
            key=key,
            command=command,
            item_id=item_id,
            item_version=item_version,
            fingerprint=fingerprint,
            issuer=None,
        )
        del vars(receipt.pending_events[0])["issuer"]  # the field did not exist then
        return receipt

    monkeypatch.setattr(Receipt, "issue", issue_unscoped)
    yield
    monkeypatch.undo()


@pytest.fixture
def ledger(memory_ledger: Ledger) -> Ledger:
    """The ledger of these tests keeps its log in memory: which receipt answers a key is the
    rules' answer, whatever database the log is in (``test_idempotency`` races processes
    over one key on SQLite and PostgreSQL)."""
    return memory_ledger


def progress(ledger: Ledger, ctx: CommandContext, task_id: UUID) -> Written:
    return ledger.report_progress(ctx, task_id, percent=30, narrative="完成三成")


def test_another_principal_sending_the_same_key_and_input_records_its_own_act(
    ledger: Ledger,
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    first = progress(ledger, as_(ALICE, idempotency_key="k-1", fingerprint="same"), task_id)

    second = progress(ledger, as_(BOB, idempotency_key="k-1", fingerprint="same"), task_id)

    assert not second.replayed
    assert second.position > first.position
    assert second.version == first.version + 1
    reports = [e for e in ledger.item_events(task_id) if type(e).__name__ == "ProgressReported"]
    assert [e.actor for e in reports] == [ALICE, BOB]


def test_a_key_another_principal_used_for_another_command_is_not_refused(
    ledger: Ledger,
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    ledger.urge_task(as_(ALICE, idempotency_key="k-2"), task_id, reason="进度滞后")

    escalated = ledger.escalate_task(as_(BOB, idempotency_key="k-2"), task_id, reason="提级")

    assert not escalated.replayed
    assert ledger.get(Task, task_id).version == escalated.version


def test_each_principal_s_retry_is_answered_with_its_own_first_result(ledger: Ledger) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    alice = progress(ledger, as_(ALICE, idempotency_key="k-3"), task_id)
    bob = progress(ledger, as_(BOB, idempotency_key="k-3"), task_id)
    assert bob.position > alice.position
    head = ledger.recorder.max_notification_id()

    again = [progress(ledger, as_(who, idempotency_key="k-3"), task_id) for who in (BOB, ALICE)]

    assert again == [
        Written(bob.item_id, bob.version, bob.position, replayed=True),
        Written(alice.item_id, alice.version, alice.position, replayed=True),
    ]
    assert ledger.recorder.max_notification_id() == head


def test_a_principal_reusing_its_own_key_for_another_command_is_still_refused(
    ledger: Ledger,
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    ledger.urge_task(as_(ALICE, idempotency_key="k-4"), task_id, reason="进度滞后")
    ledger.escalate_task(as_(BOB, idempotency_key="k-4"), task_id, reason="提级")
    head = ledger.recorder.max_notification_id()

    with pytest.raises(IdempotencyKeyReused):
        ledger.escalate_task(as_(ALICE, idempotency_key="k-4"), task_id, reason="提级")
    assert ledger.recorder.max_notification_id() == head


@pytest.mark.usefixtures("receipts_as_before")
def test_a_receipt_issued_before_keys_were_scoped_still_answers_its_own_principal(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    first = progress(ledger, as_(ALICE, idempotency_key="old-1", fingerprint="f"), task_id)
    monkeypatch.undo()  # the ledger is upgraded
    head = ledger.recorder.max_notification_id()

    again = progress(ledger, as_(ALICE, idempotency_key="old-1", fingerprint="f"), task_id)

    assert again == Written(first.item_id, first.version, first.position, replayed=True)
    assert ledger.recorder.max_notification_id() == head
    with pytest.raises(IdempotencyKeyReused):
        progress(ledger, as_(ALICE, idempotency_key="old-1", fingerprint="other"), task_id)


@pytest.mark.usefixtures("receipts_as_before")
def test_a_receipt_issued_before_keys_were_scoped_answers_no_other_principal(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_id = task_in_progress(ledger, unit(ledger))
    ledger.urge_task(as_(ALICE, idempotency_key="old-2"), task_id, reason="进度滞后")
    first = progress(ledger, as_(ALICE, idempotency_key="old-3"), task_id)
    monkeypatch.undo()

    escalated = ledger.escalate_task(as_(BOB, idempotency_key="old-2"), task_id, reason="提级")
    reported = progress(ledger, as_(BOB, idempotency_key="old-3"), task_id)

    assert not escalated.replayed
    assert not reported.replayed and reported.position > first.position
    assert ledger.get(Task, task_id).version == reported.version
    again = progress(ledger, as_(BOB, idempotency_key="old-3"), task_id)
    assert again == Written(reported.item_id, reported.version, reported.position, replayed=True)


def test_a_unit_sending_a_seed_key_does_not_block_seeding_the_plan(ledger: Ledger) -> None:
    a_unit = unit(ledger, "某街道")
    staff = Actor("staff#9c8d7e6f", Role.UNIT, a_unit)
    ledger.register_task(
        as_(staff, idempotency_key=SECOND_ITEM_KEY), plan_year=PLAN.year, title="抢先登记"
    )

    report = seed_plan(ledger, PLAN)

    assert report.already_there == 0
    second = ledger.get(Task, task_id_for(PLAN, 2))
    assert second.title == PLAN.tasks[1].title
    assert second.version == 2  # registered and assigned by the seed


def test_a_plan_seeded_before_keys_were_scoped_seeds_again_writing_nothing(
    ledger: Ledger, receipts_as_before: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = seed_plan(ledger, PLAN)
    monkeypatch.undo()
    head = ledger.recorder.max_notification_id()

    again = seed_plan(ledger, PLAN)

    assert (again.written, again.already_there) == (0, first.written + first.already_there)
    assert ledger.recorder.max_notification_id() == head


def test_a_seed_key_a_unit_used_before_keys_were_scoped_does_not_block_seeding(
    ledger: Ledger, receipts_as_before: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_unit = unit(ledger, "某街道")
    staff = Actor("staff#9c8d7e6f", Role.UNIT, a_unit)
    task_id = task_in_progress(ledger, a_unit)
    ledger.urge_task(as_(staff, idempotency_key=SECOND_ITEM_KEY), task_id, reason="抢先")
    monkeypatch.undo()

    report = seed_plan(ledger, PLAN)

    assert report.already_there == 0
    assert ledger.get(Task, task_id_for(PLAN, 2)).version == 2


def test_a_plan_whose_item_id_someone_else_took_is_refused_before_anything_is_written(
    ledger: Ledger,
) -> None:
    ledger.register_task(
        office(), plan_year=PLAN.year, title="抢先登记", task_id=task_id_for(PLAN, 2)
    )
    head = ledger.recorder.max_notification_id()

    with pytest.raises(PlanError, match="item 2"):
        seed_plan(ledger, PLAN)

    assert ledger.recorder.max_notification_id() == head
