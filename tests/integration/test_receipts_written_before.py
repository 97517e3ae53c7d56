"""The idempotency receipts a ledger already holds store each command's name as it was
written by hand before commands were declared once (issue 13): the names now derived from
the methods are those same names, so a receipt written before answers its repeat the same
way after."""

from __future__ import annotations

import inspect

import pytest

from domain.commands import spec_of
from domain.errors import IdempotencyKeyReused
from domain.ledger import Ledger
from domain.meta import EventMeta
from domain.receipt import Receipt
from domain.unit import Unit, UnitKind
from tests.integration.builders import OFFICE, office

STORED_NAMES = {
    "register_unit": "registerUnit",
    "rename_unit": "renameUnit",
    "merge_unit": "mergeUnit",
    "register_task": "registerTask",
    "assign_task": "assignTask",
    "accept_task": "acceptTask",
    "report_progress": "reportProgress",
    "urge_task": "urgeTask",
    "escalate_task": "escalateTask",
    "request_extension": "requestExtension",
    "decide_extension": "decideExtension",
    "request_completion": "requestCompletion",
    "verify_task": "verifyTask",
    "reject_completion": "rejectCompletion",
    "reopen_task": "reopenTask",
    "receive_complaint": "receiveComplaint",
    "dispatch_complaint": "dispatchComplaint",
    "sign_for_complaint": "signForComplaint",
    "return_complaint": "returnComplaint",
    "reply_to_complaint": "replyToComplaint",
    "request_materials": "requestMaterials",
    "verify_complaint": "verifyComplaint",
    "review_appeal": "reviewAppeal",
    "report_rectification": "reportRectification",
    "call_back": "callBack",
    "reopen_complaint": "reopenComplaint",
    "extend_complaint_deadline": "extendComplaintDeadline",
    "hand_over_complaint": "handOverComplaint",
    "close_complaint": "closeComplaint",
    "grant_reward": "grantReward",
    "register_legacy_issue": "registerLegacyIssue",
    "adopt_plan": "adoptPlan",
    "reach_milestone": "reachMilestone",
    "escalate_legacy_issue": "escalateLegacyIssue",
    "suspend_legacy_issue": "suspendLegacyIssue",
    "resume_legacy_issue": "resumeLegacyIssue",
    "verify_resolution": "verifyResolution",
    "reopen_legacy_issue": "reopenLegacyIssue",
    "set_legacy_target": "setLegacyTarget",
    "revise_legacy_target": "reviseLegacyTarget",
    "schedule_interview": "scheduleInterview",
    "hold_interview": "holdInterview",
    "record_follow_up": "recordFollowUp",
    "cancel_interview": "cancelInterview",
    "refer_to_discipline": "referToDiscipline",
    "acknowledge_referral": "acknowledgeReferral",
    "record_referral_outcome": "recordReferralOutcome",
    "record_assessment": "recordAssessment",
    "revise_assessment": "reviseAssessment",
    "record_enterprise_evaluation": "recordEnterpriseEvaluation",
    "publish_quarter_scores": "publishQuarterScores",
    "issue_token": "issueToken",
    "revoke_token": "revokeToken",
    "record_disclosure": "recordDisclosure",
    "adopt_holiday_schedule": "adoptHolidaySchedule",
    "recompute_complaint_deadlines": "recomputeComplaintDeadlines",
    "urge_overdue_task": "urgeOverdueTask",
    "urge_overdue_complaint": "urgeOverdueComplaint",
    "deem_extension_approved": "deemExtensionApproved",
    "register_enterprise": "registerEnterprise",
    "sign_service_contract": "signServiceContract",
    "amend_service_contract": "amendServiceContract",
    "close_service_contract": "closeServiceContract",
    "propose_measure": "proposeMeasure",
    "implement_measure": "implementMeasure",
    "evaluate_measure": "evaluateMeasure",
}
"""Every command's name as the receipts of existing ledgers store it."""


def test_every_command_names_its_receipts_as_the_stored_receipts_name_it() -> None:
    declared = {
        name: spec.name
        for name, function in inspect.getmembers(Ledger, inspect.isfunction)
        if (spec := spec_of(function)) is not None
    }
    assert declared == STORED_NAMES


def _as_before(ledger: Ledger) -> EventMeta:
    now = ledger.clock()
    return EventMeta(OFFICE, occurred_at=now, recorded_at=now, request_id="before")


def test_a_receipt_of_a_new_item_written_before_answers_its_repeat_as_replayed(
    ledger: Ledger,
) -> None:
    made = Unit.register("区水利局", UnitKind.DEPARTMENT, _as_before(ledger))
    receipt = Receipt.issue(
        OFFICE, "k-unit", command="registerUnit", item_id=made.id, item_version=1, fingerprint=None
    )
    ledger.save(made, receipt)

    again = ledger.register_unit(
        office(idempotency_key="k-unit"), name="区水利局", kind=UnitKind.DEPARTMENT
    )

    assert again.replayed
    assert (again.item_id, again.version) == (made.id, 1)
    assert again.position == ledger.position_of(made.id, 1)
    assert ledger.answered(Ledger.register_unit, office(idempotency_key="k-unit")) == again
    with pytest.raises(IdempotencyKeyReused):
        ledger.register_task(office(idempotency_key="k-unit"), plan_year=2026, title="另一件事")


def test_a_receipt_of_a_change_written_before_answers_its_repeat_as_replayed(
    ledger: Ledger,
) -> None:
    unit_id = ledger.register_unit(office(), name="区水利局", kind=UnitKind.DEPARTMENT).item_id
    unit = ledger.get(Unit, unit_id)
    unit.rename("区水务局", _as_before(ledger))
    receipt = Receipt.issue(
        OFFICE, "k-rename", command="renameUnit", item_id=unit_id, item_version=2, fingerprint=None
    )
    ledger.save(unit, receipt)

    again = ledger.rename_unit(office(idempotency_key="k-rename"), unit_id, name="区水务局")

    assert again.replayed
    assert (again.item_id, again.version) == (unit_id, 2)
    assert ledger.get(Unit, unit_id).version == 2
    with pytest.raises(IdempotencyKeyReused):
        ledger.merge_unit(office(idempotency_key="k-rename"), unit_id, into=unit_id)
