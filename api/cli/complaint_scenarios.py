"""The complaint lifecycle of ``ledger generate``: a case through the five channels, with
returns, hand-overs, appeals, extensions, reopenings and rewards."""

from __future__ import annotations

from uuid import UUID

from api.cli.scenario_text import COMPLAINT_TEXT, SURNAMES
from api.cli.simulation import Lifecycle, Simulation
from domain.channels import Channel
from domain.complaint import Complaint


def complaint_lifecycle(sim: Simulation, channel: Channel | None = None) -> Lifecycle:
    """A case through ``channel`` (any channel unless given)."""
    if channel is None:
        channel = sim.rng.choice(list(Channel))
    case_id, summary = sim.new_id(), sim.rng.choice(COMPLAINT_TEXT[channel])
    team = sim.team(case_id) if channel is Channel.THREE_TEAMS else None
    c = Complaint.receive(
        case_id,
        channel=channel,
        summary=team.name + summary if team else summary,
        complainant_name=sim.personal("complainant_name", sim.rng.choice(SURNAMES) + "先生"),
        complainant_phone=sim.personal("complainant_phone", f"13{sim.rng.randrange(10**9):09d}"),
        subject_unit=sim.unit(),
        first_responder=sim.unit(),
        rules=sim.rules,
        meta=sim.meta(),
        team=team.key if team else None,
    )
    yield sim.touch(c)
    handler = sim.unit()
    c.dispatch(handler, sim.rules, sim.meta())
    yield sim.touch(c)
    while sim.chance(0.12) and c.return_count < 2:
        c.return_(handler, "不属于本单位职责范围", sim.meta(unit=handler))
        yield sim.touch(c)
        handler = sim.unit()
        c.dispatch(handler, sim.rules, sim.meta())
        yield sim.touch(c)
    if sim.chance(0.08) and handler != c.accountable_unit:
        c.hand_over(handler, "首问单位移交承办单位", sim.meta(unit=c.accountable_unit))
        yield sim.touch(c)
    c.sign_for(handler, sim.meta(unit=handler))
    yield sim.touch(c)
    c.reply("已受理,正在核实处理", sim.rules, sim.meta(unit=handler))
    yield sim.touch(c)
    yield from _verify_and_rectify(sim, c, handler)


def _verify_and_rectify(sim: Simulation, c: Complaint, handler: UUID) -> Lifecycle:
    if c.channel is Channel.GOOD_BAD_REVIEW and sim.chance(0.25):
        c.verify(False, "经核实,差评所述情况与事实不符", sim.meta(unit=handler))
        yield sim.touch(c)
        upheld = sim.chance(0.6)
        c.review_appeal(upheld, "申诉复核意见", sim.meta())
        yield sim.touch(c)
        if upheld:
            c.close("差评不实,申诉成立", sim.meta())
            yield sim.touch(c)
            return
    else:
        c.verify(True, "经核实,反映情况属实", sim.meta(unit=handler))
        yield sim.touch(c)
    if sim.chance(0.08):
        c.extend_deadline(sim.rng.randint(1, 5), "情况复杂需延期", sim.rules, sim.meta())
        yield sim.touch(c)
    while True:
        c.report_rectification("已完成整改", ["整改报告.pdf"], sim.meta(unit=handler))
        yield sim.touch(c)
        c.call_back(sim.chance(0.85), "电话回访", sim.meta())
        yield sim.touch(c)
        if c.satisfied or c.reopen_count >= 2:
            break
        c.reopen("回访不满意,重新办理", sim.meta())
        yield sim.touch(c)
    c.close("办结", sim.meta())
    yield sim.touch(c)
    if c.channel is Channel.FAULT_FINDING and c.founded:
        c.grant_reward(sim.rng.choice([200, 500, 1000]), "找茬儿有奖", sim.meta())
        yield sim.touch(c)
