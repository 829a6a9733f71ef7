/**
 * The simultaneous-attempts hold on its own (pure: LotData in, reasons out): a serial at one instant on
 * two or more stations holds, whether the runs come from two files or one; the same instant on one
 * station (a test split over rows), or one millisecond apart on two stations, does not.
 */
import { describe, expect, it } from 'vitest';
import type { LotData, LotRun } from '../../src/domain/lot-data.js';
import { lotDataHolds, withLotDataHolds } from '../../src/evaluate/lot-data-holds.js';

function lotOf(runs: readonly Omit<LotRun, 'declaredAttempt' | 'operator' | 'attempt'>[]): LotData {
  return {
    lot: 'L1',
    productId: 'p',
    runs: runs.map((r, i) => ({ ...r, declaredAttempt: null, operator: null, attempt: i + 1 })),
    parameters: [],
    corners: [],
    runIndex: new Int32Array(0),
    parameterIndex: new Uint16Array(0),
    cornerIndex: new Uint16Array(0),
    lane: new Int16Array(0),
    value: new Float64Array(0),
    censoring: new Uint8Array(0),
    fileHashes: [],
    quarantinedRows: 0,
  };
}
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('a serial tested at the same instant on more than one station', () => {
  it('holds, naming the serial, every station in id order, the files and the time', () => {
    const reasons = lotDataHolds(
      lotOf([
        { serial: 'SN2', station: 'ATE-03', testTime: '2025-03-10T06:00:00.000Z', fileSha256: B },
        { serial: 'SN2', station: 'ATE-01', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
        { serial: 'SN2', station: 'ATE-02', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
        { serial: 'SN1', station: 'ATE-01', testTime: '2025-03-10T05:00:00.000Z', fileSha256: A },
      ]),
    );
    expect(reasons).toEqual([
      {
        code: 'simultaneous-attempts',
        severity: 'HOLD',
        message:
          'unit SN2 tested at the same instant (2025-03-10T06:00:00.000Z) on ATE-01, ATE-02 and ATE-03 ' +
          '(files aaaaaaaaaaaa, bbbbbbbbbbbb): which attempt came first is unknown; meanwhile its attempts are ranked ' +
          "by station id, then file SHA-256. Check the serial and the stations' clocks",
        serials: ['SN2'],
        // Each file with the station(s) it names for this test (one file here reports two stations).
        files: [
          { sha256: A, station: 'ATE-01/ATE-02' },
          { sha256: B, station: 'ATE-03' },
        ],
      },
    ]);
  });

  it('holds a lot the statistics would reject too: which attempt is the first pass is not settled', () => {
    const holds = lotDataHolds(
      lotOf([
        { serial: 'SN1', station: 'ATE-01', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
        { serial: 'SN1', station: 'ATE-02', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
      ]),
    );
    const rejected = { disposition: 'REJECT' as const, reasons: [{ code: 'yield', severity: 'REJECT' as const, message: 'low yield' }] };
    const out = withLotDataHolds(rejected, holds);
    expect(out.disposition).toBe('HOLD');
    expect(out.reasons.map((r) => r.code)).toEqual(['simultaneous-attempts', 'yield']);
  });

  it('does not hold for one station at one instant in two files, nor two stations one millisecond apart', () => {
    expect(
      lotDataHolds(
        lotOf([
          { serial: 'SN1', station: 'ATE-01', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
          { serial: 'SN1', station: 'ATE-01', testTime: '2025-03-10T06:00:00.000Z', fileSha256: B },
          { serial: 'SN2', station: 'ATE-01', testTime: '2025-03-10T06:00:00.000Z', fileSha256: A },
          { serial: 'SN2', station: 'ATE-02', testTime: '2025-03-10T06:00:00.001Z', fileSha256: B },
        ]),
      ),
    ).toEqual([]);
  });
});
