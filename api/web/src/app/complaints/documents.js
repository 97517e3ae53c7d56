// What the complaint pages ask of the API: a case's figures as the Complaint type gives
// them, the inbox (a page of cases and a count per channel) and one case with its history.
import { CHANNELS } from "../../common/labels.js";

export const COMPLAINT_FIELDS = `id itemId version state channel receivedOn closeBy deadlineProvisional
  closedOn rectifiedOn firstRepliedOn returns reopenings founded satisfied rewardYuan overdue light
  firstResponder { id name } accountableUnit { id name } handlingUnit { id name } subjectUnit { id name }
  team { key name }
  intake { key name receiptHours } receipt { due receiptedAt late overdue } enterprise { id name }
  materialRequests { items requestedOn breach note unit { name } }`;

// The page of cases the filter asks for, and how many each channel has under the same
// filter (the tabs' figures), in one request.
export function inboxDocument() {
  const counts = CHANNELS.map((channel) => `${channel}: complaints(filter: $${channel}) { totalCount }`).join("\n");
  const variables = CHANNELS.map((channel) => `$${channel}: ComplaintFilter!`).join(", ");
  return `query Inbox($first: Int!, $after: String, $filter: ComplaintFilter!, $everyChannel: ComplaintFilter!, ${variables}) {
    page: complaints(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${COMPLAINT_FIELDS} }
    }
    everyChannel: complaints(filter: $everyChannel) { totalCount }
    ${counts}
  }`;
}

export const UNITS = `{ units { id itemId name } teams { key name } intakes { key name channel receiptHours } }`;

// What only the office's receive form offers besides: the registered enterprises.
export const ENTERPRISES = `{ enterprises(first: 100) { nodes { id name } } }`;

export const COMPLAINT = `query Complaint($id: ID!) {
  node(id: $id) { ... on Complaint { ${COMPLAINT_FIELDS} } }
  history(itemId: $id) {
    state
    eventPage(first: 200) {
      totalCount
      nodes { position version type occurredAt recordedAt backdated imported actor { id role unit } data }
    }
  }
  units(includeMerged: true) { id itemId name }
}`;
