"""A task's 工作节点 as the 督办事项 sheet writes them and ``ledger import plan`` reads them:
``标题（2021-06-30，编号 key）``, ``，已完成`` before the key once it is reached, joined with 、.

The key is the milestone's own (progress reports name it), so that a sheet read back gives
the same milestones; a row drafted by hand may leave it out (``标题（2021-06-30）``): the
import then numbers them m1, m2 ... in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from domain.escalation import Milestone

KEY_MARK = "编号"
WRITTEN = re.compile(
    r"\s*(?P<title>.+?)\s*（\s*(?P<due>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*"
    r"(?P<reached>，\s*已完成\s*)?"
    r"(?:，\s*" + KEY_MARK + r"\s*(?P<key>[^，）、]+?)\s*)?）\s*(?:、|$)"
)
"""One milestone as written (its due date still to be read as a date); a title may hold
、 and brackets of its own."""


def written(milestones: Iterable[Milestone], reached: frozenset[str]) -> list[str]:
    """Each milestone as the sheet shows it (the writer joins them with 、)."""
    return [
        f"{m.title}（{m.due.isoformat()}{'，已完成' if m.key in reached else ''}"
        f"，{KEY_MARK} {m.key}）"
        for m in milestones
    ]
