/**
 * Issuing a lot's certificate through the report stage, on a real SQLite store fed by real station
 * files: the placeholder company is refused, a draft is written but never recorded as issued, a signed
 * certificate is recorded once and verifies against the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { CertificateContext } from '../../src/domain/decision.js';
import { generateHistory, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { decideByEngineer, evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { issueReports, verifyCertificate } from '../../src/pipeline/report-stage.js';
import { openStore, type Store } from '../../src/store/index.js';
import { throwawayP12 } from './support/throwaway-p12.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
let dir: string;
let store: Store;
let p12Path: string;

const company = { name: 'Issue Test Photonics Ltd.', address: ['2 Test Road'] };
const context = (over: Partial<CertificateContext> = {}): CertificateContext => ({
  company,
  customer: 'Acme Cloud',
  purchaseOrder: 'PO-9',
  showStations: false,
  ...over,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-issue-'));
  const [lot] = generateHistory({ product: spec, seed: 'issue', lots: [{ lot: 'ISS-1', units: 30 }] });
  writeLotFiles(lot!, findProfile('wide-v2'), join(dir, 'ISS-1'));
  store = openStore({ sqlitePath: join(dir, 'issue.sqlite') });
  await store.migrate();
  const profiles = listShippedProfiles().map((e) => e.document);
  await ingestFiles(store, await collectStationFiles([join(dir, 'ISS-1')]), { product: spec, profiles });
  const evaluated = await evaluateRevision(store, 'ISS-1', { policy, clock });
  const outcome = await signOffByPolicy(store, evaluated, { policy, clock });
  if (outcome.decision.disposition !== 'ACCEPT')
    await decideByEngineer(store, {
      lot: 'ISS-1',
      disposition: 'ACCEPT',
      reason: 'test acceptance',
      by: 'T. Tester',
      deviation: 'DEV-1 test',
      clock,
    });
  const key = throwawayP12();
  p12Path = join(dir, 'company.p12');
  writeFileSync(p12Path, key.p12);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('issuing a certificate', () => {
  const out = () => join(dir, 'reports');

  it('refuses the placeholder company and records nothing', async () => {
    const r = await issueReports(store, 'ISS-1', {
      outDir: out(),
      context: context({ company: { name: 'Example Photonics Ltd.', address: [] } }),
    });
    expect(r.coc).toBeNull();
    expect(r.cocSkipped).toMatch(/placeholder/);
    expect(await store.listCertificates('ISS-1')).toEqual([]);
  });

  it('writes a draft on request, watermarked, and never records it as issued', async () => {
    const r = await issueReports(store, 'ISS-1', {
      outDir: out(),
      context: context({ company: { name: 'Example Photonics Ltd.', address: [] } }),
      draft: true,
    });
    expect(r.cocStatus).toBe('draft');
    expect(r.coc).toMatch(/-DRAFT\.pdf$/);
    expect(r.certificateRecorded).toBe(false);
    expect(await store.listCertificates('ISS-1')).toEqual([]);
  });

  it('signs with the configured certificate, records it once, supersedes the draft, and verifies', async () => {
    const env = { LOTQA_SIGNING_P12_PASSWORD: throwawayP12().password };
    const r = await issueReports(store, 'ISS-1', { outDir: out(), context: context({ signing: { p12Path } }), env });
    expect(r.cocStatus).toBe('signed');
    expect(r.certificateRecorded).toBe(true);
    expect(readdirSync(r.dir).some((f) => f.endsWith('-DRAFT.pdf'))).toBe(false);
    expect(readdirSync(join(r.dir, 'superseded')).some((f) => f.includes('-DRAFT.'))).toBe(true);
    expect(spawnSync('pdfsig', [r.coc!], { encoding: 'utf8' }).stdout).toContain('Signature is Valid');
    const again = await issueReports(store, 'ISS-1', { outDir: out(), context: context({ signing: { p12Path } }), env });
    expect(again.certificateRecorded).toBe(false);
    expect(again.superseded).toEqual([]); // byte-identical re-issue: nothing replaced
    expect(await store.listCertificates('ISS-1')).toHaveLength(1);
    const v = await verifyCertificate(store, readFileSync(r.coc!));
    expect(v.matches).toBe(true);
    expect(v.dataUnchanged).toBe(true);
  });

  it('a configured certificate without its password stops with what to set', async () => {
    await expect(
      issueReports(store, 'ISS-1', { outDir: join(dir, 'nopw'), context: context({ signing: { p12Path } }), env: {} }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/no password is given/),
      hint: expect.stringMatching(/LOTQA_SIGNING_P12_PASSWORD/),
    });
  });
});
