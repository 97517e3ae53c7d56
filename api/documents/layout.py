"""What a document says, apart from how it is printed: its title, 文号, addressee, body
(headings, paragraphs and tables), issuer and date, and the ledger's seal as it stood
when it was made (``api.documents.render`` prints it; nothing here touches a file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.calendar import CHINA_TIME
from projections.seal import Seal

ISSUER = "营商环境建设工作领导小组办公室"
"""Who issues the documents: the leading group's office (督办办公室)."""


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """Rows under a header; ``widths`` are relative column widths; ``empty`` is printed
    instead of a table without rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    empty: str = "无。"


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Stamp:
    """The seal of the log when the document was made (None: nothing recorded yet), the
    moment it was made and by whom."""

    seal: Seal | None
    made_at: datetime
    made_by: str
    views: tuple[int, int] | None = None
    """The positions the read models the figures come from had reached, lowest and highest
    (None: not known); the seal, a projection of its own, may be short of them."""


@dataclass(frozen=True)
class Document:
    kind: str
    """``monthly-bulletin``, ``interview-notice`` or ``referral-letter``."""
    title: str
    number: str
    """The 文号, derived from the item (or the month) it is about."""
    addressee: str
    blocks: tuple[Block, ...]
    dated: date
    stamp: Stamp
    issuer: str = ISSUER


def chinese_date(day: date) -> str:
    """2021年6月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_moment(moment: datetime) -> str:
    """2021年6月30日 14:05 (Beijing time)."""
    local = moment.astimezone(CHINA_TIME)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def percent_text(value: float | None) -> str:
    """83.3%, or — when there is nothing to divide by."""
    return "—" if value is None else f"{value:.1f}%"


def seal_lines(stamp: Stamp) -> tuple[str, ...]:
    """The seal block's lines, in the words printed under every document."""
    made = f"制作时间：{chinese_moment(stamp.made_at)}（北京时间）    制作人：{stamp.made_by}"
    if stamp.seal is None:
        return ("台账印证：台账尚无记录，无印证。", made)
    return (
        f"台账印证：截至台账第 {stamp.seal.position} 号记录",
        f"印证哈希：{stamp.seal.chain.hex()}",
        f"印证串：{stamp.seal}",
        *_views_lines(stamp.seal.position, stamp.views),
        made,
        "核验方法：在台账服务器上运行 ledger verify --against <印证串>，输出 matches the seal "
        f"given at position（与所给印证一致）即台账第 1 至 {stamp.seal.position} 号记录"
        "自印证以来未被改动。",
    )


def _views_lines(sealed: int, views: tuple[int, int] | None) -> tuple[str, ...]:
    """Where the read models the figures come from stood, and what the seal leaves out."""
    if views is None:
        return ()
    low, high = views
    reached = f"第 {low} 号记录" if low == high else f"第 {low} 至 {high} 号记录（各视图不一）"
    line = f"所据视图：截至台账{reached}"
    if high <= sealed:
        return (f"{line}，均在印证范围内。",)
    return (f"{line}；第 {sealed + 1} 至 {high} 号记录晚于印证，不在其核验范围内。",)
