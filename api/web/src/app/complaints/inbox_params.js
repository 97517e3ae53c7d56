// The inbox's filters live in the hash (#/complaints?channel=MEDIA&state=DISPATCHED&...),
// so that a filtered list can be linked, reloaded and gone back to.
import { CHANNELS, COMPLAINT_STATE } from "../../common/labels.js";

export const PAGE_SIZES = [20, 50, 100];

function sizeOf(given) {
  const size = Number(given);
  return Number.isInteger(size) && size >= 1 && size <= 100 ? size : PAGE_SIZES[0];
}

// What the hash asks for, checked: anything unknown is left out.
export function inboxParams(query) {
  const channel = query.get("channel");
  const state = query.get("state");
  return {
    channel: CHANNELS.includes(channel) ? channel : "",
    state: state in COMPLAINT_STATE ? state : "",
    unit: query.get("unit") || "",
    overdue: query.get("overdue") === "1",
    size: sizeOf(query.get("size")),
    after: query.get("after") || "",
    // the cursors of the pages before this one, so that 上一页 can go back
    trail: (query.get("trail") || "").split(" ").filter(Boolean),
  };
}

// The API's filter for the params, leaving the channel out when `channel` is false.
export function complaintFilter(params, channel = params.channel) {
  const filter = { overdueOnly: params.overdue };
  if (channel) filter.channels = [channel];
  if (params.state) filter.states = [params.state];
  if (params.unit) filter.unit = params.unit;
  return filter;
}

// The hash for the params with `changes` applied; a change of filter starts at page one.
export function inboxHash(params, changes = {}) {
  const paging = "after" in changes || "trail" in changes;
  const next = { ...params, ...(paging ? {} : { after: "", trail: [] }), ...changes };
  const query = new URLSearchParams();
  if (next.channel) query.set("channel", next.channel);
  if (next.state) query.set("state", next.state);
  if (next.unit) query.set("unit", next.unit);
  if (next.overdue) query.set("overdue", "1");
  if (next.size !== PAGE_SIZES[0]) query.set("size", String(next.size));
  if (next.after) query.set("after", next.after);
  if (next.trail.length) query.set("trail", next.trail.join(" "));
  const rest = query.toString();
  return `#/complaints${rest ? `?${rest}` : ""}`;
}
