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
import { createHash } from 'node:crypto';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { CertificateContext } from '../../src/domain/decision.js';
import { generateHistory, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { decideByEngineer, evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { issueReports } from '../../src/pipeline/report-stage.js';
import { verifyCertificate } from '../../src/pipeline/verify-certificate.js';
import { signOffLot } from '../../src/pipeline/sign-off-lot.js';
import { setLotShipment } from '../../src/pipeline/lot-shipment.js';
import { readCertificateEvidence } from '../../src/report/certificate-evidence.js';
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

  it('a re-issue to another customer and PO is the next revision, with who and why audited; the one before is superseded', async () => {
    const env = { LOTQA_SIGNING_P12_PASSWORD: throwawayP12().password };
    const [first] = await store.listCertificates('ISS-1');
    const r = await issueReports(store, 'ISS-1', {
      outDir: out(),
      context: context({ signing: { p12Path }, customer: 'Other Cloud', purchaseOrder: 'PO-77' }),
      env,
      issuedBy: 'R. Issuer',
    });
    expect(r.certificateRecorded).toBe(true);
    expect(r.certificate).toMatchObject({ certificateRevision: 2, documentId: `${first!.documentId}-2` });
    expect(r.certificate!.payload).toMatchObject({
      certificateNumber: first!.payload.certificateNumber,
      issuedBy: 'R. Issuer',
      reason: 're-issued: customer "Acme Cloud" → "Other Cloud"; purchase order "PO-9" → "PO-77"',
      issue: { customer: 'Other Cloud', purchaseOrder: 'PO-77', status: 'signed' },
    });
    // Revision 2 is dated by its own issue (the system clock here), revision 1 by its decision (the test clock).
    const text = spawnSync('pdftotext', ['-layout', '-l', '1', r.coc!, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Revision 2 · Document ID LQ-[0-9A-F]{16}-2/);
    expect(text).toMatch(new RegExp(`Date of issue\\s+${r.certificate!.issuedAt.slice(0, 10)}`));
    expect(r.certificate!.issuedAt).not.toBe(clock.now());
    // The lot folder holds the current revision; revision 1's bytes are kept in superseded/.
    expect(r.superseded.some((p) => p.includes(`${join('superseded', 'coc-ISS-1-r1.')}`))).toBe(true);
    const superseded = r.superseded.find((p) => p.includes('coc-ISS-1-r1.'))!;
    expect(createHash('sha256').update(readFileSync(superseded)).digest('hex')).toBe(first!.pdfSha256);
    const revisions = await store.certificateRevisions(first!.payload.certificateNumber);
    expect(revisions.map((c) => [c.certificateRevision, c.supersededBy])).toEqual([
      [1, 2],
      [2, null],
    ]);
    const events = (await store.auditTrail('ISS-1')).filter((e) => e.kind === 'certificate-issued' || e.kind === 'lot-shipment-set');
    expect(events.slice(-2)).toMatchObject([
      { kind: 'lot-shipment-set', actor: 'R. Issuer', payload: { customer: 'Other Cloud', previous: { customer: 'Acme Cloud' } } },
      {
        kind: 'certificate-issued',
        actor: 'R. Issuer',
        payload: {
          certificateRevision: 2,
          supersedes: first!.documentId,
          reason: expect.stringMatching(/^re-issued: customer/) as unknown,
        },
      },
    ]);
    // Asked again with the same inputs: nothing new.
    const again = await issueReports(store, 'ISS-1', {
      outDir: out(),
      context: context({ signing: { p12Path }, customer: null, purchaseOrder: null }),
      env,
    });
    expect(again).toMatchObject({ certificateRecorded: false, certificate: { certificateRevision: 2 } });

    // Where no signing key is configured, the signed certificate stands as issued; a change is refused.
    const unsignedHere = await issueReports(store, 'ISS-1', { outDir: out(), context: context({ customer: null, purchaseOrder: null }) });
    expect(unsignedHere).toMatchObject({ certificateRecorded: false, cocStatus: 'signed', certificate: { certificateRevision: 2 } });
    await expect(
      issueReports(store, 'ISS-1', { outDir: out(), context: context({ customer: 'Third Cloud', purchaseOrder: null }) }),
    ).rejects.toThrow(/is signed; a re-issue \(customer "Other Cloud" → "Third Cloud"\) without the company's signing certificate/);
    expect(await store.listCertificates('ISS-1')).toHaveLength(2);
    await setLotShipment(store, 'ISS-1', { customer: 'Other Cloud' }, { by: 'test', reason: 'undo' });
  });

  it('verify accepts only the current issued certificate: a flipped byte, a forged keyword-only file and a superseded revision are refused', async () => {
    const [first, current] = await store.listCertificates('ISS-1');
    const issued = readFileSync(current!.path);
    const valid = await verifyCertificate(store, issued);
    expect(valid).toMatchObject({ verdict: 'valid', exitCode: 0, certificateRevision: 2, dataUnchanged: true });

    // One byte flipped in the middle of the document (not in the evidence keyword).
    const flipped = Buffer.from(issued);
    const at = Math.floor(flipped.length / 2);
    flipped[at] = flipped[at]! ^ 0x01;
    const altered = await verifyCertificate(store, flipped);
    expect(altered).toMatchObject({ verdict: 'altered', exitCode: 4, certificateNumber: current!.payload.certificateNumber });
    expect(altered.findings[0]).toMatch(/bytes are not any issued revision/);

    // A two-line text file carrying the copied evidence keyword, and one whose evidence was edited.
    const keyword = /lotqa-evidence-v1:[A-Za-z0-9_-]+/.exec(issued.toString('latin1'))![0];
    const forged = await verifyCertificate(store, Buffer.from(`Lot ISS-1 REJECTED\n${keyword}\n`));
    expect(forged).toMatchObject({ verdict: 'altered', exitCode: 4 });
    const evidence = readCertificateEvidence(issued);
    const edited = { ...evidence, issue: { ...evidence.issue!, customer: 'Somebody Else' } };
    const forgedCustomer = await verifyCertificate(
      store,
      Buffer.from(`%PDF-1.7\nlotqa-evidence-v1:${Buffer.from(JSON.stringify(edited)).toString('base64url')}\n`),
    );
    expect(forgedCustomer.verdict).toBe('altered');
    expect(forgedCustomer.differences).toContainEqual({ field: 'issue.customer', certificate: 'Somebody Else', store: 'Other Cloud' });
    expect(await verifyCertificate(store, Buffer.from('%PDF-1.4 nothing here'))).toMatchObject({ verdict: 'unknown', exitCode: 4 });

    // Revision 1, as issued, after the re-issue: superseded.
    const old = readdirSync(join(out(), 'ISS-1', 'superseded')).find((f) => f.startsWith('coc-ISS-1-r1.'))!;
    const superseded = await verifyCertificate(store, readFileSync(join(out(), 'ISS-1', 'superseded', old)));
    expect(superseded).toMatchObject({ verdict: 'superseded', exitCode: 4, certificateRevision: 1, pdfSha256: first!.pdfSha256 });
    expect(superseded.findings[0]).toMatch(/superseded by revision 2.*R\. Issuer/);
  });

  it('a configured certificate without its password stops with what to set', async () => {
    await expect(
      issueReports(store, 'ISS-1', { outDir: join(dir, 'nopw'), context: context({ signing: { p12Path } }), env: {} }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/no password is given/) as unknown,
      hint: expect.stringMatching(/LOTQA_SIGNING_P12_PASSWORD/) as unknown,
    });
  });
});

describe('customer and purchase order kept with the lot', () => {
  it('survive HOLD → decide → report: the certificate prints what was given at sign-off', async () => {
    const [lot] = generateHistory({ product: spec, seed: 'hold-flow', lots: [{ lot: 'HOLD-1', units: 20 }] });
    writeLotFiles(lot!, findProfile('wide-v2'), join(dir, 'HOLD-1'));
    const profiles = listShippedProfiles().map((e) => e.document);
    await ingestFiles(store, await collectStationFiles([join(dir, 'HOLD-1')]), { product: spec, profiles });
    // A policy that holds every lot for an engineer (first pass must be perfect, nothing rejects).
    const holding = { ...policy, id: 'hold-all', yield: { firstPassYieldMin: 1.01, finalYieldMin: 0 } };
    const outDir = join(dir, 'hold-reports');
    const signed = await signOffLot(store, 'HOLD-1', {
      policy: holding,
      clock,
      shipment: { change: { customer: 'Hold Cloud', purchaseOrder: 'PO-H1', shipTo: 'Dock 4, Reno NV' }, by: 'planner' },
      reports: { outDir, context: context({ customer: null, purchaseOrder: null }) },
    });
    expect(signed.signOff.decision.disposition).toBe('HOLD');
    expect(signed.reports?.coc).toBeNull();
    await decideByEngineer(store, {
      lot: 'HOLD-1',
      disposition: 'ACCEPT',
      reason: 'reviewed',
      by: 'Q. Engineer',
      deviation: 'DEV-9',
      clock,
    });
    // The report command without --customer/--po: what the lot holds is printed.
    const r = await issueReports(store, 'HOLD-1', { outDir, context: context({ customer: null, purchaseOrder: null }) });
    expect(r.cocStatus).toBe('unsigned');
    const evidence = readCertificateEvidence(readFileSync(r.coc!));
    expect(evidence.issue).toMatchObject({
      customer: 'Hold Cloud',
      purchaseOrder: 'PO-H1',
      shipTo: 'Dock 4, Reno NV',
      certificateRevision: 1,
    });
    expect(r.certificate?.payload.issue).toMatchObject({ customer: 'Hold Cloud', purchaseOrder: 'PO-H1' });
    expect(await store.lotShipment('HOLD-1')).toMatchObject({ customer: 'Hold Cloud', updatedBy: 'planner' });
  });
});

describe('verify after the lot changed', () => {
  it('an issued certificate of a lot evaluated again under another policy, or with new files, exits 5', async () => {
    const [, current] = await store.listCertificates('ISS-1');
    const issued = readFileSync(current!.path);
    const strict = { ...policy, id: 'stricter', yield: { firstPassYieldMin: 0.5, finalYieldMin: 0.5 } };
    const again = await evaluateRevision(store, 'ISS-1', { policy: strict, clock });
    expect(again.why).toBe('new-inputs');
    const v = await verifyCertificate(store, issued);
    expect(v).toMatchObject({ verdict: 'lot-changed', exitCode: 5, dataUnchanged: true });
    expect(v.findings.join()).toMatch(new RegExp(`evaluated again as revision ${again.revision}`));

    const [extra] = generateHistory({ product: spec, seed: 'late', lots: [{ lot: 'ISS-1', units: 2, serialPrefix: 'LATE' }] });
    writeLotFiles(extra!, findProfile('wide-v2'), join(dir, 'ISS-1-late'));
    const profiles = listShippedProfiles().map((e) => e.document);
    await ingestFiles(store, await collectStationFiles([join(dir, 'ISS-1-late')]), { product: spec, profiles });
    expect(await verifyCertificate(store, issued)).toMatchObject({ verdict: 'lot-changed', exitCode: 5, dataUnchanged: false });
  });
});
