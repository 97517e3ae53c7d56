// An item's whole record from the API's `history`: its state as the log folds it (fields
// the list does not carry: milestones, the pending extension, the plan) and every event,
// read a page of 500 at a time.
import { read } from "./writes.js";

const HISTORY = `query Record($id: ID!, $after: String) {
  history(itemId: $id) {
    version
    state
    eventPage(first: 500, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { position type version occurredAt recordedAt actor { id role unit } data }
    }
  }
}`;

export async function itemRecord(context, id) {
  const events = [];
  let after = null;
  let state = null;
  for (;;) {
    const { history } = await read(context, HISTORY, { id, after });
    if (!history) return null;
    state = history.state;
    events.push(...history.eventPage.nodes);
    if (!history.eventPage.pageInfo.hasNextPage) return { state, events };
    after = history.eventPage.pageInfo.endCursor;
  }
}
