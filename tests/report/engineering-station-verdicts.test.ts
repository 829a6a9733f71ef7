/**
 * The engineering report's station section: where the stations' verdicts disagree with lotqa's and their
 * limits with the spec's, from LotResult.stationEvidence; no such page when the stations said nothing.
 */
import { describe, expect, it } from 'vitest';
import { renderEngineeringReport } from '../../src/report/engineering-pdf.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { buildLotResult, decisionFor, lotResultErrors } from './support/lot-result-fixture.js';
import { pdfPages } from './support/pdf-text.js';

function withStationEvidence(result: LotResult): LotResult {
  const serial = result.units[0]!.serial;
  return {
    ...result,
    stationEvidence: {
      runsWithVerdict: result.units.length,
      disagreeingUnits: { firstPass: 1, final: 1 },
      verdicts: [
        {
          serial,
          station: 'ATE-02',
          testTime: '2025-03-04T10:00:00.000Z',
          attempt: 'final',
          stationSays: 'fail',
          lotqaSays: 'pass',
          message: `unit ${serial}, final attempt (ATE-02, 2025-03-04T10:00:00.000Z): the station says FAIL, lotqa says pass`,
        },
      ],
      limits: [
        {
          station: 'ATE-02',
          parameter: 'tx_er',
          side: 'lower',
          stationLimit: 3.5,
          specLimit: 3.6,
          unit: 'dB',
          corners: ['25C'],
          lanes: [0, 1],
          message: 'ATE-02 tests Extinction ratio (tx_er) against 3.5 dB, the spec says 3.6 dB (lower limit; 25C; lanes 1, 2)',
        },
      ],
      notCompared: ['ATE-02: rx_stressed at 25C is not a reading product X defines there'],
    },
  };
}

describe('engineering report: station verdicts and limits', () => {
  it('lists the limit that differs from the spec and the unit the station failed, with the per-lot counts', async () => {
    const result = withStationEvidence(buildLotResult({ units: 20, parameters: 2 }));
    expect(lotResultErrors(result)).toEqual([]);
    const pages = await pdfPages(await renderEngineeringReport(result, decisionFor(result, 'HOLD', 'B. Quality')));
    const page = pages.find((p) => p.includes('Station verdicts and limits'));
    expect(page).toBeDefined();
    expect(page).toMatch(
      /units where the station disagrees with lotqa: 1 at first pass, 1 at the final attempt; 1 station limit differs from the spec/,
    );
    expect(page).toContain('ATE-02 tests Extinction ratio (tx_er) against 3.5 dB, the spec says 3.6 dB');
    expect(page).toContain(result.units[0]!.serial);
    expect(page).toContain('FAIL');
    expect(page).toContain('rx_stressed at 25C is not a reading');
  });

  it('has no station page when no station reported a verdict or a limit', async () => {
    const result = buildLotResult({ units: 20, parameters: 2 });
    const pages = await pdfPages(await renderEngineeringReport(result, decisionFor(result, 'ACCEPT')));
    expect(pages.some((p) => p.includes('Station verdicts and limits'))).toBe(false);
  });
});
