/**
 * Lanes named as the spec names them: a product spec may carry `laneLabels` (one per lane, unique), checked
 * with a spec-file error naming the file, the field and the values; with labels, HOLD reasons (message and
 * `laneName` beside the 0-based `lane`), the engineering report, the certificate and the CSVs print the
 * spec's names. Fixture specs: the shipped DR4 with station-style 0-based labels "L0"…"L3" (so "L1" is the
 * lane a channel-numbered spec calls "2"), and the shipped 2×FR4 with its CWDM wavelengths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { SpecFileError } from '../../src/domain/spec-file-error.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { renderEngineeringReport } from '../../src/report/engineering-pdf.js';
import { renderCertificate } from '../../src/report/coc-pdf.js';
import { writeUnitResultsCsv } from '../../src/report/unit-results-csv.js';
import { decisionFor, FIXTURE_CONTEXT } from '../report/support/lot-result-fixture.js';
import { pdfPages } from '../report/support/pdf-text.js';

let dir: string;
/** Writes `doc` as a spec file in the scratch folder and loads it as a user's spec is loaded (by path). */
function specFile(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return path;
}
const shipped = (id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../schemas/products/${id}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const WAVELENGTHS = ['1271 nm', '1291 nm', '1311 nm', '1331 nm'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-lane-labels-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a spec file’s laneLabels are checked', () => {
  const refused = (name: string, laneLabels: unknown): SpecFileError => {
    const path = specFile(name, { ...shipped('qsfp112-400g-dr4'), productId: name.replace('.json', ''), laneLabels });
    let thrown: unknown;
    try {
      findProduct(path);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SpecFileError);
    expect((thrown as SpecFileError).exitCode).toBe(2);
    return thrown as SpecFileError;
  };

  it('refuses a count other than laneCount, naming the file, the field, the labels and what to do', () => {
    const e = refused('three-labels.json', ['L0', 'L1', 'L2']);
    expect(e.message).toBe(
      `${join(dir, 'three-labels.json')}: /laneLabels has 3 labels ("L0", "L1", "L2") but the product has 4 lanes (laneCount): give one label per lane, in lane order`,
    );
  });

  it('refuses a label used twice, one with spaces around it, and one a spreadsheet reads as a formula', () => {
    expect(refused('twice.json', ['L0', 'L1', 'L1', 'L3']).message).toContain(
      '/laneLabels/2 repeats label "L1" (first at /laneLabels/1): each lane needs its own name',
    );
    expect(refused('spaced.json', ['L0', ' L1', 'L2', 'L3']).message).toContain('/laneLabels/1 label " L1" has spaces around it');
    expect(refused('formula.json', ['L0', 'L1', '=L2', 'L3']).message).toContain(
      '/laneLabels/2 label "=L2" starts with =, which a spreadsheet reads as a formula',
    );
  });

  it('accepts one label per lane, and a spec without labels is unchanged', () => {
    const labelled = findProduct(
      specFile('dr4-l0.json', { ...shipped('qsfp112-400g-dr4'), productId: 'dr4-l0', laneLabels: ['L0', 'L1', 'L2', 'L3'] }),
    );
    expect(labelled.laneLabels).toEqual(['L0', 'L1', 'L2', 'L3']);
    expect(findProduct('qsfp112-400g-dr4').laneLabels).toBeUndefined();
  });
});

describe('with labels, a person reads the spec’s lane names', () => {
  let spec: ProductSpec;
  let stuck: LotData;

  beforeAll(() => {
    spec = findProduct(
      specFile('dr4-labelled.json', { ...shipped('qsfp112-400g-dr4'), productId: 'dr4-labelled', laneLabels: ['L0', 'L1', 'L2', 'L3'] }),
    );
    const [lot] = generateHistory({ product: spec, seed: 'lane-labels', lots: [{ lot: 'LBL1', units: 60 }] }).map(toLotData) as [LotData];
    // A stuck gauge on launch power of lane index 1: every reading the same value (fail-closed.test.ts).
    const p = lot.parameters.indexOf('tx_avg_power');
    const value = Float64Array.from(lot.value);
    const k0 = lot.parameterIndex.findIndex((x, k) => x === p && lot.lane[k] === 1);
    for (let k = 0; k < value.length; k++) if (lot.parameterIndex[k] === p && lot.lane[k] === 1) value[k] = value[k0]!;
    stuck = { ...lot, value };
  });

  it('holds the lot with a reason naming lane L1 (index 1), and the report prints L1 on the reason and the chart page', async () => {
    const policy = findPolicy('default');
    const r = evaluateLot({ lot: stuck, spec, policy, baseline: null, revision: 1 });
    expect(r.proposal.disposition).toBe('HOLD');
    expect(r.product.laneLabels).toEqual(['L0', 'L1', 'L2', 'L3']);
    const reason = r.proposal.reasons.find((x) => x.code === 'statistics-unavailable')!;
    expect(reason).toMatchObject({ severity: 'HOLD', lane: 1, laneName: 'L1' });
    expect(reason.message).toMatch(/^tx_avg_power @ \w+ lane L1: critical parameter cannot be judged/);

    const text = (await pdfPages(await renderEngineeringReport(r, decisionFor(r, 'HOLD', 'B. Quality')))).join('\n');
    // The reason table's location column and the chart panels of the group page.
    expect(text).toMatch(/tx_avg_power\s.*lane L1/);
    expect(text).toContain('Lane L1');
    expect(text).not.toMatch(/Lane 2\b/);
  });

  it('names a failing unit’s lane by its label in the unit CSV', () => {
    // Every unit fails launch power on lane index 3 (a reading far above any limit).
    const p = stuck.parameters.indexOf('tx_avg_power');
    const value = Float64Array.from(stuck.value, (v, k) => (stuck.parameterIndex[k] === p && stuck.lane[k] === 3 ? 9.5 : v));
    const r = evaluateLot({ lot: { ...stuck, value }, spec, policy: findPolicy('default'), baseline: null, revision: 1 });
    const csv = writeUnitResultsCsv(r);
    expect(csv).toMatch(/tx_avg_power@\w+\/L3:above-usl:9\.5/);
    expect(csv).not.toMatch(/\/LL3/);
  });

  it('prints the 2×FR4’s wavelengths on the certificate’s per-lane rows', async () => {
    const doc = shipped('osfp-800g-2xfr4');
    const labels = [...WAVELENGTHS.map((w) => `${w} A`), ...WAVELENGTHS.map((w) => `${w} B`)];
    const fr4 = findProduct(specFile('2xfr4-labelled.json', { ...doc, productId: '2xfr4-labelled', laneLabels: labels }));
    const [lot] = generateHistory({ product: fr4, seed: 'lane-labels-fr4', lots: [{ lot: 'LBL2', units: 40 }] }).map(toLotData) as [
      LotData,
    ];
    const r = evaluateLot({ lot, spec: fr4, policy: findPolicy('default'), baseline: null, revision: 1 });
    const text = (await pdfPages(await renderCertificate(r, decisionFor(r), FIXTURE_CONTEXT, { draft: true }))).join('\n');
    // Wavelength has a window per lane: one row per lane, named by the spec's label.
    expect(text).toContain('1271 nm A');
    expect(text).toContain('1331 nm B');
    // The engineering report's per-lane statistics tables print each label whole: "1271 nm A" and "1271 nm B"
    // must not both become "1271 …" (a narrow Lane column cut them, and two lanes read the same).
    const engineering = (await pdfPages(await renderEngineeringReport(r, decisionFor(r)))).join('\n');
    expect(engineering).not.toMatch(/\b1[23]\d1 …/);
    for (const label of labels) expect(engineering).toMatch(new RegExp(`^\\s*${label}\\s+40\\s`, 'm'));
  });
});
