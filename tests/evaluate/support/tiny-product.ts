/**
 * A two-lane, one-corner product small enough to reason about by hand, and a builder of LotData from
 * readings written as literals.
 */
import { validateDocument } from '../../../src/domain/schema-registry.js';
import type { ProductSpec } from '../../../src/domain/product-spec.js';
import { CENSOR_ABOVE, CENSOR_BELOW, CENSOR_NONE, MODULE_LANE, type LotData } from '../../../src/domain/lot-data.js';

export const TINY: ProductSpec = validateDocument(
  'product-spec',
  {
    kind: 'lotqa/product-spec',
    version: 't1',
    productId: 'tiny',
    partNumber: 'TINY-2L',
    description: 'test product',
    formFactor: 'OSFP',
    laneCount: 2,
    corners: [{ id: 'room', name: 'Room', caseTemperatureC: 25 }],
    standards: [],
    parameters: [
      {
        id: 'power',
        name: 'Power',
        unit: 'dBm',
        scope: 'lane',
        lsl: -2,
        usl: 4,
        informativeLsl: true,
        critical: true,
        source: 'test',
        provenance: 'illustrative',
      },
      { id: 'er', name: 'ER', unit: 'dB', scope: 'lane', lsl: 3.5, critical: true, source: 'test', provenance: 'illustrative' },
      { id: 'tdecq', name: 'TDECQ', unit: 'dB', scope: 'lane', usl: 3.4, critical: true, source: 'test', provenance: 'illustrative' },
      {
        id: 'oma',
        name: 'OMA',
        unit: 'dBm',
        scope: 'lane',
        lsl: { expr: 'max(-0.8, tdecq - 2.2)' },
        usl: 4.2,
        critical: true,
        source: 'test',
        provenance: 'illustrative',
      },
      {
        id: 'sens',
        name: 'RX sensitivity',
        unit: 'dBm',
        scope: 'lane',
        usl: -4.4,
        critical: true,
        source: 'test',
        provenance: 'illustrative',
      },
      {
        id: 'oma_minus_tdecq',
        name: 'OMA − TDECQ',
        unit: 'dBm',
        scope: 'lane',
        derived: 'oma - tdecq',
        lsl: -2.2,
        critical: true,
        source: 'test',
        provenance: 'illustrative',
      },
      {
        id: 'module_power',
        name: 'Module power',
        unit: 'W',
        scope: 'module',
        usl: 12,
        critical: false,
        source: 'test',
        provenance: 'illustrative',
      },
    ],
  },
  'tiny-product (test)',
);

/** A reading: number, '<v' or '>v' (censored). */
export type Reading = number | `<${number}` | `>${number}`;
export interface RunReadings {
  serial: string;
  attempt?: number;
  testTime?: string;
  /** parameter → per-lane readings (module parameters: one reading). Absent = not measured. */
  values: Record<string, Reading | Reading[]>;
}

export function lotData(lot: string, runs: RunReadings[], product: ProductSpec = TINY): LotData {
  const parameters = product.parameters.filter((p) => !p.derived).map((p) => p.id);
  const rows: { run: number; p: number; lane: number; v: number; c: number }[] = [];
  const sorted = runs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.serial < b.r.serial ? -1 : a.r.serial > b.r.serial ? 1 : (a.r.attempt ?? 1) - (b.r.attempt ?? 1)));
  sorted.forEach(({ r }, runIdx) => {
    for (const [param, val] of Object.entries(r.values)) {
      const p = parameters.indexOf(param);
      if (p < 0) throw new Error(`unknown parameter ${param}`);
      const list = Array.isArray(val) ? val : [val];
      const isModule = product.parameters.find((x) => x.id === param)!.scope === 'module';
      list.forEach((reading, lane) => {
        const s = String(reading);
        const c = s.startsWith('<') ? CENSOR_BELOW : s.startsWith('>') ? CENSOR_ABOVE : CENSOR_NONE;
        rows.push({ run: runIdx, p, lane: isModule ? MODULE_LANE : lane, v: Number(c === CENSOR_NONE ? reading : s.slice(1)), c });
      });
    }
  });
  return {
    lot,
    productId: product.productId,
    runs: sorted.map(({ r }, i) => ({
      serial: r.serial,
      station: 'ST1',
      testTime: r.testTime ?? `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`,
      declaredAttempt: r.attempt ?? 1,
      attempt: r.attempt ?? 1,
      fileSha256: `${lot}-${i}`.padEnd(64, '0'),
      operator: null,
    })),
    parameters,
    corners: ['room'],
    runIndex: Int32Array.from(rows, (x) => x.run),
    parameterIndex: Uint16Array.from(rows, (x) => x.p),
    cornerIndex: new Uint16Array(rows.length),
    lane: Int16Array.from(rows, (x) => x.lane),
    value: Float64Array.from(rows, (x) => x.v),
    censoring: Uint8Array.from(rows, (x) => x.c),
    fileHashes: sorted.map((_, i) => `${lot}-${i}`.padEnd(64, '0')),
    quarantinedRows: 0,
  };
}

/** A unit that passes everything. */
export function goodUnit(serial: string, over: Partial<Record<string, Reading | Reading[]>> = {}, attempt = 1): RunReadings {
  return {
    serial,
    attempt,
    values: {
      power: [1, 1.1],
      er: [5, 5.2],
      tdecq: [1.5, 1.6],
      oma: [2, 2.1],
      sens: [-6, -6.2],
      module_power: 9,
      ...(over as Record<string, Reading | Reading[]>),
    },
  };
}
