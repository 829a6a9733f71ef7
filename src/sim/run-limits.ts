/**
 * @module RunLimits — the limits of one slot for one unit's readings: constants as modelled,
 * expression limits evaluated on that unit's own same-lane, same-corner readings (module-scope
 * readings of the same corner are visible to lane expressions).
 */
import { slotKey, type ProcessModel, type SlotModel } from './process-model.js';
import { isConstant, slotLimitValues, type SlotLimitValues } from './slot-limits.js';

/** LSL/USL of `slot` for a run whose readings are `values` (indexed like `model.slots`). */
export function slotLimitsForRun(model: ProcessModel, values: Float64Array, slot: SlotModel): SlotLimitValues {
  const { lsl, usl } = slot.limits;
  if ((lsl === null || isConstant(lsl)) && (usl === null || isConstant(usl))) return { lsl: slot.lsl, usl: slot.usl };
  return slotLimitValues(slot.limits, (id) => {
    const index = model.slotIndex.get(slotKey(id, slot.corner, slot.lane)) ?? model.slotIndex.get(slotKey(id, slot.corner, null));
    return index === undefined ? undefined : values[index];
  });
}
