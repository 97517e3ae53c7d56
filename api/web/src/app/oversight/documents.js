// What the oversight page asks of the API: the interviews (约谈) and referrals (移交纪检监察)
// a page at a time, the office's candidates for an interview, one item with its history,
// and what the forms offer to cite.

export const LISTS = `query Oversight($interviewFilter: InterviewFilter!, $referralFilter: ReferralFilter!,
    $size: Int!, $interviewsAfter: String, $referralsAfter: String) {
  interviews(first: $size, after: $interviewsAfter, filter: $interviewFilter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id itemId version state scheduledFor rectifyBy rectified unit { id name } }
  }
  referrals(first: $size, after: $referralsAfter, filter: $referralFilter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id itemId version state outcome accountable unit { id name } }
  }
}`;

export const CANDIDATES = `{
  interviewCandidates { name reasons interviewsSoFar unit { id itemId name } }
  referralCandidates { name reasons referralsSoFar unit { id itemId name } }
}`;

// Units, and the items a form may cite: the plan's tasks and the overdue cases.
export const CITABLE = `{
  units { id itemId name }
  tasks(first: 100) { nodes { id itemId planYear number title } }
  complaints(first: 100, filter: { overdueOnly: true }) { nodes { id itemId channel receivedOn handlingUnit { name } accountableUnit { name } } }
}`;

export const ITEM_FIELDS = `__typename id itemId
  ... on Task { planYear number title }
  ... on Complaint { channel receivedOn handlingUnit { name } accountableUnit { name } }
  ... on Interview { scheduledFor unit { name } }
  ... on Referral { unit { name } }`;

// Several items by id (global or bare uuid), each as `i0`, `i1`, ...
export function itemsDocument(count) {
  const variables = Array.from({ length: count }, (_, i) => `$i${i}: ID!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `i${i}: node(id: $i${i}) { ${ITEM_FIELDS} }`).join("\n");
  return `query Items(${variables}) { ${fields} }`;
}

export const OVERSIGHT_ITEM = `query OversightItem($id: ID!) {
  node(id: $id) {
    __typename id itemId version
    ... on Interview { interviewState: state scheduledFor rectifyBy rectified unit { id name } }
    ... on Referral { referralState: state outcome accountable unit { id name } }
  }
  history(itemId: $id) {
    state
    eventPage(first: 100) { totalCount nodes { position version type occurredAt recordedAt backdated actor { id role unit } data } }
  }
}`;

export const ITEM_EVENTS = `query ItemEvents($id: ID!) {
  history(itemId: $id) { eventPage(first: 200) { nodes { position version type occurredAt actor { id role } } } }
}`;
