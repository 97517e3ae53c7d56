"""How enterprises and their service contracts appear in the read models."""

from __future__ import annotations

from typing import Any

from domain.enterprise import Enterprise
from projections.enterprise_tables import enterprises
from projections.item_kind import Kind, optional_id
from projections.item_state import id_text


class EnterpriseKind(Kind[Enterprise]):
    item_class, table = Enterprise, enterprises

    def columns(self, e: Enterprise) -> dict[str, Any]:
        c = e.contract
        return {
            "name": e.name,
            "credit_code": e.credit_code,
            "unit": id_text(e.unit),
            "served_by": {
                "name": e.served_by.name,
                "post": e.served_by.post,
                "unit": optional_id(e.served_by.unit),
            },
            "agency": None if c is None else id_text(c.agency),
            "contract": None
            if c is None
            else {
                "commitments": list(c.commitments),
                "term_from": c.term_from.isoformat(),
                "term_to": c.term_to.isoformat(),
                "signed_on": c.signed_on.isoformat(),
                "closed_on": None if c.closed_on is None else c.closed_on.isoformat(),
            },
        }
