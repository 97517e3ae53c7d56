"""Who may run which command: one table, asked by the API before any command runs.

Issue 4 keeps it to roles; scoping a unit to its own items comes with the token
authentication of issue 5, which extends this table rather than the resolvers.
"""

from __future__ import annotations

from domain.meta import Role

OFFICE_ONLY: frozenset[Role] = frozenset({Role.OFFICE})

# command (the ledger's method name) -> roles besides the office that may run it
SHARED: dict[str, frozenset[Role]] = {
    # the units' own steps on the work assigned to them
    "accept_task": frozenset({Role.UNIT}),
    "report_progress": frozenset({Role.UNIT}),
    "request_extension": frozenset({Role.UNIT}),
    "request_completion": frozenset({Role.UNIT}),
    "sign_for_complaint": frozenset({Role.UNIT}),
    "return_complaint": frozenset({Role.UNIT}),
    "reply_to_complaint": frozenset({Role.UNIT}),
    "report_rectification": frozenset({Role.UNIT}),
    "reach_milestone": frozenset({Role.UNIT}),
    # leaders decide escalations and extensions (1+1+N)
    "escalate_task": frozenset({Role.LEADER}),
    "decide_extension": frozenset({Role.LEADER}),
    "escalate_legacy_issue": frozenset({Role.LEADER}),
    # discipline inspection takes referrals and records their outcome
    "acknowledge_referral": frozenset({Role.INSPECTOR}),
    "record_referral_outcome": frozenset({Role.INSPECTOR}),
}


def may_run(role: Role, command: str) -> bool:
    """Whether an actor of ``role`` may run ``command``; the office runs every command."""
    return role is Role.OFFICE or role in SHARED.get(command, frozenset())


def roles_for(command: str) -> list[Role]:
    """The roles that may run ``command``, for the schema's documentation."""
    return [Role.OFFICE, *sorted(SHARED.get(command, frozenset()), key=lambda r: r.value)]
