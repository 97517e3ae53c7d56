// Moments typed on the pages are Beijing time, whatever the computer's own zone: a
// datetime-local field's value (2021-04-29T09:00 or with seconds) becomes an ISO moment
// with +08:00 for the API, and an API moment becomes a field's value.
import { el } from "../../common/dom.js";

const BEIJING_MS = 8 * 3600 * 1000;

export function beijingMoment(fieldValue) {
  if (!fieldValue) return null;
  const withSeconds = fieldValue.length === 16 ? `${fieldValue}:00` : fieldValue;
  return `${withSeconds}+08:00`;
}

export function beijingFieldValue(isoMoment) {
  if (!isoMoment) return "";
  return new Date(new Date(isoMoment).getTime() + BEIJING_MS).toISOString().slice(0, 19);
}

export function momentField(id, name, value = "") {
  return el("input", { id, name, type: "datetime-local", step: 1, value });
}
