"""The 约谈通知书 for an interview and the 移交函 for a referral, from the read models and
the items' own events (their reason, cited items and, for a referral, the evidence events
by position, each with its type, time and who recorded it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date
from typing import Any

from sqlalchemy import Connection, select

from api.documents.layout import (
    Block,
    Document,
    Heading,
    Paragraph,
    Stamp,
    Table,
    chinese_moment,
)
from api.documents.records import (
    EVERYTHING,
    ITEM_TYPES,
    WITHHELD,
    actor_text,
    cited_rows,
    created,
    entries,
    unit_names,
)
from api.labels import label
from domain.calendar import CHINA_TIME
from domain.interview import InterviewState
from domain.referral import ReferralState
from projections import tables as t
from projections.views.audit_index import AuditFilter

INSPECTION_BODY = "区纪委监委"
"""Whom a referral is addressed to: the zone's discipline-inspection body."""


class ItemNotFound(LookupError):
    """No interview (or referral) with that id."""


def interview_notice(
    conn: Connection, interview_id: str, stamp: Stamp, sight: AuditFilter = EVERYTHING
) -> Document:
    """约谈通知书: to the unit, who is summoned (with posts), when, why, over what (the
    cited items ``sight`` lets the requester see; the others counted, not described)."""
    row = _item(conn, t.interviews, interview_id)
    made = created(conn, interview_id, "Interview")
    if row is None or made is None:
        raise ItemNotFound(interview_id)
    names = unit_names(conn)
    unit = names.get(row["unit"], row["unit"])
    when = row["scheduled_for"]
    when = when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite keeps it naive, in UTC
    people = tuple(
        (p["name"], p["post"] or "—", names.get(p["unit"] or "", unit)) for p in row["interviewees"]
    )
    reason = str(made.data.get("reason", ""))
    cited, withheld = cited_rows(conn, made.data.get("cited_items", []), sight)
    blocks: tuple[Block, ...] = (
        Paragraph(
            f"根据营商环境建设督办工作安排，因{reason}，经研究，决定对你单位有关负责同志"
            "进行约谈。现将有关事项通知如下："
        ),
        Heading("一、约谈对象"),
        Table(("姓名", "职务", "所在单位"), people, (3, 4, 5)),
        Heading("二、约谈时间"),
        Paragraph(f"{chinese_moment(when)}（北京时间）。"),
        Heading("三、约谈事由"),
        Paragraph(f"{reason}。"),
        Heading("四、涉及事项"),
        Table(("类型", "事项"), cited, (2, 8)),
        *_withheld(withheld),
        Heading("五、有关要求"),
        Paragraph(
            "请被约谈人准时参加，如实说明有关情况，提出整改措施和时限；"
            "无正当理由不得缺席或委托他人代为参加。"
        ),
        Paragraph(f"本约谈当前状态：{label(InterviewState(row['state']))}。"),
    )
    return Document(
        "interview-notice",
        "约谈通知书",
        _number("营商约谈", when.astimezone(CHINA_TIME).date(), interview_id),
        f"{unit}：",
        blocks,
        stamp.made_at.astimezone(CHINA_TIME).date(),
        stamp,
    )


def referral_letter(
    conn: Connection, referral_id: str, stamp: Stamp, sight: AuditFilter = EVERYTHING
) -> Document:
    """移交函: to discipline inspection, the unit and persons, the reason, the evidence
    events (positions in the log, their type, time and who recorded them), the cited items;
    of these only what ``sight`` lets the requester see, the others counted, not described."""
    row = _item(conn, t.referrals, referral_id)
    made = created(conn, referral_id, "Referral")
    if row is None or made is None:
        raise ItemNotFound(referral_id)
    names = unit_names(conn)
    unit = names.get(row["unit"], row["unit"])
    reason = str(made.data.get("reason", ""))
    persons = "、".join(str(p) for p in made.data.get("persons", [])) or "（未列明）"
    positions = tuple(sorted({int(p) for p in made.data.get("evidence", [])}))
    evidence = entries(conn, replace(sight, positions=positions)) if positions else []
    cited, withheld = cited_rows(conn, made.data.get("cited_items", []), sight)
    day = made.occurred_at.astimezone(CHINA_TIME).date()
    blocks: tuple[Block, ...] = (
        Paragraph(
            f"在营商环境建设督办工作中，发现{unit}存在以下问题：{reason}。"
            "根据有关规定，现将该问题线索移交你委，请依规依纪依法处理，并将处理结果函告我办。"
        ),
        Heading("一、涉及单位和人员"),
        Paragraph(f"涉及单位：{unit}；涉及人员：{persons}。"),
        Heading("二、证据（台账记录）"),
        Paragraph(
            "以下每项证据为台账中的一条记录，按其位置可在台账中查阅原始记录，"
            "并以文末印证核验其未被改动。"
        ),
        Table(
            ("位置", "记录类型", "发生时间", "记录人"),
            tuple(
                (
                    str(e.position),
                    f"{ITEM_TYPES.get(e.item_type, e.item_type)} · {e.event_type}",
                    chinese_moment(e.occurred_at),
                    actor_text(e, names),
                )
                for e in evidence
            ),
            (2, 5, 5, 6),
        ),
        *_withheld(len(positions) - len(evidence) if sight != EVERYTHING else 0),
        Heading("三、涉及事项"),
        Table(("类型", "事项"), cited, (2, 8)),
        *_withheld(withheld),
        Paragraph(f"本移交当前状态：{label(ReferralState(row['state']))}。"),
    )
    return Document(
        "referral-letter",
        "问题线索移交函",
        _number("营商移交", day, referral_id),
        f"{INSPECTION_BODY}：",
        blocks,
        stamp.made_at.astimezone(CHINA_TIME).date(),
        stamp,
    )


def _withheld(count: int) -> tuple[Block, ...]:
    return (Paragraph(WITHHELD.format(count)),) if count else ()


def _item(conn: Connection, table: Any, item_id: str) -> dict[str, Any] | None:
    found = conn.execute(select(table).where(table.c.id == item_id)).first()
    return None if found is None else dict(found._mapping)


def _number(prefix: str, day: date, item_id: str) -> str:
    """营商约谈〔2021〕1A2B3C4D号: the year it concerns and the item id's first 8 digits."""
    return f"{prefix}〔{day.year}〕{item_id.replace('-', '')[:8].upper()}号"
