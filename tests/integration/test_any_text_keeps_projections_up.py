"""Any text, through every text input of the commands, leaves every projection up to
date, on SQLite and PostgreSQL: each command either records the text or refuses it with
a ``ValidationError`` naming the field and writes nothing, and after what was recorded
every projection reaches the log's head, its tables read back whole.

The commands are found on ``Ledger`` itself (every method taking a ``CommandContext``):
each with a text input has a recipe here, which makes the items it needs and sends it
the text, or is listed as not covered, saying why. A new command is neither, and
``test_every_command_with_text_is_covered_or_said_not_to_be`` names it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.assessment import AssessmentKind
from domain.channels import Channel
from domain.errors import ValidationError
from domain.ledger import Ledger
from domain.legacy_issue import LegacyCategory
from domain.unit import UnitKind
from projections.engine import Runner
from projections.tables import metadata
from tests.clock import now, today
from tests.conftest import examples
from tests.integration.builders import office, task_in_progress, unit
from tests.projections.engine_builders import runner_at

Recipe = Callable[[Ledger, str, Any], object]
"""Sends the command, with ``text`` in the named input and valid values in the others."""


def _unit(ledger: Ledger) -> UUID:
    return unit(ledger, f"单位{uuid4().hex}")


def _task(ledger: Ledger) -> UUID:
    return task_in_progress(ledger, _unit(ledger))


def _complaint(ledger: Ledger, **texts: Any) -> UUID:
    written = ledger.receive_complaint(
        office(),
        channel=Channel.HOTLINE_12345,
        summary=texts.pop("summary", "办事难"),
        first_responder=_unit(ledger),
        **texts,
    )
    return written.item_id


def _referral(ledger: Ledger, **texts: Any) -> UUID:
    return ledger.refer_to_discipline(
        office(),
        unit=_unit(ledger),
        reason=texts.pop("reason", "推诿扯皮"),
        evidence=[1],
        **texts,
    ).item_id


def _legacy(ledger: Ledger, **texts: Any) -> UUID:
    fields: dict[str, Any] = {"title": "历史遗留", "cause": "原因"} | texts
    return ledger.register_legacy_issue(
        office(),
        category=next(iter(LegacyCategory)),
        responsible_unit=_unit(ledger),
        target_year=today().year,
        baseline=False,
        **fields,
    ).item_id


def _interview(ledger: Ledger, **texts: Any) -> UUID:
    fields: dict[str, Any] = {"interviewee": "负责人", "reason": "进展滞后"} | texts
    lead = _unit(ledger)
    return ledger.schedule_interview(
        office(),
        unit=lead,
        cited_items=[task_in_progress(ledger, lead)],
        scheduled_for=now() + timedelta(days=3),
        **fields,
    ).item_id


RECIPES: dict[str, Recipe] = {
    "register_unit": lambda lg, f, v: lg.register_unit(office(), name=v, kind=UnitKind.DEPARTMENT),
    "rename_unit": lambda lg, f, v: lg.rename_unit(office(), _unit(lg), name=v),
    "register_task": lambda lg, f, v: lg.register_task(
        office(),
        plan_year=today().year,
        **({"title": "标题"} | {f: v}),  # type: ignore[arg-type]
    ),
    "urge_task": lambda lg, f, v: lg.urge_task(office(), _task(lg), reason=v),
    "escalate_task": lambda lg, f, v: lg.escalate_task(office(), _task(lg), reason=v),
    "request_extension": lambda lg, f, v: lg.request_extension(
        office(), _task(lg), new_deadline=today() + timedelta(days=400), reason=v
    ),
    "request_completion": lambda lg, f, v: lg.request_completion(office(), _task(lg), summary=v),
    "report_progress": lambda lg, f, v: lg.report_progress(
        office(), _task(lg), percent=20, **({"narrative": "进展"} | {f: v})
    ),
    "receive_complaint": lambda lg, f, v: _complaint(lg, **{f: v}),
    "register_legacy_issue": lambda lg, f, v: _legacy(lg, **{f: v}),
    "set_legacy_target": lambda lg, f, v: lg.set_legacy_target(
        office(), year=today().year + 1, goal=v, due=date(today().year + 1, 12, 31)
    ),
    "refer_to_discipline": lambda lg, f, v: _referral(lg, **{f: v}),
    "record_referral_outcome": lambda lg, f, v: lg.record_referral_outcome(
        office(), _referral(lg), outcome=v, accountable=True
    ),
    "schedule_interview": lambda lg, f, v: _interview(lg, **{f: v}),
    "record_assessment": lambda lg, f, v: lg.record_assessment(
        office(),
        unit=_unit(lg),
        kind=next(iter(AssessmentKind)),
        score=Decimal("90.0"),
        **({"period": f"{today().year}-Q1"} | {f: v}),  # type: ignore[arg-type]
    ),
}
"""The list-valued inputs get the text as one of their entries (see ``_value``)."""

NOT_COVERED: dict[str, str] = dict.fromkeys(
    (
        "acknowledge_referral",
        "adopt_holiday_schedule",
        "adopt_plan",
        "assign_task",
        "call_back",
        "cancel_interview",
        "close_complaint",
        "decide_extension",
        "escalate_legacy_issue",
        "extend_complaint_deadline",
        "grant_reward",
        "hand_over_complaint",
        "hold_interview",
        "issue_token",
        "reach_milestone",
        "record_disclosure",
        "record_follow_up",
        "reject_completion",
        "reopen_complaint",
        "reopen_legacy_issue",
        "reopen_task",
        "reply_to_complaint",
        "report_rectification",
        "resume_legacy_issue",
        "return_complaint",
        "review_appeal",
        "revise_assessment",
        "revise_legacy_target",
        "revoke_token",
        "suspend_legacy_issue",
        "verify_complaint",
        "verify_resolution",
        "verify_task",
    ),
    "needs an item in a later state than this test builds",
)
"""Commands with text inputs this test does not send text yet (the same check of every
event's fields guards them: ``domain.meta``); each is a recipe to write."""


def text_inputs() -> dict[str, list[str]]:
    """Every command of ``Ledger`` (a public method whose first argument is a
    ``CommandContext``, as the mutations are found) with its text inputs (a ``str``, or a
    sequence of them), read from the annotations as written."""
    found = {}
    for name, method in inspect.getmembers(Ledger, inspect.isfunction):
        parameters = list(inspect.signature(method).parameters.values())
        if name.startswith("_") or [p.annotation for p in parameters[1:2]] != ["CommandContext"]:
            continue
        texts = [p.name for p in parameters if p.annotation in TEXT_ANNOTATIONS]
        if texts:
            found[name] = texts
    return found


TEXT_ANNOTATIONS = ("str", "Sequence[str]", "list[str]", "tuple[str, ...]", "str | None")


def test_every_command_with_text_is_covered_or_said_not_to_be() -> None:
    commands = text_inputs()
    unaccounted = sorted(set(commands) - set(RECIPES) - set(NOT_COVERED))
    assert unaccounted == [], f"commands with text inputs no recipe sends text: {unaccounted}"
    assert set(RECIPES) <= set(commands), "a recipe for a command that takes no text"


CASES = [
    (name, field) for name, fields in text_inputs().items() if name in RECIPES for field in fields
]
ANY_TEXT = st.lists(
    st.characters(codec=None, categories=None)  # every code point, surrogates too
    | st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\x7f", "\t", "\n", " ", "\\u0000"]),
    max_size=12,
).map("".join)
RUNNERS: dict[int, Runner] = {}


def _value(ledger: Ledger, name: str, field: str, text: str) -> Any:
    annotation = inspect.signature(getattr(Ledger, name)).parameters[field].annotation
    return ["依据", text] if "[" in annotation else text


def _head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


@settings(
    max_examples=examples(40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=st.sampled_from(CASES), text=ANY_TEXT)
def test_any_text_through_any_command_leaves_every_projection_up_to_date(
    ledger: Ledger, database_url: str, case: tuple[str, str], text: str
) -> None:
    name, field = case
    recipe = RECIPES[name]
    try:
        recipe(ledger, field, _value(ledger, name, field, text))
    except ValidationError as refused:
        assert refused.field.startswith(field), (name, field, refused.field, refused)
    runner = RUNNERS.get(id(ledger))
    if runner is None:
        runner = RUNNERS[id(ledger)] = runner_at(database_url, ledger, batch_size=50)
    runner.catch_up()
    head = _head(ledger)
    assert [(s.name, s.error) for s in runner.failures()] == []
    assert {s.position for s in runner.status()} == {head}
    with runner.engine.connect() as conn:
        for table in metadata.sorted_tables:
            conn.execute(select(table)).all()  # every row reads back
