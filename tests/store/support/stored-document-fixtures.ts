/**
 * Small, valid stored documents for the store tests: a LotResult, a baseline, a sampling state and a
 * certificate record. Just enough content to be distinguishable and to pass their schemas.
 */
import type { Baseline } from '../../../src/domain/baseline.js';
import type { LotResult } from '../../../src/domain/lot-result.js';
import type { CertificatePayload, SamplingState } from '../../../src/domain/stored-documents.js';

export function lotResultFixture(lot: string, over: Partial<LotResult> = {}): LotResult {
  return {
    kind: 'lotqa/lot-result',
    schemaVersion: 1,
    lotqaVersion: '0.1.0',
    lot,
    revision: 1,
    contentHash: 'c'.repeat(64),
    fileHashes: ['f'.repeat(64)],
    product: {
      productId: 'QSFP28-LR4',
      partNumber: 'LR4-100',
      description: 'QSFP28 100G LR4',
      formFactor: 'QSFP28',
      specVersion: '1.2.0',
      laneCount: 4,
      corners: [{ id: 'room', name: 'room', caseTemperatureC: 25 }],
      standards: [],
    },
    policy: { id: 'default', version: '1' },
    baseline: null,
    quantity: { units: 1, runs: 1, files: 1, quarantinedRows: 0, firstTestTime: null, lastTestTime: null, stations: ['ATE-01'] },
    yields: { firstPass: 1, final: 1, firstPassPassed: 1, finalPassed: 1, indeterminate: 0 },
    sampling: {
      mode: '100-percent',
      standard: null,
      description: '100 % test',
      severity: null,
      codeLetter: null,
      sampleSize: 1,
      acceptanceNumber: null,
      rejectionNumber: null,
      nonconforming: 0,
      verdict: 'accept',
      detail: [],
    },
    cells: [],
    units: [
      {
        serial: 'SN001',
        station: 'ATE-01',
        attempts: 1,
        firstPass: 'pass',
        final: 'pass',
        failures: [],
        firstPassFailures: 0,
        patOutlier: false,
        finalTestTime: '2024-05-01T08:00:00.000Z',
      },
    ],
    pareto: [],
    stations: [{ station: 'ATE-01', units: 1, firstPassYield: 1, finalYield: 1 }],
    laneSpread: [],
    investigations: [],
    family: { tests: 0, alpha: 0.01, correction: 'holm' },
    proposal: { disposition: 'ACCEPT', reasons: [] },
    notes: [],
    ...over,
  };
}

export function baselineFixture(productId: string, notes: string[] = []): Baseline {
  return {
    kind: 'lotqa/baseline',
    productId,
    specVersion: '1.2.0',
    lots: ['Q1', 'Q2'],
    createdBy: 'qe',
    cells: [
      {
        parameter: 'tx_power_dbm',
        corner: 'room',
        lane: 0,
        n: 3,
        mean: 1.5,
        sigmaUnit: 0.1,
        dfUnit: 2,
        limits: {
          version: 1,
          chart: 'imr',
          centre: 1.5,
          sigma: 0.1,
          estimator: 'moving-range',
          subgroupSize: 1,
          span: 2,
          sigmaMultiplier: 3,
          baselineCount: 3,
          removed: [],
        },
        lotMeans: [1.4, 1.6],
        lotSizes: [2, 1],
        sample: [1.4, 1.5, 1.6],
      },
    ],
    exclusions: [],
    notes,
  };
}

export function samplingStateFixture(severity: SamplingState['severity'], acceptedInARowOnNormal: number): SamplingState {
  return { severity, recentNormal: [true, true], acceptedInARowOnNormal, acceptedInARowOnTightened: 0, notAcceptedOnTightened: 0 };
}

export function certificatePayloadFixture(resultSha256: string): CertificatePayload {
  return { certificateNumber: 'LQ-LOT-CERT-R1-ABCDEF', resultSha256, signer: 'policy:default' };
}
