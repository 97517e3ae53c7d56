"""Ledger commands on enterprises served one-to-one and their service contracts (契约式服务)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.commands import command
from domain.credit_code import checked_credit_code
from domain.enterprise import Enterprise, enterprise_id_for
from domain.errors import AlreadyExists
from domain.ids import EnterpriseId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.person import Person


class EnterpriseCommands(LedgerBase):
    """Enterprises (服务企业) and their service contracts (服务契约)."""

    @command(creates=Enterprise)
    def register_enterprise(
        self,
        ctx: CommandContext,
        *,
        name: str,
        credit_code: str,
        unit: UnitId,
        served_by: Person,
    ) -> Written:
        """Register an enterprise served one-to-one: its name, its unified social credit code
        (统一社会信用代码, GB 32100-2015: 18 characters, the last a check character), the
        agency serving it and the person there serving it, with their post. One enterprise
        per credit code."""
        self.check_units("unit", [unit])
        code = checked_credit_code("credit_code", credit_code)
        if self.exists(enterprise_id_for(code)):
            raise AlreadyExists("Enterprise", code)
        return self._create(
            ctx,
            lambda m: Enterprise.register(
                name=name, credit_code=code, unit=unit, served_by=served_by, meta=m
            ),
        )

    @command()
    def sign_service_contract(
        self,
        ctx: CommandContext,
        enterprise_id: EnterpriseId,
        *,
        agency: UnitId,
        commitments: Sequence[str],
        term_from: date,
        term_to: date,
    ) -> Written:
        """Record the service contract (服务契约) an agency signed with the enterprise: what it
        commits to and its term. One contract in force at a time."""
        self.check_units("agency", [agency])
        return self._change(
            Enterprise,
            enterprise_id,
            ctx,
            lambda e, m: e.sign_contract(
                agency=agency,
                commitments=commitments,
                term_from=term_from,
                term_to=term_to,
                meta=m,
            ),
        )

    @command()
    def amend_service_contract(
        self,
        ctx: CommandContext,
        enterprise_id: EnterpriseId,
        *,
        commitments: Sequence[str],
        term_to: date,
        reason: str,
    ) -> Written:
        """Amend the contract in force: its commitments (all of them, as they now stand) and
        the end of its term, with the reason."""
        return self._change(
            Enterprise,
            enterprise_id,
            ctx,
            lambda e, m: e.amend_contract(
                commitments=commitments, term_to=term_to, reason=reason, meta=m
            ),
        )

    @command()
    def close_service_contract(
        self, ctx: CommandContext, enterprise_id: EnterpriseId, *, reason: str
    ) -> Written:
        """Close the contract in force (its term ended, or it was ended early), with the
        reason; another may be signed afterwards."""
        return self._change(
            Enterprise, enterprise_id, ctx, lambda e, m: e.close_contract(reason, m)
        )
