"""Breaking a Chinese paragraph into lines by the rules of Chinese typesetting (避头尾):
no line starts with closing punctuation (，。、；：！？）》」 …), which instead hangs at the
end of the line before (标点悬挂); no line ends with opening punctuation (（《「 …), which
goes down with what it opens; a run of Latin letters and digits (2021, v3, 100.0%) is
never split. Pure: widths come from the caller (the PDF's font)."""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉…—’”,.;:!?)]%")
NO_LINE_END = frozenset("（《「『【〔〈‘“([")
TOKEN = re.compile(r"[A-Za-z0-9.%:/_+\-]+|\n|.", re.S)


def break_lines(
    text: str, width_of: Callable[[str], float], first: float, rest: float
) -> list[str]:
    """``text`` in lines no wider than ``first`` (the first line) and ``rest`` (the others),
    but for punctuation hanging at a line's end; a newline in ``text`` ends a line."""
    lines: list[str] = []
    line, limit = "", first
    for token in TOKEN.findall(text):
        if token == "\n":
            lines.append(line)
            line, limit = "", rest
        elif not line or token in NO_LINE_START or width_of(line + token) <= limit:
            line += token
        else:
            carried = ""
            while line and line[-1] in NO_LINE_END:
                line, carried = line[:-1], line[-1] + carried
            if line:
                lines.append(line)
                limit = rest
            line = carried + token
    if line:
        lines.append(line)
    return lines
