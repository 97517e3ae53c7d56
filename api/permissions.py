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

from enum import Enum

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
    "node": ITEMS,
    "history": ITEMS,
    "events": ITEMS,
    "units": EVERYONE,
    "legacyTargets": EVERYONE,
    "ledgerSeal": EVERYONE,
    "supervisionOverview": AGGREGATES,
    "legacyIssueTotals": AGGREGATES,
    "unitScorecards": _row(A, OWN, A, A, A),
    "interviewCandidates": _row(A, D, A, A, D),
    # subscriptions
    "ledgerEvents": ITEMS,
    "itemChanged": ITEMS,
}
"""Root fields: queries and subscriptions (the two share the view names)."""

# Mutations: the office runs every command; these roles may run these as well. A
# unit's staff act only on items that concern their unit.
SHARED: dict[str, dict[Role, Rule]] = {
    # the units' own steps on the work assigned to them
    "accept_task": {Role.UNIT: OWN},
    "report_progress": {Role.UNIT: OWN},
    "request_extension": {Role.UNIT: OWN},
    "request_completion": {Role.UNIT: OWN},
    "sign_for_complaint": {Role.UNIT: OWN},
    "return_complaint": {Role.UNIT: OWN},
    "reply_to_complaint": {Role.UNIT: OWN},
    "report_rectification": {Role.UNIT: OWN},
    "reach_milestone": {Role.UNIT: OWN},
    # leaders decide escalations and extensions (1+1+N)
    "escalate_task": {Role.LEADER: A},
    "decide_extension": {Role.LEADER: A},
    "escalate_legacy_issue": {Role.LEADER: A},
    # discipline inspection takes referrals and records their outcome
    "acknowledge_referral": {Role.INSPECTOR: A},
    "record_referral_outcome": {Role.INSPECTOR: A},
}

ACTING_AS: dict[str, tuple[str, ...]] = {
    "accept_task": ("lead_units",),
    "report_progress": ("lead_units", "cooperating_units"),
    "request_extension": ("lead_units",),
    "request_completion": ("lead_units",),
    "sign_for_complaint": ("handling_unit",),
    "return_complaint": ("handling_unit",),
    "reply_to_complaint": ("handling_unit",),
    "report_rectification": ("handling_unit",),
    "reach_milestone": ("responsible_unit",),
}
"""For a unit's own steps: what the unit must be to the item, read from the item itself
(its lead units, the unit handling a case, the unit responsible for a problem); being
otherwise involved (cooperating, complained about) lets it see the item, not act."""

SEES_PERSONAL_DATA = frozenset({Role.OFFICE, Role.INSPECTOR})

ACCESS_RECORDS = ("AccessToken", "Disclosure")
"""Items recording access itself (tokens issued and revoked, reads of personal data):
in the audit trail, the history and the live feed for the office and inspectors only."""
SEES_ACCESS_RECORDS = frozenset({Role.OFFICE, Role.INSPECTOR})


def field_rule(role: Role, field: str) -> Rule:
    """The rule for a root query or subscription field (DENY for any not in the table)."""
    return FIELDS.get(field, {}).get(role, Rule.DENY)


def command_rule(role: Role, command: str) -> Rule:
    """The rule for a ledger command (the ledger's method name)."""
    if role is Role.OFFICE:
        return Rule.ALLOW
    return SHARED.get(command, {}).get(role, Rule.DENY)


def may_run(role: Role, command: str) -> bool:
    return command_rule(role, command) is not Rule.DENY


def roles_for(command: str) -> list[Role]:
    """The roles that may run ``command``, for the schema's documentation."""
    return [r for r in ROLES if command_rule(r, command) is not Rule.DENY]


def sees_personal_data(role: Role) -> bool:
    return role in SEES_PERSONAL_DATA


def hidden_item_types(role: Role) -> tuple[str, ...]:
    """The item types whose events ``role`` does not see."""
    return () if role in SEES_ACCESS_RECORDS else ACCESS_RECORDS


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
