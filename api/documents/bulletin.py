"""The monthly 督办通报: for a month, by unit, the tasks by light (and the red ones by
number and title), overdue tasks, complaints received and closed with the on-time and
satisfaction rates, interviews and referrals; the complaints by channel; the interviews
and referrals made in the month.

Every figure comes from a read-model view: the task board as of the month's end
(``screen_board``), the units' scorecards over the month's days (``scorecards_between``),
the channels' deltas over them (``channel_counts_between``) and the rates of
``projections.rates``. A month under way is reported up to today.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from sqlalchemy import Connection, func, select

from api.documents.layout import (
    Document,
    Heading,
    Paragraph,
    Stamp,
    Table,
    chinese_date,
    chinese_moment,
    percent_text,
)
from api.documents.records import created, unit_names
from api.labels import label
from domain.calendar import CHINA_TIME
from domain.channels import Channel
from domain.errors import ValidationError
from domain.interview import InterviewState
from domain.referral import ReferralState
from domain.timeliness import Light, TimeRules
from projections import tables as t
from projections.rates import on_time_rate, satisfaction_rate
from projections.views.overview import channel_counts_between
from projections.views.scorecards import Scorecard, scorecards_between
from projections.views.screen_board import ScreenBoard, screen_board

MONTH = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])")


def month_bounds(text: str, today: date) -> tuple[date, date]:
    """The first day of the month ``YYYY-MM`` and its last day reported: its end, or today
    for the month under way; a month not begun yet is refused."""
    found = MONTH.fullmatch(text.strip())
    if found is None:
        raise ValidationError("month", "must be a month as YYYY-MM (2021-06)")
    year, month = int(found.group(1)), int(found.group(2))
    start = date(year, month, 1)
    if start > today:
        raise ValidationError("month", f"{text} has not begun (today is {today.isoformat()})")
    return start, min(date(year, month, monthrange(year, month)[1]), today)


def monthly_bulletin(
    conn: Connection, rules: TimeRules, month: str, today: date, stamp: Stamp
) -> Document:
    start, end = month_bounds(month, today)
    board = screen_board(conn, rules, end)
    cards = scorecards_between(conn, month, start, end)
    made = _made_in(conn, start, end)
    names = unit_names(conn)
    lights = [board.by_light[light] for light in (Light.RED, Light.YELLOW, Light.GREEN)]
    received = sum(c["received"] for c in cards)
    closed = sum(c["closed"] for c in cards)
    summary = (
        f"现将{start.year}年{start.month}月（{chinese_date(start)}至{chinese_date(end)}）"
        "营商环境建设督办情况通报如下。"
        f"截至{chinese_date(end)}，在办督办事项 {sum(lights)} 项，其中红灯 {lights[0]} 项、"
        f"黄灯 {lights[1]} 项、绿灯 {lights[2]} 项；本月受理投诉 {received} 件、"
        f"办结 {closed} 件；本月安排约谈 {len(made['Interview'])} 次、"
        f"移交纪检监察 {len(made['Referral'])} 件。"
    )
    return Document(
        "monthly-bulletin",
        f"{start.year}年{start.month}月营商环境建设督办通报",
        f"督办通报〔{start.year}〕第{start.month}期",
        "各街道、区直各部门、驻区各单位：",
        (
            Paragraph(summary),
            Heading("一、各单位督办情况"),
            _units_table(cards, board),
            Paragraph(
                "注：亮灯为月末（本月未结束的为制作当日）在办事项的状态，一项事项由"
                "多个牵头单位办理的，各计一次；投诉、移交为本月发生数，约谈为本月举行数。"
            ),
            Heading("二、红灯事项"),
            _red_table(board),
            Heading("三、投诉办理情况（按渠道）"),
            _channels_table(conn, start, end),
            Heading("四、本月约谈和移交纪检监察"),
            _oversight_table(conn, made, names),
            Paragraph("请各单位对照通报，认真分析原因，对红灯事项和逾期事项限期整改到位。"),
        ),
        stamp.made_at.astimezone(CHINA_TIME).date(),
        stamp,
    )


def _units_table(cards: list[Scorecard], board: ScreenBoard) -> Table:
    rows = []
    for card in cards:
        light = board.by_lead_unit.get(card.unit, dict.fromkeys(Light, 0))
        counts = (
            light[Light.RED],
            light[Light.YELLOW],
            light[Light.GREEN],
            card.overdue_tasks,
            card["received"],
            card["closed"],
        )
        acts = (card["interviews"], card["referrals"])
        if not any(counts) and not any(acts):
            continue
        rates = (
            percent_text(on_time_rate(card.figures)),
            percent_text(satisfaction_rate(card.figures)),
        )
        rows.append((card.name, *map(str, counts), *rates, *map(str, acts)))
    header = ("单位", "红灯", "黄灯", "绿灯", "逾期事项", "受理投诉", "办结", "按期办结率",
              "满意率", "约谈", "移交")  # fmt: skip
    return Table(header, tuple(rows), (9, 3, 3, 3, 4, 4, 3, 5, 4, 3, 3), "本月各单位无督办情况。")


def _red_table(board: ScreenBoard) -> Table:
    red = [task for task in board.attention if task.light is Light.RED]
    return Table(
        ("序号", "事项", "牵头单位", "完成时限", "进度"),
        tuple(
            (
                "—" if task.number is None else str(task.number),
                task.title,
                "、".join(task.lead_units),
                "—" if task.deadline is None else chinese_date(task.deadline),
                f"{task.progress}%",
            )
            for task in red
        ),
        (2, 10, 5, 4, 2),
        "无红灯事项。",
    )


def _channels_table(conn: Connection, start: date, end: date) -> Table:
    counts = channel_counts_between(conn, start, end)
    return Table(
        ("渠道", "受理", "办结", "按期办结", "按期办结率", "回访", "满意率"),
        tuple(
            (
                label(channel),
                str(c.get("received", 0)),
                str(c.get("closed", 0)),
                str(c.get("closed_on_time", 0)),
                percent_text(on_time_rate(c)),
                str(c.get("called_back", 0)),
                percent_text(satisfaction_rate(c)),
            )
            for channel, c in ((ch, counts[ch]) for ch in Channel)
        ),
        (5, 2, 2, 3, 3, 2, 3),
    )


def _made_in(conn: Connection, start: date, end: date) -> dict[str, list[str]]:
    """The interviews and referrals made (first recorded) in the days, by type, oldest first."""
    o = t.oversight_timeline
    first = func.min(o.c.day)
    rows = conn.execute(
        select(o.c.item_id, o.c.item_type, first.label("day"))
        .group_by(o.c.item_id, o.c.item_type)
        .having(first >= start, first <= end)
        .order_by(first, o.c.item_id)
    )
    made: dict[str, list[str]] = {"Interview": [], "Referral": []}
    for item_id, item_type, _ in rows:
        made[str(item_type)].append(str(item_id))
    return made


def _oversight_table(conn: Connection, made: dict[str, list[str]], names: dict[str, str]) -> Table:
    rows = []
    for item_type, table, state_of in (
        ("Interview", t.interviews, InterviewState),
        ("Referral", t.referrals, ReferralState),
    ):
        for item_id in made[item_type]:
            row = conn.execute(select(table).where(table.c.id == item_id)).first()
            event = created(conn, item_id, item_type)
            if row is None or event is None:
                continue
            rows.append(
                (
                    "约谈" if item_type == "Interview" else "移交纪检监察",
                    names.get(row.unit, row.unit),
                    chinese_moment(event.occurred_at),
                    str(event.data.get("reason", "")),
                    label(state_of(row.state)),
                )
            )
    return Table(
        ("类别", "单位", "时间", "事由", "状态"), tuple(rows), (4, 5, 5, 8, 3), "本月无约谈和移交。"
    )
