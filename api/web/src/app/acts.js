// The forms of the acts on one item: each act names its mutation, its title, the states it
// can be done in (and any further condition), who besides the office may do it (the office
// does every act: api/permissions.py) and its fields. Acts marked `versioned` judge what
// the page showed and carry the version seen (a stale page gets ConcurrencyConflict).
import "./item.css";
import { el } from "../common/dom.js";
import { mutationForm } from "../common/form.js";

function allowed(act, item, state, relations) {
  if (!act.states.includes(item.state) || (act.when && !act.when(item, state))) return false;
  return relations.has("office") || (act.by || []).some((relation) => relations.has(relation));
}

// `relations`: what the caller is to the item ("office", "leader", "lead", ...);
// `given`: what the acts' fields and fixed inputs are made from; `done(success, title)`
// after each act.
export function actForms({ acts, item, state, relations, given, idField, context, done }) {
  return acts
    .filter((act) => allowed(act, item, state, relations))
    .map((act) => {
      const fixed = { [idField]: item.id, ...(act.fixed ? act.fixed(given) : {}) };
      if (act.versioned) fixed.expectedVersion = item.version;
      const form = mutationForm({
        mutation: act.mutation,
        title: act.title,
        fields: act.fields(given),
        fixed,
        toInput: act.toInput,
        request: context.request,
        onDone: (success) => done(success, act.title),
      });
      return el("div", { class: "act-card" }, form);
    });
}

// The forms laid out under their heading (nothing when the caller may do none).
export function actsSection(forms) {
  if (!forms.length) return null;
  return el("section", { class: "acts" }, el("h2", {}, "办理"), el("div", { class: "act-grid" }, forms));
}

// What a caller of a role other than the office and the leaders is to an item: a unit's
// relations are given by `unitRelations(unitId)`.
export function relationsOf(me, unitRelations) {
  if (me.role === "OFFICE") return new Set(["office"]);
  if (me.role === "LEADER") return new Set(["leader"]);
  if (me.role !== "UNIT" || !me.unit) return new Set();
  return new Set(unitRelations(me.unit.id));
}
