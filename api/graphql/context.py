"""What a resolver knows about its request: who asks, what they last wrote, the shared
services and the request's batch loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from api.runtime.identity import Principal, Unauthenticated
from api.runtime.services import Services
from domain.meta import Actor
from projections.seal import chain_values
from projections.views.listing import rows_by_id
from projections.views.measure_links import findings_of, measures_citing
from projections.views.milestones import PlanMilestone, milestones_of


class Loaders:
    """Per-request batch loaders: a page of 100 tasks loads its units in one query and its
    milestones in one more, a page of the trail its entries' seal chain values in one more."""

    def __init__(self, services: Services) -> None:
        self.units: DataLoader[str, dict[str, Any] | None] = DataLoader(
            load_fn=lambda ids: self._load(services, "units", ids)
        )
        self.milestones: DataLoader[str, list[PlanMilestone]] = DataLoader(
            load_fn=lambda ids: self._milestones(services, ids)
        )
        self.chains: DataLoader[int, bytes | None] = DataLoader(
            load_fn=lambda positions: self._chains(services, positions)
        )
        self.measures: DataLoader[str, list[dict[str, Any]]] = DataLoader(
            load_fn=lambda ids: self._measures(services, ids)
        )
        self.findings: DataLoader[tuple[str, str | None], list[tuple[str, dict[str, Any]]]] = (
            DataLoader(load_fn=lambda keys: self._findings(services, keys))
        )

    @staticmethod
    async def _load(services: Services, kind: str, ids: list[str]) -> list[dict[str, Any] | None]:
        rows = await services.read(rows_by_id, kind, ids)
        return [rows.get(i) for i in ids]

    @staticmethod
    async def _milestones(services: Services, task_ids: list[str]) -> list[list[PlanMilestone]]:
        found = await services.read(milestones_of, task_ids)
        return [found[i] for i in task_ids]

    @staticmethod
    async def _measures(services: Services, finding_ids: list[str]) -> list[list[dict[str, Any]]]:
        found = await services.read(measures_citing, finding_ids)
        return [found.get(i, []) for i in finding_ids]

    @staticmethod
    async def _findings(
        services: Services, keys: list[tuple[str, str | None]]
    ) -> list[list[tuple[str, dict[str, Any]]]]:
        """Each measure's findings; a key names the caller's unit too (one per request)."""
        unit = keys[0][1]
        found = await services.read(findings_of, [m for m, _ in keys], unit)
        return [found.get(m, []) for m, _ in keys]

    @staticmethod
    async def _chains(services: Services, positions: list[int]) -> list[bytes | None]:
        found = await services.read(chain_values, positions)
        return [found.get(p) for p in positions]


@dataclass
class Context:
    """The context of one GraphQL operation."""

    services: Services
    principal: Principal | None
    request: Request | WebSocket | None = None
    request_id: str = field(default_factory=lambda: uuid4().hex)
    min_position: int = 0
    loaders: Loaders = field(init=False)
    connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init payload
    refusal: str | None = None
    """Why the token no longer lets this connection in (checked before each operation)."""
    disclosed: dict[str, set[str]] = field(default_factory=dict)
    """Items whose personal data this request showed in clear, and which fields."""

    def __post_init__(self) -> None:
        self.fresh_loaders()

    @property
    def actor(self) -> Actor:
        """The actor the request acts as (every operation runs authenticated)."""
        if self.principal is None:
            raise Unauthenticated("a bearer token is required")
        if self.refusal is not None:
            raise Unauthenticated(self.refusal)
        self.services.tokens.check(self.principal)  # revoked or expired since it was shown
        return self.principal.actor

    def fresh_loaders(self) -> None:
        """Forget what was loaded (a long subscription reads the read models anew)."""
        self.loaders = Loaders(self.services)
