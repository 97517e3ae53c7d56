// The units' names by their ids (merged units included: history keeps old names), so an
// actor's unit or a task's lead units read as names.
const UNITS = `{ units(includeMerged: true) { itemId name } }`;

export async function unitNames(context) {
  const { units } = await context.request(UNITS);
  return new Map(units.map((unit) => [unit.itemId, unit.name]));
}
