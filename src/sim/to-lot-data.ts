/**
 * @module A generated lot as the evaluation reads it (LotData), without writing or parsing files.
 * For studies that need thousands of lots (the decision error-rate script) and for fast tests of the
 * evaluation; the file path (writeLotFiles → ingest → store) is tested separately and gives the same data.
 */
import { createHash } from 'node:crypto';
import { MODULE_LANE, type LotData, type LotRun } from '../domain/lot-data.js';
import type { GeneratedLot } from './generate-lot.js';

export function toLotData(lot: GeneratedLot): LotData {
  const slots = lot.model.slots;
  const parameters = [...new Set(slots.map((s) => s.parameter))];
  const corners = [...new Set(slots.map((s) => s.corner))];
  const pIndex = new Map(parameters.map((p, i) => [p, i]));
  const cIndex = new Map(corners.map((c, i) => [c, i]));
  // Runs sorted by (serial, attempt), as the store returns them.
  const order = lot.runs
    .map((r, i) => i)
    .sort((a, b) => {
      const ra = lot.runs[a]!;
      const rb = lot.runs[b]!;
      return ra.serial < rb.serial ? -1 : ra.serial > rb.serial ? 1 : ra.attempt - rb.attempt;
    });
  const runs: LotRun[] = [];
  const fileHashes: string[] = [];
  const n = order.length * slots.length;
  const runIndex = new Int32Array(n);
  const parameterIndex = new Uint16Array(n);
  const cornerIndex = new Uint16Array(n);
  const lane = new Int16Array(n);
  const value = new Float64Array(n);
  const censoring = new Uint8Array(n);
  let k = 0;
  order.forEach((ri, r) => {
    const run = lot.runs[ri]!;
    const hash = createHash('sha256')
      .update(`${lot.lot}\n${run.serial}\n${run.attempt}\n${run.testTime}`)
      .update(Buffer.from(run.values.buffer))
      .digest('hex');
    fileHashes.push(hash);
    runs.push({
      serial: run.serial,
      station: run.station,
      testTime: run.testTime,
      declaredAttempt: run.attempt,
      attempt: run.attempt,
      fileSha256: hash,
      operator: run.operator,
    });
    slots.forEach((s, si) => {
      runIndex[k] = r;
      parameterIndex[k] = pIndex.get(s.parameter)!;
      cornerIndex[k] = cIndex.get(s.corner)!;
      lane[k] = s.lane ?? MODULE_LANE;
      value[k] = run.values[si]!;
      censoring[k] = run.censoring[si]!;
      k++;
    });
  });
  return {
    lot: lot.lot,
    productId: lot.productId,
    runs,
    parameters,
    corners,
    runIndex,
    parameterIndex,
    cornerIndex,
    lane,
    value,
    censoring,
    fileHashes: fileHashes.sort(),
    quarantinedRows: 0,
  };
}
