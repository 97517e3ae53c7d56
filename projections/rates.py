"""Every rate the ledger shows, defined once.

The API, the exports and the dashboard all take their rates from here, so
they always show the same number. Each function takes the counts as they stand
on the day asked about (sums of the dated deltas up to that day) and returns a
percentage rounded to one decimal, or None when its denominator is zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal rounded half up (四舍五入); None when
    ``whole`` is 0."""
    if whole == 0:
        return None
    exact = Decimal(100 * part) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rectification_rate(counts: Mapping[str, int]) -> float | None:
    """整改率: rectified / to_rectify.

    ``to_rectify`` counts the cases verified as founded, including those whose
    "unfounded" finding was overturned on appeal. A bad review found unfounded
    with the appeal upheld is not in the denominator. ``rectified`` counts cases
    whose rectification stands: a case reopened after an unsatisfied call-back
    leaves it until rectified again.
    """
    return percent(counts.get("rectified", 0), counts.get("to_rectify", 0))


def on_time_rate(counts: Mapping[str, int]) -> float | None:
    """按期办结率: closed_on_time / closed.

    A case is closed on time when it was closed on or before its deadline as it
    stood then (the channel's limit from receipt, plus any extension granted).
    """
    return percent(counts.get("closed_on_time", 0), counts.get("closed", 0))


def satisfaction_rate(counts: Mapping[str, int]) -> float | None:
    """回访满意率: satisfied / called_back.

    Each case counts once, by its latest call-back; a case reopened after an
    unsatisfied call-back leaves both counts until it is called back again.
    """
    return percent(counts.get("satisfied", 0), counts.get("called_back", 0))


def mean_reply_working_days(counts: Mapping[str, int]) -> float | None:
    """媒体响应时间: working days from receipt to the first reply, on average."""
    replied = counts.get("replied", 0)
    if replied == 0:
        return None
    exact = Decimal(counts.get("reply_working_days", 0)) / Decimal(replied)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def open_cases(counts: Mapping[str, int]) -> int:
    """Cases received and not yet closed (an upheld appeal closes a case when closed)."""
    return counts.get("received", 0) - counts.get("closed", 0)


def resolution_rate(resolved: int, total: int) -> float | None:
    """销号率 of legacy issues: resolved / registered, both as of the day asked about."""
    return percent(resolved, total)


def on_time_task_rate(closed_on_time: int, closed: int) -> float | None:
    """按期完成率 of tasks: closed (销号) on or before the deadline / closed."""
    return percent(closed_on_time, closed)
