// The people summoned, with their posts (an interview recorded before posts were asked
// names one person in free text).
export function intervieweesShown(state) {
  const people = state.interviewees || [];
  if (people.length) return people.map((p) => (p.post ? `${p.name}（${p.post}）` : p.name)).join("、");
  return state.interviewee || "—";
}
