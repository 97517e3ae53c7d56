"""The five supervision channels of the 5+1+1 system (营商环境“5+1+1”监督体系)."""

from __future__ import annotations

from enum import Enum


class Channel(Enum):
    """Where a complaint came in.

    好差评 review, 12345 hotline work order, 找茬儿 fault-finding report, news
    media exposure, and supervision by the three teams (三支队伍).
    """

    GOOD_BAD_REVIEW = "good_bad_review"
    HOTLINE_12345 = "hotline_12345"
    FAULT_FINDING = "fault_finding"
    MEDIA = "media"
    THREE_TEAMS = "three_teams"


CHANNEL_LABELS = {
    Channel.GOOD_BAD_REVIEW: "好差评",
    Channel.HOTLINE_12345: "12345热线",
    Channel.FAULT_FINDING: "找茬儿",
    Channel.MEDIA: "新闻媒体监督",
    Channel.THREE_TEAMS: "三支队伍监督",
}
