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

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.access import token_hash
from domain.assessment import AssessmentKind, Verdict
from domain.calendar import HolidaySchedule
from domain.channels import Channel
from domain.credit_code import check_character
from domain.enterprise_evaluation import CriterionScore
from domain.errors import ValidationError
from domain.escalation import Milestone
from domain.ledger import Ledger
from domain.ledger_base import Written
from domain.legacy_issue import LegacyCategory
from domain.legacy_target import legacy_target_id_for
from domain.measure import MeasureKind
from domain.meta import Role
from domain.person import Person
from domain.quarter_scores import PublishedScore
from domain.unit import UnitKind
from projections.engine import Runner
from projections.tables import metadata
from tests.clock import now, today
from tests.conftest import examples
from tests.integration.builders import office, task_in_progress, unit
from tests.projections.engine_builders import runner_at

Recipe = Callable[[Ledger, str, Any], object]
"""Sends the command, with ``text`` in the named input and valid values in the others."""


def _last_quarter() -> str:
    """The quarter before today's (ended)."""
    day = today()
    quarter = (day.month - 1) // 3  # today's quarter, from 0
    return f"{day.year}-Q{quarter}" if quarter else f"{day.year - 1}-Q4"


def _published(ledger: Ledger, **text: str) -> Written:
    """The last quarter's scores published by a stub of the read models' scorer (what it
    computes is not this test's concern), then, for ``reason``, published again."""
    unit_id = _unit(ledger)
    score = iter(["90.0", "80.0"])
    ledger.score_with(lambda q, f: [PublishedScore(unit_id, Decimal(next(score)), 1)])
    quarter = text.get("quarter", _last_quarter())
    written = ledger.publish_quarter_scores(office(), quarter=quarter)
    if "reason" not in text:
        return written
    return ledger.publish_quarter_scores(office(), quarter=quarter, reason=text["reason"])


def _unit(ledger: Ledger) -> UUID:
    return unit(ledger, f"单位{uuid4().hex}")


def _credit_code() -> str:
    """A valid 统一社会信用代码 of its own (an enterprise's id follows from its code)."""
    body = f"912102{uuid4().int % 10**11:011d}"
    return body + check_character(body)


def _enterprise(ledger: Ledger, **texts: Any) -> UUID:
    fields: dict[str, Any] = {"name": "某科技有限公司", "credit_code": _credit_code()} | texts
    served_by = Person(name="张某", post="科长")
    return ledger.register_enterprise(
        office(), unit=_unit(ledger), served_by=served_by, **fields
    ).item_id


def _contracted(ledger: Ledger, **texts: Any) -> UUID:
    enterprise = _enterprise(ledger)
    fields: dict[str, Any] = {"commitments": ["一对一服务"]} | texts
    ledger.sign_service_contract(
        office(),
        enterprise,
        agency=_unit(ledger),
        term_from=today(),
        term_to=today() + timedelta(days=365),
        **fields,
    )
    return enterprise


def _task(ledger: Ledger) -> UUID:
    return task_in_progress(ledger, _unit(ledger))


def _complaint(ledger: Ledger, **texts: Any) -> UUID:
    written = ledger.receive_complaint(
        office(),
        channel=texts.pop("channel", Channel.HOTLINE_12345),
        summary=texts.pop("summary", "办事难"),
        first_responder=_unit(ledger),
        **texts,
    )
    return written.item_id


def _complaint_at(ledger: Ledger, steps: str, channel: Channel = Channel.HOTLINE_12345) -> UUID:
    """A complaint taken through the named steps (a space-separated list) to the state
    the command needs, as ``tests.domain.builders.complaint_through`` names them."""
    complaint, handler = _complaint(ledger, channel=channel), _unit(ledger)
    acts: dict[str, Callable[[], object]] = {
        "dispatch": lambda: ledger.dispatch_complaint(office(), complaint, unit=handler),
        "sign": lambda: ledger.sign_for_complaint(office(), complaint, unit=handler),
        "founded": lambda: ledger.verify_complaint(
            office(), complaint, founded=True, finding="情况属实"
        ),
        "unfounded": lambda: ledger.verify_complaint(
            office(), complaint, founded=False, finding="经核查不属实"
        ),
        "rectify": lambda: ledger.report_rectification(office(), complaint, narrative="已整改"),
        "satisfied": lambda: ledger.call_back(office(), complaint, satisfied=True),
        "unsatisfied": lambda: ledger.call_back(office(), complaint, satisfied=False),
        "close": lambda: ledger.close_complaint(office(), complaint),
    }
    for step in steps.split():
        acts[step]()
    return complaint


def _return_complaint(ledger: Ledger, reason: str) -> object:
    """The unit a complaint was dispatched to returns it."""
    complaint, handler = _complaint(ledger), _unit(ledger)
    ledger.dispatch_complaint(office(), complaint, unit=handler)
    return ledger.return_complaint(office(), complaint, unit=handler, reason=reason)


def _report_progress(ledger: Ledger, field: str, text: Any) -> object:
    """Progress on a task whose milestones are those reported reached (when they can be
    a milestone's keys; else the text is sent to be refused)."""
    texts: dict[str, Any] = {"narrative": "进展", "milestones_reached": []} | {field: text}
    task = ledger.register_task(office(), plan_year=today().year, title="标题").item_id
    lead, due = _unit(ledger), today() + timedelta(days=365)

    def assign(keys: list[str]) -> None:
        milestones = [Milestone(key, "节点", due) for key in keys]
        ledger.assign_task(office(), task, lead_units=[lead], deadline=due, milestones=milestones)

    try:
        assign(texts["milestones_reached"])
    except ValidationError as refused:
        assert refused.field == "milestones", refused
        assign(["依据"])
    ledger.accept_task(office(), task, unit=lead)
    return ledger.report_progress(office(), task, percent=20, **texts)


def _task_at(ledger: Ledger, state: str) -> UUID:
    """A task in progress taken on to ``state``: "extension_requested",
    "completion_requested" or "closed"."""
    task = _task(ledger)
    if state == "extension_requested":
        ledger.request_extension(
            office(), task, new_deadline=today() + timedelta(days=400), reason="工期紧"
        )
    if state in ("completion_requested", "closed"):
        ledger.request_completion(office(), task, summary="全部完成")
    if state == "closed":
        ledger.verify_task(office(), task, note="核验通过")
    return task


def _referral(ledger: Ledger, **texts: Any) -> UUID:
    return ledger.refer_to_discipline(
        office(),
        unit=_unit(ledger),
        reason=texts.pop("reason", "推诿扯皮"),
        evidence=[1],
        **texts,
    ).item_id


def _acknowledged(ledger: Ledger) -> UUID:
    referral = _referral(ledger)
    ledger.acknowledge_referral(office(), referral, note="已受理")
    return referral


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


def _legacy_at(ledger: Ledger, state: str, key: str = "survey") -> UUID:
    """A legacy issue taken to ``state``: "planned" (with one milestone, ``key``),
    "suspended" or "resolved"."""
    issue = _legacy(ledger)
    if state == "suspended":
        ledger.suspend_legacy_issue(office(), issue, reason="诉讼中")
        return issue
    milestones = [Milestone(key, "完成测绘", today() + timedelta(days=100))]
    ledger.adopt_plan(office(), issue, plan="先测绘后办证", milestones=milestones)
    if state == "resolved":
        ledger.verify_resolution(office(), issue, note="已办证")
    return issue


def _reach_milestone(ledger: Ledger, key: str) -> object:
    """The text is made the key of the plan's milestone, and reached; a text that cannot
    be a milestone's key is sent against a plan with another key, to be refused."""
    try:
        issue = _legacy_at(ledger, "planned", key=key)
    except ValidationError as refused:
        assert refused.field == "milestones", refused
        issue = _legacy_at(ledger, "planned")
    return ledger.reach_milestone(office(), issue, key=key)


def _free_target_year(ledger: Ledger) -> int:
    """The first year after this one with no legacy target yet (one target a year)."""
    year = today().year + 1
    while ledger.exists(legacy_target_id_for(year)):
        year += 1
    return year


def _set_target(ledger: Ledger, goal: str) -> object:
    year = _free_target_year(ledger)
    return ledger.set_legacy_target(office(), year=year, goal=goal, due=date(year, 12, 31))


def _revise_target(ledger: Ledger, field: str, text: str) -> object:
    year = _free_target_year(ledger)
    target = ledger.set_legacy_target(
        office(), year=year, goal="大幅度减少总量", due=date(year, 12, 31)
    ).item_id
    texts: dict[str, Any] = {"goal": "取得阶段性重大进展", "reason": "进度调整"} | {field: text}
    return ledger.revise_legacy_target(
        office(), target, due=date(year, 6, 30), required_resolved_percent=50, **texts
    )


def _interview(ledger: Ledger, **texts: Any) -> UUID:
    fields: dict[str, Any] = {"interviewee": "负责人", "reason": "进展滞后"} | texts
    lead = _unit(ledger)
    return ledger.schedule_interview(  # arranged an hour ago for half an hour ago: due now
        office(occurred_at=now() - timedelta(hours=1)),
        unit=lead,
        cited_items=[task_in_progress(ledger, lead)],
        scheduled_for=now() - timedelta(minutes=30),
        **fields,
    ).item_id


def _hold(ledger: Ledger, interview: UUID, **texts: Any) -> object:
    fields: dict[str, Any] = {
        "facts": "进度滞后",
        "commitments": ["两周内完成"],
        "demands": ["提交整改报告"],
    } | texts
    return ledger.hold_interview(
        office(), interview, rectify_by=today() + timedelta(days=14), **fields
    )


def _held(ledger: Ledger) -> UUID:
    interview = _interview(ledger)
    _hold(ledger, interview)
    return interview


def _assessment(ledger: Ledger) -> UUID:
    return ledger.record_assessment(
        office(),
        unit=_unit(ledger),
        period=f"{today().year}-Q1",
        kind=next(iter(AssessmentKind)),
        score=Decimal("90.0"),
    ).item_id


def _measure(ledger: Ledger, **texts: Any) -> UUID:
    """A training proposed from a legacy problem just registered (a founded finding)."""
    fields: dict[str, Any] = {"title": "窗口人员培训", "description": "一次告知培训"} | texts
    return ledger.propose_measure(
        office(),
        kind=MeasureKind.TRAINING,
        responsible_unit=_unit(ledger),
        findings=[_legacy(ledger)],
        **fields,
    ).item_id


def _implemented(ledger: Ledger) -> UUID:
    measure = _measure(ledger)
    ledger.implement_measure(office(), measure, evidence=["区住建发〔2021〕12号"])
    return measure


def _issue_token(ledger: Ledger, field: str, text: str) -> Written:
    """A token for the office; ``secret_hash`` must be 64 characters long, so a text sent
    there is made that long with hex digits after it (a longer one is sent as it is)."""
    secret_hash = token_hash(uuid4().hex)
    if field == "secret_hash":
        secret_hash = text + secret_hash[len(text) :]
    texts: dict[str, Any] = {"name": "督查室令牌"} | ({"name": text} if field == "name" else {})
    return ledger.issue_token(
        office(),
        secret_hash=secret_hash,
        role=Role.OFFICE,
        expires_at=now() + timedelta(days=30),
        **texts,
    )


HOLIDAY_YEAR = 2199
"""A year no other test's deadlines reach, whose schedule each adoption changes."""


def _adopt_schedule(ledger: Ledger, **texts: Any) -> object:
    """A schedule for ``HOLIDAY_YEAR`` other than the one in force (the same days again
    would record nothing, and so check no text)."""
    calendar = ledger.holiday_calendar()
    in_force = calendar.schedules.get(HOLIDAY_YEAR) if calendar else None
    first = date(HOLIDAY_YEAR, 10, 1)
    day_off = first + timedelta(days=1) if in_force and first in in_force.days_off else first
    fields: dict[str, Any] = {"source": "国务院办公厅通知", "digest": "sha256:00"} | texts
    return ledger.adopt_holiday_schedule(
        office(),
        schedule=HolidaySchedule(HOLIDAY_YEAR, (day_off,), ()),
        **fields,
    )


DISCLOSED: dict[str, Any] = {
    "fields": ["complainant_name"],
    "purpose": "核实诉求",
    "read_in": "history",
}
"""What a disclosure says was read, why and where, but for the text sent."""

RECIPES: dict[str, Recipe] = {
    "register_unit": lambda lg, f, v: lg.register_unit(office(), name=v, kind=UnitKind.DEPARTMENT),
    "rename_unit": lambda lg, f, v: lg.rename_unit(office(), _unit(lg), name=v),
    "register_task": lambda lg, f, v: lg.register_task(
        office(),
        plan_year=today().year,
        **({"title": "标题"} | {f: v}),  # type: ignore[arg-type]
    ),
    "assign_task": lambda lg, f, v: lg.assign_task(
        office(),
        lg.register_task(office(), plan_year=today().year, title="标题").item_id,
        lead_units=[_unit(lg)],
        cooperating_units=[_unit(lg)],
        cooperation_note=v,
        deadline=today() + timedelta(days=365),
    ),
    "urge_task": lambda lg, f, v: lg.urge_task(office(), _task(lg), reason=v),
    "escalate_task": lambda lg, f, v: lg.escalate_task(office(), _task(lg), reason=v),
    "request_extension": lambda lg, f, v: lg.request_extension(
        office(), _task(lg), new_deadline=today() + timedelta(days=400), reason=v
    ),
    "decide_extension": lambda lg, f, v: lg.decide_extension(
        office(), _task_at(lg, "extension_requested"), approved=True, note=v
    ),
    "request_completion": lambda lg, f, v: lg.request_completion(office(), _task(lg), summary=v),
    "verify_task": lambda lg, f, v: lg.verify_task(
        office(), _task_at(lg, "completion_requested"), note=v
    ),
    "reject_completion": lambda lg, f, v: lg.reject_completion(
        office(), _task_at(lg, "completion_requested"), reason=v
    ),
    "reopen_task": lambda lg, f, v: lg.reopen_task(office(), _task_at(lg, "closed"), reason=v),
    "report_progress": _report_progress,
    "receive_complaint": lambda lg, f, v: _complaint(lg, **{f: v}),
    "return_complaint": lambda lg, f, v: _return_complaint(lg, v),
    "reply_to_complaint": lambda lg, f, v: lg.reply_to_complaint(
        office(), _complaint_at(lg, "dispatch"), text=v
    ),
    "request_materials": lambda lg, f, v: lg.request_materials(
        office(),
        _complaint_at(lg, "dispatch sign"),
        **({"items": ["营业执照副本"], "note": "请补齐"} | {f: v}),  # type: ignore[arg-type]
    ),
    "verify_complaint": lambda lg, f, v: lg.verify_complaint(
        office(), _complaint_at(lg, "dispatch sign"), founded=True, finding=v
    ),
    "review_appeal": lambda lg, f, v: lg.review_appeal(
        office(), _complaint_at(lg, "dispatch sign unfounded"), upheld=True, note=v
    ),
    "report_rectification": lambda lg, f, v: lg.report_rectification(
        office(),
        _complaint_at(lg, "dispatch sign founded"),
        **({"narrative": "已整改", "evidence": ["photo-1"]} | {f: v}),  # type: ignore[arg-type]
    ),
    "call_back": lambda lg, f, v: lg.call_back(
        office(), _complaint_at(lg, "dispatch sign founded rectify"), satisfied=False, note=v
    ),
    "reopen_complaint": lambda lg, f, v: lg.reopen_complaint(
        office(), _complaint_at(lg, "dispatch sign founded rectify unsatisfied"), reason=v
    ),
    "close_complaint": lambda lg, f, v: lg.close_complaint(
        office(), _complaint_at(lg, "dispatch sign founded rectify satisfied"), note=v
    ),
    "grant_reward": lambda lg, f, v: lg.grant_reward(
        office(),
        _complaint_at(lg, "dispatch sign founded rectify satisfied close", Channel.FAULT_FINDING),
        amount_yuan=200,
        note=v,
    ),
    "extend_complaint_deadline": lambda lg, f, v: lg.extend_complaint_deadline(
        office(), _complaint(lg), working_days=1, reason=v
    ),
    "hand_over_complaint": lambda lg, f, v: lg.hand_over_complaint(
        office(), _complaint(lg), to_unit=_unit(lg), note=v
    ),
    "register_legacy_issue": lambda lg, f, v: _legacy(lg, **{f: v}),
    "adopt_plan": lambda lg, f, v: lg.adopt_plan(office(), _legacy(lg), plan=v),
    "reach_milestone": lambda lg, f, v: _reach_milestone(lg, v),
    "escalate_legacy_issue": lambda lg, f, v: lg.escalate_legacy_issue(
        office(), _legacy(lg), reason=v
    ),
    "suspend_legacy_issue": lambda lg, f, v: lg.suspend_legacy_issue(
        office(), _legacy(lg), reason=v
    ),
    "resume_legacy_issue": lambda lg, f, v: lg.resume_legacy_issue(
        office(), _legacy_at(lg, "suspended"), note=v
    ),
    "verify_resolution": lambda lg, f, v: lg.verify_resolution(
        office(), _legacy_at(lg, "planned"), note=v
    ),
    "reopen_legacy_issue": lambda lg, f, v: lg.reopen_legacy_issue(
        office(), _legacy_at(lg, "resolved"), reason=v
    ),
    "set_legacy_target": lambda lg, f, v: _set_target(lg, v),
    "revise_legacy_target": _revise_target,
    "refer_to_discipline": lambda lg, f, v: _referral(lg, **{f: v}),
    "acknowledge_referral": lambda lg, f, v: lg.acknowledge_referral(
        office(), _referral(lg), note=v
    ),
    "record_referral_outcome": lambda lg, f, v: lg.record_referral_outcome(
        office(), _acknowledged(lg), outcome=v, accountable=True
    ),
    "schedule_interview": lambda lg, f, v: _interview(lg, **{f: v}),
    "hold_interview": lambda lg, f, v: _hold(lg, _interview(lg), **{f: v}),
    "record_follow_up": lambda lg, f, v: lg.record_follow_up(
        office(), _held(lg), narrative=v, rectified=False
    ),
    "cancel_interview": lambda lg, f, v: lg.cancel_interview(office(), _interview(lg), reason=v),
    "record_assessment": lambda lg, f, v: lg.record_assessment(
        office(),
        unit=_unit(lg),
        kind=next(iter(AssessmentKind)),
        score=Decimal("90.0"),
        **({"period": f"{today().year}-Q1"} | {f: v}),  # type: ignore[arg-type]
    ),
    "record_enterprise_evaluation": lambda lg, f, v: lg.record_enterprise_evaluation(
        office(),
        unit=_unit(lg),
        scores=[CriterionScore("办事效率", Decimal("90.0"))],
        **({"enterprise": "恒力石化", "quarter": f"{today().year}-Q1"} | {f: v}),  # type: ignore[arg-type]
    ),
    "publish_quarter_scores": lambda lg, f, v: _published(lg, **{f: v}),
    "revise_assessment": lambda lg, f, v: lg.revise_assessment(
        office(),
        _assessment(lg),
        score=Decimal("85.5"),
        verdict=Verdict.PENALTY,
        **({"reason": "复核调整", "note": "扣分"} | {f: v}),
    ),
    "register_enterprise": lambda lg, f, v: _enterprise(lg, **{f: v}),
    "sign_service_contract": lambda lg, f, v: _contracted(lg, **{f: v}),
    "amend_service_contract": lambda lg, f, v: lg.amend_service_contract(
        office(),
        _contracted(lg),
        **({"commitments": ["一对一服务"], "reason": "调整承诺"} | {f: v}),
        term_to=today() + timedelta(days=400),
    ),
    "close_service_contract": lambda lg, f, v: lg.close_service_contract(
        office(), _contracted(lg), reason=v
    ),
    "propose_measure": lambda lg, f, v: _measure(lg, **{f: v}),
    "implement_measure": lambda lg, f, v: lg.implement_measure(office(), _measure(lg), evidence=v),
    "evaluate_measure": lambda lg, f, v: lg.evaluate_measure(
        office(), _implemented(lg), effective=True, assessment=v
    ),
    "issue_token": _issue_token,
    "revoke_token": lambda lg, f, v: lg.revoke_token(
        office(), _issue_token(lg, "name", "督查室令牌").item_id, reason=v
    ),
    "record_disclosure": lambda lg, f, v: lg.record_disclosure(
        office(),
        items=[_complaint(lg)],
        **(DISCLOSED | {f: v}),
    ),
    "adopt_holiday_schedule": lambda lg, f, v: _adopt_schedule(lg, **{f: v}),
}
"""The list-valued inputs get the text as one of their entries (see ``_value``)."""

NOT_COVERED: dict[str, str] = {}
"""Commands with text inputs no recipe sends text to, each with the reason: none, since
every command's items can be made in the state it needs. A command added without a
recipe belongs here only if it truly cannot be driven from ``Ledger`` alone."""


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


@pytest.mark.slow
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
