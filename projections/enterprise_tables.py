"""The enterprises' read model (服务企业 and their service contracts), in the metadata of
``projections.tables``."""

from __future__ import annotations

from sqlalchemy import JSON, Column, String, Text

from projections.tables import _item

enterprises = _item(
    "rm_enterprises",
    Column("name", Text, nullable=False),
    Column("credit_code", String(18), nullable=False),
    Column("unit", String(36), nullable=False),  # the agency serving it (一对一)
    Column("served_by", JSON, nullable=False),  # {name, post, unit}
    Column("agency", String(36)),  # the agency bound by its last contract
    Column("contract", JSON),  # {commitments, term_from, term_to, signed_on, closed_on}
)
