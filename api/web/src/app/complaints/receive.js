// The office receives a case from one of the five channels (首问负责: the unit that first
// took it answers for it until a handover).
import { mutationForm } from "../../common/form.js";
import { CHANNEL } from "../../common/labels.js";

// `teams`: the policy's three teams (三支队伍); a case of that channel names one, no other does.
// `intakes`: the policy's intake lines (受理专线: the 24-hour line), each of one channel; a
// case may name one (then receipted within its hours). `enterprises`: the registered ones.
export function receiveForm({ request, units, teams, intakes = [], enterprises = [], channel, onDone }) {
  const unitOptions = units.map((unit) => [unit.id, unit.name]);
  const intakeOptions = intakes.map((line) => [line.key, `${line.name}（${line.receiptHours}小时内受理）`]);
  return mutationForm({
    mutation: "receiveComplaint",
    title: "受理投诉",
    fields: [
      { name: "channel", label: "渠道", type: "select", required: true, options: Object.entries(CHANNEL), value: channel || "HOTLINE_12345" },
      { name: "team", label: "监督队伍（三支队伍监督渠道填写）", type: "select", options: teams.map((team) => [team.key, team.name]) },
      { name: "intake", label: "受理专线", type: "select", options: intakeOptions, hint: "经24小时专线、全天候企业热线来电的填写；须与渠道一致，按小时计受理时限（含夜间节假日）" },
      { name: "enterprise", label: "涉及企业", type: "select", options: enterprises.map((e) => [e.id, e.name]), hint: "已登记的一对一服务企业" },
      { name: "summary", label: "诉求内容", type: "textarea", required: true, rows: 4 },
      { name: "firstResponder", label: "首问责任单位", type: "select", required: true, options: unitOptions },
      { name: "subjectUnit", label: "被投诉单位", type: "select", options: unitOptions },
      { name: "complainantName", label: "投诉人姓名", maxLength: 100, hint: "个人信息加密保存，仅经说明用途后可查看" },
      { name: "complainantPhone", label: "联系电话", maxLength: 40 },
      { name: "occurredAt", label: "受理时间", type: "datetime", hint: "补录时填写（北京时间）；不填为现在" },
    ],
    toInput: ({ team, ...values }) => (values.channel === "THREE_TEAMS" ? { ...values, team } : values),
    request,
    onDone,
  });
}
