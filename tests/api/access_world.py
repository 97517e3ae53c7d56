"""The two servers of the access tests (test_access_*.py), one of each per module (and per
xdist worker), for speed: ``world`` holds the 2021 plan and three complaints, and is read
(a unit accepting its own task is the one change made to it; tokens and disclosures are
recorded as they happen); ``bare`` takes the probing mutations, whose inputs are read from
the schema and name items that do not exist, and the tokens that must let no one in.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan, task_id_for
from domain.access import token_hash
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, Role
from domain.unit import UnitKind, unit_id_for
from tests.api.access_builders import unknown_secret
from tests.api.conftest import LiveServer, serve, start_server, stop_server
from tests.clock import AdjustableClock
from tests.conftest import settings_for

SEEDER = Actor("office-seed", Role.OFFICE)
UNIT_A = "区投资促进局"
"""Leads plan items 2 and 6 and works on 7, 9 and 13; a department, it cooperates on 11, 23,
24 and 25 (区直单位, 区直各部门各单位) with every other."""
UNIT_B = "区经济发展局"
"""Works on plan items 5, 7, 9 and 13, and as a department on 11, 23, 24 and 25."""
NAME, PHONE = "张三丰", "13812341234"
MASKED_NAME, MASKED_PHONE = "张**", "138****1234"
PERSONAL = ["complainant_name", "complainant_phone"]


# --- the servers ------------------------------------------------------------------------------


def head(live: LiveServer) -> int:
    """The position of the newest entry of the log."""
    return live.services.ledger.recorder.max_notification_id() or 0


def caught_up(live: LiveServer) -> int:
    """Wait until the read models include the whole log; its head."""
    position = head(live)
    live.gql("{ ledgerSeal { position } }", position=position)
    return position


def bare_uuid(global_id: str) -> str:
    return global_id.rpartition(":")[2]


@dataclass
class World:
    """The 2021 plan, and complaints: ``a`` and ``b`` to units A and B, ``ab`` received
    by B about A (so it concerns both); each with a complainant's name and phone."""

    live: LiveServer
    unit_a: str
    unit_b: str
    tasks_of: dict[str, set[str]]
    own_task: str
    other_task: str
    complaints: dict[str, str]

    def staff(self, unit: str, name: str = "staff") -> str:
        return f"unit:{name}:{unit}"

    def actor(self, role: Role, name: str | None = None) -> str:
        """An actor of ``role`` (a unit's staff: of unit A), named ``name`` or after it."""
        name = name or f"{role.value}-probe"
        return self.staff(self.unit_a, name) if role is Role.UNIT else f"{role.value}:{name}"


def _server(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    clock: AdjustableClock | None = None,
    *,
    served: bool,
) -> LiveServer:
    path: Path = tmp_path_factory.mktemp(name) / "ledger.sqlite"
    settings = settings_for(f"sqlite:///{path}")
    settings = replace(settings, clock=clock) if clock else settings
    return serve(settings) if served else start_server(settings)


def _receive_complaint(live: LiveServer, first_responder: str, subject: str | None) -> str:
    data = live.gql(
        "mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) {"
        " __typename ... on MutationSuccess { itemId } ... on UserError { message } } }",
        {
            "input": {
                "channel": "HOTLINE_12345",
                "summary": "the permit office kept the papers for a month",
                "firstResponder": first_responder,
                "subjectUnit": subject,
                "complainantName": NAME,
                "complainantPhone": PHONE,
            }
        },
    )
    result = data["receiveComplaint"]
    assert result["__typename"] == "MutationSuccess", result
    return bare_uuid(result["itemId"])


@contextmanager
def world_server(
    tmp_path_factory: pytest.TempPathFactory, *, served: bool = False
) -> Iterator[World]:
    """A server holding the 2021 plan and three complaints (for a module's ``world``), in
    process or (``served``) by uvicorn."""
    live = _server(tmp_path_factory, "world", served=served)
    try:
        plan = builtin_plan("changxing-2021")
        seed_plan(live.services.ledger, plan)
        a, b = str(unit_id_for(UNIT_A)), str(unit_id_for(UNIT_B))
        kinds = dict(plan.units)
        tasks_of = {
            str(unit_id_for(name)): {
                str(task_id_for(plan, t.number))
                for t in plan.tasks
                if name in (*t.lead_units, *t.cooperating_units)
                or kinds[name] in t.cooperating_groups
            }
            for name in (UNIT_A, UNIT_B)
        }
        complaints = {
            "a": _receive_complaint(live, a, None),
            "b": _receive_complaint(live, b, None),
            "ab": _receive_complaint(live, b, a),
        }
        caught_up(live)
        yield World(
            live,
            a,
            b,
            tasks_of,
            own_task=str(task_id_for(plan, 2)),
            other_task=str(task_id_for(plan, 5)),
            complaints=complaints,
        )
    finally:
        stop_server(live)


@dataclass
class Bare:
    """A ledger with one unit (for a unit's staff to belong to), taking probe mutations."""

    live: LiveServer
    unit: str
    clock: AdjustableClock
    """The server's clock: a test moves it past a token's expiry instead of waiting."""

    def actor(self, role: Role) -> str:
        return f"unit:probe:{self.unit}" if role is Role.UNIT else f"{role.value}:probe"


@contextmanager
def bare_server(
    tmp_path_factory: pytest.TempPathFactory, *, served: bool = False
) -> Iterator[Bare]:
    """A server holding one unit, for probes (for a module's ``bare``), in process or
    (``served``) by uvicorn."""
    clock = AdjustableClock()
    live = _server(tmp_path_factory, "bare", clock, served=served)
    try:
        written = live.services.ledger.register_unit(
            CommandContext(SEEDER), name="区测试局", kind=UnitKind.DEPARTMENT
        )
        caught_up(live)
        yield Bare(live, str(written.item_id), clock)
    finally:
        stop_server(live)


def write_something(live: LiveServer) -> Written:
    """A new event in the log, entered straight into the ledger by the office."""
    return live.services.ledger.register_unit(
        CommandContext(SEEDER), name=f"unit {uuid.uuid4().hex[:8]}", kind=UnitKind.DEPARTMENT
    )


def issue_expiring(live: LiveServer, name: str, seconds: float = 60) -> str:
    """An office token that expires ``seconds`` from now by the server's clock; its secret."""
    secret = unknown_secret()
    expires_at = live.services.ledger.clock() + timedelta(seconds=seconds)
    live.services.ledger.issue_token(
        CommandContext(SEEDER),
        secret_hash=token_hash(secret),
        role=Role.OFFICE,
        name=name,
        expires_at=expires_at,
    )
    return secret


def wait_for_tail(live: LiveServer, position: int) -> None:
    """Wait until the service's live feed of the log has read up to ``position`` (the way
    it learns of a revocation)."""
    deadline = time.monotonic() + 10
    while live.services.tail.position < position:
        assert time.monotonic() < deadline, "the log's live feed did not move in 10 s"
        time.sleep(0.02)
