// The items an interview or a referral cites, named and linked as the users know them.
import { el } from "../../common/dom.js";
import { CHANNEL, date, label, moment } from "../../common/labels.js";
import { complaintHref } from "../complaints/inbox_table.js";
import { itemsDocument } from "./documents.js";

export function itemName(node) {
  switch (node.__typename) {
    case "Task":
      return `任务 ${node.planYear}-${node.number ?? "?"}：${node.title}`;
    case "Complaint": {
      const unit = node.handlingUnit || node.accountableUnit;
      return `投诉 · ${label(CHANNEL, node.channel)} · ${date(node.receivedOn)}${unit ? ` · ${unit.name}` : ""}`;
    }
    case "Interview":
      return `约谈 · ${node.unit ? node.unit.name : "—"} · ${moment(node.scheduledFor)}`;
    case "Referral":
      return `移交纪检监察 · ${node.unit ? node.unit.name : "—"}`;
    default:
      return node.id;
  }
}

export function itemHref(node) {
  switch (node.__typename) {
    case "Task":
      return `#/tasks/${encodeURIComponent(node.id)}`;
    case "Complaint":
      return complaintHref(node.id);
    case "Interview":
      return `#/oversight?interview=${encodeURIComponent(node.id)}`;
    case "Referral":
      return `#/oversight?referral=${encodeURIComponent(node.id)}`;
    default:
      return `#/timeline/${encodeURIComponent(node.id)}`;
  }
}

export function itemLink(node) {
  return el("a", { href: itemHref(node) }, itemName(node));
}

// The nodes of the ids (global or bare uuids), in their order; null where the caller may
// not see one.
export async function itemsByIds(read, ids) {
  if (!ids.length) return [];
  const variables = Object.fromEntries(ids.map((id, i) => [`i${i}`, id]));
  const data = await read(itemsDocument(ids.length), variables);
  return ids.map((_, i) => data[`i${i}`]);
}
