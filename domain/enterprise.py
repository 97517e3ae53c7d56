"""Enterprise (服务企业): a firm the zone serves one-to-one (一对一贴身服务), with the service
contract (服务契约, 契约式服务) an agency signs with it and the commitments it makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.credit_code import checked_credit_code
from domain.errors import ValidationError, require_text
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem
from domain.person import Person, checked_people
from domain.text import id_from_text


class EnterpriseState(Enum):
    REGISTERED = "registered"
    UNDER_CONTRACT = "under_contract"


S = EnterpriseState


@dataclass(frozen=True)
class ServiceContract:
    """A service contract (服务契约): the agency bound by it, what it commits to, its term,
    the day it was signed and, once ended, the day it was closed."""

    agency: UUID
    commitments: tuple[str, ...]
    term_from: date
    term_to: date
    signed_on: date
    closed_on: date | None = None


def enterprise_id_for(credit_code: str) -> UUID:
    """The enterprise's id, derived from its credit code: one enterprise per code."""
    return id_from_text("enterprise", "credit_code", credit_code)


def checked_commitments(commitments: Sequence[str]) -> list[str]:
    """The commitments trimmed, each once; a ``ValidationError`` when none is left or one
    is blank."""
    trimmed = [c.strip() for c in commitments]
    if not trimmed:
        raise ValidationError("commitments", "a contract commits to at least one thing")
    if not all(trimmed):
        raise ValidationError("commitments", "a commitment is blank")
    return list(dict.fromkeys(trimmed))


def checked_term(term_from: date, term_to: date) -> None:
    if term_to < term_from:
        raise ValidationError("term_to", "the term ends before it begins")


class Enterprise(LedgerItem):
    """An enterprise served one-to-one by an agency and a person there; under a service
    contract between signing and closing it."""

    item_type = "Enterprise"

    class Registered(LedgerCreated):
        name: str
        credit_code: str
        unit: UUID
        served_by: Person

        def apply(self, e: Enterprise) -> None:
            e.name, e.credit_code = self.name, self.credit_code
            e.unit, e.served_by = self.unit, self.served_by
            e.contract = None
            e.state = S.REGISTERED

    class ContractSigned(LedgerEvent):
        agency: UUID
        commitments: list[str]
        term_from: date
        term_to: date

        def apply(self, e: Enterprise) -> None:
            e.contract = ServiceContract(
                agency=self.agency,
                commitments=tuple(self.commitments),
                term_from=self.term_from,
                term_to=self.term_to,
                signed_on=self.business_date,
            )
            e.state = S.UNDER_CONTRACT

    class ContractAmended(LedgerEvent):
        commitments: list[str]
        term_to: date
        reason: str

        def apply(self, e: Enterprise) -> None:
            assert e.contract is not None
            e.contract = ServiceContract(
                agency=e.contract.agency,
                commitments=tuple(self.commitments),
                term_from=e.contract.term_from,
                term_to=self.term_to,
                signed_on=e.contract.signed_on,
            )

    class ContractClosed(LedgerEvent):
        reason: str

        def apply(self, e: Enterprise) -> None:
            assert e.contract is not None
            c = e.contract
            e.contract = ServiceContract(
                c.agency, c.commitments, c.term_from, c.term_to, c.signed_on, self.business_date
            )
            e.state = S.REGISTERED

    if TYPE_CHECKING:
        name: str
        credit_code: str
        unit: UUID
        served_by: Person
        contract: ServiceContract | None  # the last one signed, closed or not
        state: EnterpriseState

    @classmethod
    def register(
        cls, *, name: str, credit_code: str, unit: UUID, served_by: Person, meta: EventMeta
    ) -> Enterprise:
        """Register an enterprise by its unified social credit code (GB 32100-2015)."""
        code = checked_credit_code("credit_code", credit_code)
        return cls._start(
            cls.Registered,
            meta,
            enterprise_id_for(code),
            name=require_text("name", name),
            credit_code=code,
            unit=unit,
            served_by=checked_people("served_by", [served_by])[0],
        )

    def sign_contract(
        self,
        *,
        agency: UUID,
        commitments: Sequence[str],
        term_from: date,
        term_to: date,
        meta: EventMeta,
    ) -> None:
        self._require("sign a contract", S.REGISTERED, why="its contract is in force")
        checked_term(term_from, term_to)
        self._emit(
            self.ContractSigned,
            meta,
            agency=agency,
            commitments=checked_commitments(commitments),
            term_from=term_from,
            term_to=term_to,
        )

    def amend_contract(
        self, *, commitments: Sequence[str], term_to: date, reason: str, meta: EventMeta
    ) -> None:
        self._require("amend its contract", S.UNDER_CONTRACT)
        assert self.contract is not None
        checked_term(self.contract.term_from, term_to)
        self._emit(
            self.ContractAmended,
            meta,
            commitments=checked_commitments(commitments),
            term_to=term_to,
            reason=require_text("reason", reason),
        )

    def close_contract(self, reason: str, meta: EventMeta) -> None:
        self._require("close its contract", S.UNDER_CONTRACT)
        self._emit(self.ContractClosed, meta, reason=require_text("reason", reason))
