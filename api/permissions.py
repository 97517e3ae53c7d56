"""Who may see and do what: the one policy table the API asks.

Every root field (query and subscription) and every mutation has a row: for each
role, ALLOW, OWN (only what concerns the caller's own unit: anything else reads
as if it did not exist) or DENY (answered with ``Forbidden``). Personal data
(complainants' names and phone numbers) is shown in clear only to the roles in
``SEES_PERSONAL_DATA``, and only to a read that states a purpose; others, and every
read stating none, see it masked (张** / 138****1234), and every clear read is
recorded in the audit trail with its purpose (``api.graphql.disclosure``). Resolvers do
not decide any of this: they ask here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from domain.commands import spec_of
from domain.ledger import Ledger
from domain.meta import Role


class Rule(Enum):
    ALLOW = "allow"
    OWN = "own unit only"
    DENY = "forbidden"


A, OWN, D = Rule.ALLOW, Rule.OWN, Rule.DENY
ROLES = (Role.OFFICE, Role.UNIT, Role.INSPECTOR, Role.LEADER, Role.VIEWER)


def _row(office: Rule, unit: Rule, inspector: Rule, leader: Rule, viewer: Rule) -> dict[Role, Rule]:
    return dict(zip(ROLES, (office, unit, inspector, leader, viewer), strict=True))


ITEMS = _row(A, OWN, A, A, D)
"""Lists, nodes, history and the audit trail: items themselves."""
AGGREGATES = _row(A, D, A, A, A)
"""Zone-wide figures: a unit sees its own scorecard, not the zone's totals."""
EVERYONE = _row(A, A, A, A, A)

FIELDS: dict[str, dict[Role, Rule]] = {
    # queries
    "tasks": ITEMS,
    "complaints": ITEMS,
    "legacyIssues": ITEMS,
    "interviews": ITEMS,
    "referrals": ITEMS,
    "assessments": ITEMS,
    "measures": ITEMS,
    "enterprises": ITEMS,
    "node": ITEMS,
    "history": ITEMS,
    "events": ITEMS,
    "units": EVERYONE,
    "teams": EVERYONE,
    "intakes": EVERYONE,
    "legacyTargets": EVERYONE,
    "ledgerSeal": EVERYONE,
    "me": EVERYONE,
    "supervisionOverview": AGGREGATES,
    "legacyIssueTotals": AGGREGATES,
    "taskBoard": AGGREGATES,
    "oversightTotals": AGGREGATES,
    "unitScorecards": _row(A, OWN, A, A, A),
    "unitScores": _row(A, OWN, A, A, A),
    "quarterScores": EVERYONE,  # 结果公开发布: published for all to see
    "interviewCandidates": _row(A, D, A, A, D),
    "referralCandidates": _row(A, D, A, A, D),
    # subscriptions
    "ledgerEvents": ITEMS,
    "itemChanged": ITEMS,
}
"""Root fields: queries and subscriptions (the two share the view names)."""


@dataclass(frozen=True)
class CommandRule:
    """Who may run a command: the office runs every one; ``shared_with`` may too, by
    ``rule``. For a unit's own steps (OWN), ``acting_as`` says what the unit must be to the
    item, read from the item itself (its lead units, the unit handling a case, the unit
    responsible for a problem); a relation holding kinds of unit (a task's cooperating
    groups: 各街道) counts every unit of those kinds, as the unit is when it acts. Being
    otherwise involved (cooperating, complained about) lets it see the item, not act on it."""

    shared_with: Role | None = None
    rule: Rule = Rule.DENY
    acting_as: tuple[str, ...] = ()

    def for_role(self, role: Role) -> Rule:
        if role is Role.OFFICE:
            return Rule.ALLOW
        return self.rule if role is self.shared_with else Rule.DENY


OFFICE = CommandRule()
"""Only the office runs it."""


def unit_step(*acting_as: str) -> CommandRule:
    """A unit's own step on the work assigned to it, as ``acting_as`` of the item."""
    return CommandRule(Role.UNIT, OWN, acting_as)


def shared(role: Role) -> CommandRule:
    """A command ``role`` runs as well as the office (leaders, discipline inspection)."""
    return CommandRule(role, A)


COMMANDS: dict[Callable[..., object], CommandRule] = {
    # units
    Ledger.register_unit: OFFICE,
    Ledger.rename_unit: OFFICE,
    Ledger.merge_unit: OFFICE,
    # tasks
    Ledger.register_task: OFFICE,
    Ledger.assign_task: OFFICE,
    Ledger.accept_task: unit_step("lead_units"),
    Ledger.report_progress: unit_step("lead_units", "cooperating_units", "cooperating_groups"),
    Ledger.urge_task: OFFICE,
    Ledger.escalate_task: shared(Role.LEADER),
    Ledger.request_extension: unit_step("lead_units"),
    Ledger.decide_extension: shared(Role.LEADER),
    Ledger.request_completion: unit_step("lead_units"),
    Ledger.verify_task: OFFICE,
    Ledger.reject_completion: OFFICE,
    Ledger.reopen_task: OFFICE,
    # complaints
    Ledger.receive_complaint: OFFICE,
    Ledger.dispatch_complaint: OFFICE,
    Ledger.sign_for_complaint: unit_step("handling_unit"),
    Ledger.return_complaint: unit_step("handling_unit"),
    Ledger.reply_to_complaint: unit_step("handling_unit"),
    Ledger.request_materials: unit_step("handling_unit"),
    Ledger.verify_complaint: OFFICE,
    Ledger.review_appeal: OFFICE,
    Ledger.report_rectification: unit_step("handling_unit"),
    Ledger.call_back: OFFICE,
    Ledger.reopen_complaint: OFFICE,
    Ledger.extend_complaint_deadline: OFFICE,
    Ledger.hand_over_complaint: OFFICE,
    Ledger.close_complaint: OFFICE,
    Ledger.grant_reward: OFFICE,
    # legacy problems and their targets
    Ledger.register_legacy_issue: OFFICE,
    Ledger.adopt_plan: OFFICE,
    Ledger.reach_milestone: unit_step("responsible_unit"),
    Ledger.escalate_legacy_issue: shared(Role.LEADER),
    Ledger.suspend_legacy_issue: OFFICE,
    Ledger.resume_legacy_issue: OFFICE,
    Ledger.verify_resolution: OFFICE,
    Ledger.reopen_legacy_issue: OFFICE,
    Ledger.set_legacy_target: OFFICE,
    Ledger.revise_legacy_target: OFFICE,
    # interviews (约谈)
    Ledger.schedule_interview: OFFICE,
    Ledger.hold_interview: OFFICE,
    Ledger.record_follow_up: OFFICE,
    Ledger.cancel_interview: OFFICE,
    # referrals: discipline inspection takes them and records their outcome
    Ledger.refer_to_discipline: OFFICE,
    Ledger.acknowledge_referral: shared(Role.INSPECTOR),
    Ledger.record_referral_outcome: shared(Role.INSPECTOR),
    # assessments
    Ledger.record_assessment: OFFICE,
    Ledger.revise_assessment: OFFICE,
    # measures (成果运用转化): the responsible unit reports its measure implemented
    Ledger.propose_measure: OFFICE,
    Ledger.implement_measure: unit_step("responsible_unit"),
    Ledger.evaluate_measure: OFFICE,
    Ledger.record_enterprise_evaluation: OFFICE,
    Ledger.publish_quarter_scores: OFFICE,
    # enterprises served one-to-one and their service contracts (契约式服务)
    Ledger.register_enterprise: OFFICE,
    Ledger.sign_service_contract: OFFICE,
    Ledger.amend_service_contract: OFFICE,
    Ledger.close_service_contract: OFFICE,
}
"""Every command offered as a mutation, one line each, keyed by the ``Ledger`` method
itself: the service's own commands (``@command(service=True)``) have none, and a command
without a line fails the schema's build (``api.graphql.mutations``)."""


def _by_name() -> dict[str, CommandRule]:
    rules: dict[str, CommandRule] = {}
    for method, rule in COMMANDS.items():
        spec = spec_of(method)
        if spec is None or spec.service:
            raise TypeError(f"the policy table names {method!r}, which is no mutation's command")
        rules[spec.method] = rule
    return rules


RULES_BY_METHOD = _by_name()
"""The table by method name (``accept_task``)."""

SHARED: dict[str, dict[Role, Rule]] = {
    name: {rule.shared_with: rule.rule}
    for name, rule in RULES_BY_METHOD.items()
    if rule.shared_with is not None
}
"""The commands some role besides the office may run, and how."""


SEES_PERSONAL_DATA = frozenset({Role.OFFICE, Role.INSPECTOR})

ACCESS_RECORDS = ("AccessToken", "Disclosure")
"""Items recording access itself (tokens issued and revoked, reads of personal data):
in the audit trail, the history and the live feed for the office and inspectors only."""
SEES_ACCESS_RECORDS = frozenset({Role.OFFICE, Role.INSPECTOR})

RATER_RECORDS = ("EnterpriseEvaluation",)
"""Items naming who rated a unit (企业评议机关: the enterprise): the rated unit, and the
dashboards, never see their events; the scores reach them through the views."""
NOT_TOLD_THE_RATER = frozenset({Role.UNIT, Role.VIEWER})


DOCUMENTS: dict[str, dict[Role, Rule]] = {
    # the zone's figures by unit, and who was interviewed or referred and why: those who
    # may read both the zone's totals and the items (a unit sees its own scorecard)
    "monthly-bulletin": _row(A, D, A, A, D),
    "interview-notice": FIELDS["interviews"],
    "referral-letter": FIELDS["referrals"],
}
"""The PDF documents (``GET /documents/...``): a unit may have only its own item's."""


def document_rule(role: Role, document: str) -> Rule:
    return DOCUMENTS.get(document, {}).get(role, Rule.DENY)


def field_rule(role: Role, field: str) -> Rule:
    """The rule for a root query or subscription field (DENY for any not in the table)."""
    return FIELDS.get(field, {}).get(role, Rule.DENY)


def command_rule(role: Role, command: str) -> Rule:
    """The rule for a ledger command (the ledger's method name); a command not in the
    table is the office's alone."""
    return RULES_BY_METHOD.get(command, OFFICE).for_role(role)


def acting_as(command: str) -> tuple[str, ...]:
    """What a unit must be to the item to run ``command`` on it (for OWN rules)."""
    return RULES_BY_METHOD.get(command, OFFICE).acting_as


def may_run(role: Role, command: str) -> bool:
    return command_rule(role, command) is not Rule.DENY


def roles_for(command: str) -> list[Role]:
    """The roles that may run ``command``, for the schema's documentation."""
    return [r for r in ROLES if command_rule(r, command) is not Rule.DENY]


def sees_personal_data(role: Role) -> bool:
    return role in SEES_PERSONAL_DATA


def hidden_item_types(role: Role) -> tuple[str, ...]:
    """The item types whose events ``role`` does not see."""
    access = () if role in SEES_ACCESS_RECORDS else ACCESS_RECORDS
    return access + (RATER_RECORDS if role in NOT_TOLD_THE_RATER else ())


def policy_table() -> list[tuple[str, dict[Role, Rule]]]:
    """Every root field with its rule for each role (for the docs and the tests)."""
    return sorted(FIELDS.items())


def mask_name(name: str) -> str:
    """张三丰 -> 张**."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812341234 -> 138****1234; a shorter number (a landline) keeps only its last
    digits, never more than half of them: 83651234 -> ****1234."""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    shown = min(4, len(digits) // 2)
    return "*" * (len(digits) - shown) + (digits[-shown:] if shown else "")
