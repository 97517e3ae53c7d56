"""A command is declared once (issue 13): its ``Ledger`` method, marked ``@command``, and one
line in the policy table. The schema is built from them, and a command declared short of
that (an id that does not say what it names, no line in the policy table, no mark) stops
the build with a message naming the command."""

from __future__ import annotations

from uuid import UUID

import pytest

from api import permissions
from api.graphql.build import build_schema
from api.graphql.mutations import build_mutation_type
from domain import ids
from domain.commands import command
from domain.ids import TaskId
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.meta import LedgerItem, Role
from domain.task import Task

MUTATIONS = build_schema()._schema.mutation_type
assert MUTATIONS is not None


def test_a_command_taking_an_id_without_a_type_stops_the_schema_build_naming_it() -> None:
    class Extended(Ledger):
        @command()
        def archive_task(self, ctx: CommandContext, task_id: TaskId, *, box: UUID) -> Written:
            """Archive a task in a box."""
            return self._change(Task, task_id, ctx, lambda t, m: None)

    with pytest.raises(TypeError, match=r"Ledger\.archive_task, parameter box: a bare UUID"):
        build_mutation_type(Extended)


def test_a_command_with_no_line_in_the_policy_table_stops_the_schema_build() -> None:
    class Extended(Ledger):
        @command()
        def archive_task(self, ctx: CommandContext, task_id: TaskId, *, note: str) -> Written:
            """Archive a task."""
            return self._change(Task, task_id, ctx, lambda t, m: None)

    with pytest.raises(TypeError, match=r"Ledger\.archive_task has no line in the policy"):
        build_mutation_type(Extended)


def test_a_ledger_method_taking_a_commands_context_undeclared_stops_the_schema_build() -> None:
    class Extended(Ledger):
        def archive_task(self, ctx: CommandContext, task_id: TaskId) -> Written:
            return self._change(Task, task_id, ctx, lambda t, m: None)

    with pytest.raises(TypeError, match=r"Ledger\.archive_task takes a command's context"):
        build_mutation_type(Extended)


def test_the_services_own_commands_are_offered_as_no_mutation() -> None:
    own = {
        "issueToken",
        "revokeToken",
        "recordDisclosure",
        "adoptHolidaySchedule",
        "recomputeComplaintDeadlines",
    }
    assert not own & set(MUTATIONS.fields)
    assert {"registerTask", "assignTask", "grantReward"} <= set(MUTATIONS.fields)


def test_every_mutation_has_exactly_one_line_in_the_policy_table() -> None:
    lines = {method.__name__ for method in permissions.COMMANDS}
    assert len(lines) == len(permissions.COMMANDS) == len(MUTATIONS.fields)
    assert {_camel(name) for name in lines} == set(MUTATIONS.fields)


def test_a_mutations_documentation_names_the_roles_its_policy_line_lets_run_it() -> None:
    assert MUTATIONS.fields["acceptTask"].description is not None
    assert MUTATIONS.fields["acceptTask"].description.endswith("Roles: office, unit.")
    assert MUTATIONS.fields["escalateTask"].description.endswith("Roles: office, leader.")
    assert MUTATIONS.fields["urgeTask"].description.endswith("Roles: office.")
    assert permissions.command_rule(Role.UNIT, "accept_task") is permissions.Rule.OWN


def test_every_id_type_names_a_type_of_item_the_ledger_holds() -> None:
    held = {cls.item_type for cls in _subclasses(LedgerItem)}
    id_types = [v for v in vars(ids).values() if ids.is_item_id(v)]
    named = {ids.item_type_named(t) for t in id_types}
    assert None in named  # ItemId: any item
    assert named - {None} <= held
    assert {"Task", "Unit", "Complaint", "LegacyIssue", "AccessToken"} <= named


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(c) for c in found)) if found else found


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
