"""The read models' tables (SQLAlchemy Core), in the same database as the log.

Item tables hold one row per item: the columns to query it by (the item's full state is
folded from the log in memory; see ``projections.items``). Delta tables hold dated changes;
summing them up to a date answers "as of that date" without replaying the log. The audit
index points into the log by position."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _id(name: str = "id") -> Column[str]:
    return Column(name, String(36), primary_key=True)


def _item(name: str, *columns: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        _id(),
        Column("version", Integer, nullable=False),
        Column("state", String(32), nullable=False),
        *columns,
    )


def _deltas(name: str, *keys: Column[object]) -> Table:
    """A delta table: dated changes (``delta``) by ``day`` and ``keys``."""
    day = Column("day", Date, primary_key=True)
    return Table(name, metadata, day, *keys, Column("delta", BigInteger, nullable=False))


projection_status = Table(
    "projection_status",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("failed_position", BigInteger),
    Column("error", Text),
    Column("stop_reason", String(32)),  # why it stopped at failed_position (status.Status)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

units = _item(
    "rm_units",
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("merged_into", String(36)),
)

tasks = _item(
    "rm_tasks",
    Column("plan_year", Integer, nullable=False),
    Column("number", Integer),
    Column("section", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("lead_units", JSON, nullable=False),
    Column("cooperating_units", JSON, nullable=False),
    Column("cooperating_groups", JSON, nullable=False),  # kinds of unit (``UnitKind`` values)
    Column("progress", Integer, nullable=False),
    Column("assigned_on", Date),
    Column("deadline", Date),
    Column("closed_on", Date),
    Column("tier", String(32), nullable=False),
    Column("urge_count", Integer, nullable=False),
    Column("overdue_urged_for", Date),  # the deadline the clock last urged it for (限时办结)
    Column("extension_decide_by", Date),  # its pending extension's limit (超时默许)
)

task_units = Table(
    "rm_task_units",
    metadata,
    Column("task_id", String(36), primary_key=True),
    Column("unit_id", String(36), primary_key=True),
    Column("role", String(16), nullable=False),
)

task_groups = Table(  # cooperating groups: every unit of the kind, as rm_units has it now
    "rm_task_groups", metadata, _id("task_id"), Column("kind", String(32), primary_key=True)
)

task_timeline = Table(
    "rm_task_timeline",
    metadata,
    Column("task_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("state", String(32), nullable=False),
    Column("deadline", Date),
    Column("assigned_on", Date),
    Column("progress", Integer, nullable=False),
    Column("tier", String(32), nullable=False),
)

task_milestones = Table(
    "rm_task_milestones",
    metadata,
    Column("task_id", String(36), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("ordinal", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("due", Date, nullable=False),
    Column("reached_on", Date),
)
"""Tasks' milestones (节点) in order, with the day a report reached each (lights: on reading)."""

complaints = _item(
    "rm_complaints",
    Column("channel", String(32), nullable=False),
    Column("team", String(32)),
    Column("received_on", Date, nullable=False),
    Column("close_by", Date, nullable=False),
    Column("deadline_provisional", Boolean, nullable=False),
    Column("closed_on", Date),
    Column("rectified_on", Date),
    Column("first_replied_on", Date),
    Column("returns", Integer, nullable=False),
    Column("reopenings", Integer, nullable=False),
    Column("founded", Boolean),
    Column("satisfied", Boolean),
    Column("reward_yuan", Integer),
    Column("first_responder", String(36), nullable=False),
    Column("accountable_unit", String(36), nullable=False),
    Column("handling_unit", String(36)),
    Column("subject_unit", String(36)),
    Column("material_requests", JSON, nullable=False),  # [{unit, items, requested_on, ...}]
    Column("overdue_urged_for", Date),  # the deadline the clock last urged it for (限时办结)
    Column("enterprise", String(36)),  # the registered enterprise it concerns, if named
    Column("intake", String(32)),  # the intake line (受理专线) it came in by, if any
    Column("receipt_by", DateTime(timezone=True)),  # an intake's case: receipt due (UTC)
    Column("receipted_at", DateTime(timezone=True)),  # and the dispatch that receipted it
)

complaint_deadlines = Table(
    "rm_complaint_deadlines",
    metadata,
    Column("complaint_id", String(36), primary_key=True),
    Column("effective_on", Date, primary_key=True),
    Column("close_by", Date, nullable=False),
)

sign_for_timeline = Table(
    "rm_sign_for_timeline",
    metadata,
    Column("complaint_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("team", String(32)),
    Column("unit", String(36)),
    Column("awaiting", Boolean, nullable=False),
    Column("sign_by", Date),
)
"""Complaints' sign-for (签收) each day it changed: the unit, whether awaited, the deadline."""

legacy_issues = _item(
    "rm_legacy_issues",
    Column("title", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("responsible_unit", String(36), nullable=False),
    Column("tier", String(32), nullable=False),
    Column("target_year", Integer, nullable=False),
    Column("baseline", Boolean, nullable=False),
    Column("registered_on", Date, nullable=False),
)

legacy_targets = _item(
    "rm_legacy_targets",
    Column("year", Integer, nullable=False),
    Column("goal", Text),
    Column("due", Date, nullable=False),
    Column("required_resolved_percent", Integer),
)

interviews = _item(
    "rm_interviews",
    Column("unit", String(36), nullable=False),
    Column("interviewees", JSON, nullable=False),  # [{name, post, unit}], post null: free text
    Column("scheduled_for", DateTime(timezone=True), nullable=False),
    Column("held_on", Date),
    Column("rectify_by", Date),
    Column("rectified", Boolean, nullable=False),
    Column("rectified_on", Date),
)

referrals = _item(
    "rm_referrals",
    Column("unit", String(36), nullable=False),
    Column("outcome", Text),
    Column("accountable", Boolean),
)

oversight_timeline = Table(
    "rm_oversight_timeline",
    metadata,
    Column("item_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("item_type", String(32), nullable=False),
    Column("state", String(32), nullable=False),
)
"""Interviews' and referrals' states at the end of each day they changed (first: made)."""

assessments = _item(
    "rm_assessments",
    Column("unit", String(36), nullable=False),
    Column("period", String(8), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("score", Numeric(5, 1), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("recorded_on", Date, nullable=False),
)

assessment_timeline = Table(
    "rm_assessment_timeline",
    metadata,
    Column("assessment_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("unit", String(36), nullable=False),
    Column("period", String(8), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("score", Numeric(5, 1), nullable=False),
    Column("verdict", String(16), nullable=False),
)

complaint_deltas = _deltas(
    "rm_complaint_deltas",
    Column("channel", String(32), primary_key=True),
    Column("metric", String(32), primary_key=True),
)

team_deltas = _deltas(
    "rm_team_deltas",
    Column("team", String(32), primary_key=True),
    Column("metric", String(32), primary_key=True),
)
"""三支队伍监督 cases' dated totals by team: the metrics of their channel's complaint_deltas."""

legacy_deltas = _deltas(
    "rm_legacy_deltas",
    Column("category", String(32), primary_key=True),
    Column("unit", String(36), primary_key=True),
    Column("tier", String(32), primary_key=True),
    Column("baseline", Boolean, primary_key=True),
    Column("target_year", Integer, primary_key=True),
    Column("metric", String(16), primary_key=True),
)

unit_deltas = Table(
    "rm_unit_deltas",
    metadata,
    Column("source", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("unit", String(36), primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("delta", Numeric(14, 1), nullable=False),
)

LOG_POSITION = BigInteger().with_variant(Integer(), "sqlite")
"""A log position as a key: on SQLite an INTEGER key is the row id (a BIGINT one is not)."""

seal_chain = Table(
    "rm_seal_chain",
    metadata,
    Column("position", LOG_POSITION, primary_key=True, autoincrement=False),
    Column("chain", LargeBinary(32), nullable=False),
)

audit_events = Table(
    "rm_audit_events",
    metadata,
    Column("position", LOG_POSITION, primary_key=True, autoincrement=False),
    Column("item_id", String(36), nullable=False, index=True),
    Column("item_type", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_type", String(48), nullable=False),
    Column("actor_id", String(128), nullable=False, index=True),
    Column("actor_role", String(16), nullable=False),
    Column("actor_unit", String(36), index=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
    Column("request_id", String(128), nullable=False),
    Column("imported", Boolean, nullable=False),
    Column("lag_seconds", BigInteger, nullable=False),
)
