"""``ledger seed changxing-2021`` writes the 2021 work plan exactly as the document gives it.

The expected items below are written by hand from the published document
(shared/seeds/000_07998d2c80f53cc9.txt), not read from the plan's TOML file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.e2e.conftest import SEEDS_DIR, LedgerCli, Run, once

SOURCE_DOCUMENT = SEEDS_DIR / "000_07998d2c80f53cc9.txt"
PLAN_DAY = "2021-04-29T09:00:00+08:00"
STEPS = 10 + 3 + 26 * 2  # units, legacy targets, and each item registered and assigned

OFFICE = "区管委会办公室"
INVESTMENT = "区投资促进局"
ECONOMY = "区经济发展局"
HOUSING = "区住建局"
FINANCE = "区财政金融局"
PARTY = "区党群工作部"
LAW = "区政法办公室"
DISCIPLINE = "区纪检监察室"
CHANGXING = "长兴岛街道"
JIAOLIU = "交流岛街道"

UNITS = {
    OFFICE: "department",
    INVESTMENT: "department",
    ECONOMY: "department",
    HOUSING: "department",
    FINANCE: "department",
    PARTY: "department",
    LAW: "department",
    DISCIPLINE: "department",
    CHANGXING: "subdistrict",
    JIAOLIU: "subdistrict",
}

RELATED = "相关单位协同落实"
HALLS = "各街道、驻区行政服务大厅相关单位协同落实"
EVERYONE = "各街道、区直各部门各单位协同落实"

S1 = "一、同步推进“放管服”改革"
S2 = "二、推动构建“城市大脑”建设"
S3 = "三、固化地区创新发展品牌"
S4 = "四、全力实施政务帮办服务"
S5 = "五、提高窗口正规化水平"
S6 = "六、搭建监督立体化格局"
S7 = "七、统筹治理历史遗留问题"
S8 = "八、塑造营商环境浓厚氛围"


class Item(NamedTuple):
    """One numbered item of the plan as the document states it."""

    number: int
    section: str
    title: str
    lead_units: tuple[str, ...]
    cooperation_note: str
    cooperating_units: tuple[str, ...] = ()
    milestones: tuple[tuple[str, str], ...] = ()  # (title, due)
    deadline: str = "2021-12-31"


ITEMS = (
    Item(1, S1, "如期完成市“放管服”改革二年专项行动任务", (OFFICE,), RELATED),
    Item(2, S1, "复制推广自贸区(大连)40条改革试点经验成果", (INVESTMENT,), RELATED),
    Item(3, S2, "建成“一网协同”网上办公系统", (OFFICE,), ""),
    Item(4, S2, "实施“一网通办”政务服务提质增效", (OFFICE,), RELATED),
    Item(5, S2, "有序推进“一网统管”决策指挥体系", (OFFICE, ECONOMY), RELATED),
    Item(6, S3, "锚定高质量发展建设项目", (INVESTMENT,), RELATED),
    Item(7, S3, "完善1+4+2服务企业项目机制", (ECONOMY, INVESTMENT), RELATED),
    Item(8, S3, "抓实项目行政审批“七条举措”", (HOUSING,), RELATED),
    Item(
        9,
        S3,
        "拓展“银企对接”红娘服务",
        (FINANCE,),
        "区投资促进局、区经济发展局、区管委会办公室等协同落实",
        (INVESTMENT, ECONOMY, OFFICE),
    ),
    Item(10, S3, "推进园区改革“三个体系”建设", (PARTY,), RELATED),
    Item(11, S4, "拓展政务帮办视野", (PARTY,), "区直单位协同落实"),
    Item(12, S4, "健全政务帮办机制", (OFFICE,), RELATED),
    Item(13, S4, "提升政务帮办效果", (OFFICE, INVESTMENT, ECONOMY), RELATED),
    Item(
        14,
        S5,
        "全面对接上级“好差评”体系",
        (OFFICE,),
        HALLS,
        milestones=(("年度差评整改率达到100%", "2021-12-31"),),
    ),
    Item(15, S5, "推进省市政务服务标准化落实", (OFFICE,), HALLS),
    Item(16, S5, "创新“首席代表”入驻模式", (OFFICE,), "驻区行政服务大厅相关单位协同落实"),
    Item(
        17,
        S5,
        "推进政务服务驿站建设",
        (OFFICE,),
        "长兴岛街道、交流岛街道协同落实",
        (CHANGXING, JIAOLIU),
        milestones=(
            ("7月底前完成2个试点村的服务驿站建设", "2021-07-31"),
            ("10月底前完成所有村(社区)服务驿站建设", "2021-10-31"),
        ),
    ),
    Item(
        18,
        S5,
        "大力提高窗口人员形象",
        (OFFICE,),
        HALLS,
        milestones=(("6月中旬前完成统一服装和胸牌的制作", "2021-06-15"),),
    ),
    Item(19, S6, "建立营商环境 “5+1+1”监督体系", (OFFICE,), RELATED),
    Item(20, S7, "全面摸清历史遗留问题底数", (OFFICE, LAW), RELATED),
    Item(21, S7, "建立“1+1+N”化解机制", (OFFICE, LAW), RELATED),
    Item(
        22,
        S7,
        "推进问题治理整改",
        (OFFICE, LAW, DISCIPLINE),
        RELATED,
        milestones=(
            (
                "2021年底前,历史遗留问题本着由易至难的顺序,大幅度减少总量,不增新量",
                "2021-12-31",
            ),
            ("2022年底前,取得阶段性重大进展", "2022-12-31"),
            ("2025年底前,历史遗留问题得到全面解决", "2025-12-31"),
        ),
        deadline="2025-12-31",
    ),
    Item(
        23,
        S8,
        "丰富舆论宣传",
        (OFFICE, PARTY),
        EVERYONE,
        milestones=(("7月份前,区、街道要树立起1—2块关于优化营商环境的宣传标语", "2021-06-30"),),
    ),
    Item(24, S8, "加强队伍建设", (OFFICE, PARTY), EVERYONE),
    Item(25, S8, "重视诉求办理", (OFFICE,), EVERYONE),
    Item(26, S8, "做好公共资源交易监督管理", (OFFICE, FINANCE), RELATED),
)

#: Item 22's targets for the legacy-problem ledger: (year, goal, due, required resolved %).
LEGACY_TARGETS = [
    (2021, "本着由易至难的顺序,大幅度减少总量,不增新量", "2021-12-31", None),
    (2022, "取得阶段性重大进展", "2022-12-31", None),
    (2025, "历史遗留问题得到全面解决", "2025-12-31", 100),
]


class Seeded(NamedTuple):
    """A ledger seeded twice with changxing-2021, and what the CLI said about it."""

    first: Run
    second: Run
    if_empty: Run
    tasks: list[dict[str, Any]]
    events: list[dict[str, Any]]
    events_after_reseeding: list[dict[str, Any]]
    records: list[int | None]
    summary: Run


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The ledger seeded by the ``ledger`` process, once per run; seeded again (twice), and
    what it holds read by ``ledger export`` and ``ledger summary``, in this process."""
    return once(tmp_path_factory, "seeded", _seed_twice)


def _seed_twice(home: Path) -> Seeded:
    cli = LedgerCli(home)
    first = cli("seed", "changxing-2021").ok()
    records = [cli.stored_records()]
    tasks = cli.export("tasks", in_process=True)
    events = cli.export("events", in_process=True)
    second = cli.in_process("seed", "changxing-2021").ok()
    records.append(cli.stored_records())
    if_empty = cli.in_process("seed", "changxing-2021", "--if-empty").ok()
    records.append(cli.stored_records())
    return Seeded(
        first=first,
        second=second,
        if_empty=if_empty,
        tasks=tasks,
        events=events,
        events_after_reseeding=cli.export("events", in_process=True),
        records=records,
        summary=cli.in_process("summary").ok(),
    )


def exported_item(seeded: Seeded, number: int) -> dict[str, Any]:
    matches = [t for t in seeded.tasks if t["number"] == number]
    assert len(matches) == 1, f"item {number} exported {len(matches)} times"
    return matches[0]


def test_the_first_seed_writes_every_step_of_the_plan(seeded: Seeded) -> None:
    assert seeded.first.out == f"ledger: seeded changxing-2021: {STEPS} written, 0 already there\n"
    assert seeded.first.err == ""


def test_the_ledger_holds_the_26_items_of_the_plan_and_nothing_else(seeded: Seeded) -> None:
    assert [t["number"] for t in seeded.tasks] == list(range(1, 27))
    assert {t["plan_year"] for t in seeded.tasks} == {2021}
    assert {(t["status"], t["status_label"]) for t in seeded.tasks} == {("assigned", "已交办")}


@pytest.mark.parametrize("expected", ITEMS, ids=[f"item-{i.number:02d}" for i in ITEMS])
def test_each_item_is_seeded_as_the_document_states_it(seeded: Seeded, expected: Item) -> None:
    task = exported_item(seeded, expected.number)
    assert task["section"] == expected.section
    assert task["title"] == expected.title
    assert task["lead_units"] == list(expected.lead_units)
    assert task["cooperating_units"] == list(expected.cooperating_units)
    assert task["cooperation_note"] == expected.cooperation_note
    assert [(m["title"], m["due"]) for m in task["milestones"]] == list(expected.milestones)
    assert not any(m["reached"] for m in task["milestones"])
    assert task["deadline"] == expected.deadline


def test_every_title_and_section_is_quoted_verbatim_from_the_document(seeded: Seeded) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the source documents are not checked out beside the repository ({SEEDS_DIR})")
    lines = SOURCE_DOCUMENT.read_text(encoding="utf-8").splitlines()
    section = ""
    paragraphs: dict[int, tuple[str, str]] = {}  # number -> (section, paragraph)
    for line in lines:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            section = line.strip()
        elif found := re.match(r"^(\d+)\.", line):
            paragraphs[int(found[1])] = (section, line.strip())
    assert sorted(paragraphs) == list(range(1, 27))
    for task in seeded.tasks:
        where = f"item {task['number']}"
        section, paragraph = paragraphs[task["number"]]
        assert task["section"] == section, where
        assert paragraph.startswith(f"{task['number']}.{task['title']}。"), where
        for milestone in task["milestones"]:
            assert milestone["title"] in paragraph, where
        label = "责任单位" if task["number"] in (6, 7) else "牵头单位"
        note = f",{task['cooperation_note']}" if task["cooperation_note"] else ""
        assert paragraph.endswith(f"({label}:{'、'.join(task['lead_units'])}{note})"), where
    item_22 = paragraphs[22][1]
    for _, goal, _, _ in LEGACY_TARGETS:
        assert goal in item_22


def test_the_ten_units_the_document_names_are_registered_once_each(seeded: Seeded) -> None:
    registered = [
        (e["data"]["name"], e["data"]["kind"])
        for e in seeded.events
        if (e["item_type"], e["type"]) == ("Unit", "Registered")
    ]
    assert sorted(registered) == sorted(UNITS.items())
    assert "责任单位 units: 10  在册 10" in seeded.summary.out.splitlines()


def test_the_legacy_targets_of_item_22_are_set_for_2021_2022_and_2025(seeded: Seeded) -> None:
    targets = [
        (
            e["data"]["year"],
            e["data"]["goal"],
            e["data"]["due"],
            e["data"]["required_resolved_percent"],
        )
        for e in seeded.events
        if (e["item_type"], e["type"]) == ("LegacyTarget", "Set")
    ]
    assert targets == LEGACY_TARGETS


def test_every_seeded_event_is_an_import_dated_the_day_the_plan_was_issued(
    seeded: Seeded,
) -> None:
    kinds = sorted({(e["item_type"], e["type"]) for e in seeded.events})
    assert kinds == [
        ("LegacyTarget", "Set"),
        ("Task", "Assigned"),
        ("Task", "Registered"),
        ("Unit", "Registered"),
    ]
    assert len(seeded.events) == STEPS
    assert {e["occurred_at"] for e in seeded.events} == {PLAN_DAY}
    assert {e["imported"] for e in seeded.events} == {True}
    assert {e["request_id"] for e in seeded.events} == {"seed:changxing-2021"}


def test_seeding_again_writes_nothing(seeded: Seeded) -> None:
    assert seeded.second.out.startswith("ledger: seeded changxing-2021: 0 written, ")
    assert seeded.events_after_reseeding == seeded.events
    assert [e["position"] for e in seeded.events_after_reseeding] == [
        e["position"] for e in seeded.events
    ]
    assert seeded.records[0] is not None
    assert seeded.records == [seeded.records[0]] * 3


def test_seeding_again_reports_every_step_of_the_plan_as_already_there(seeded: Seeded) -> None:
    assert seeded.second.out == f"ledger: seeded changxing-2021: 0 written, {STEPS} already there\n"


def test_seeding_only_if_empty_leaves_a_seeded_ledger_alone(seeded: Seeded) -> None:
    assert seeded.if_empty.out == "ledger: not empty; changxing-2021 not seeded\n"
