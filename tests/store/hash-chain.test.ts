/**
 * The hash chain over the store's permanent records, on SQLite and PostgreSQL: intact after ordinary
 * writes and after writers racing on two connections (no fork), and broken — found and named — after a
 * direct SQL edit by someone who dropped the append-only triggers first (the attack the triggers alone
 * cannot see: a forged signer in a decision, a removed audit event, a certificate record re-pointed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/domain/decision.js';
import type { Store } from '../../src/store/index.js';
import { postgresBackend, sqliteBackend, type TestBackend } from './support/store-backends.js';

const decision = (lot: string, revision: number): DecisionRecord => ({
  lot,
  revision,
  disposition: 'ACCEPT',
  decidedBy: 'policy:default',
  decidedKind: 'policy',
  decidedAt: '2026-05-02T06:00:00Z',
  reason: 'every policy check passed',
  resultSha256: 'a'.repeat(64),
  specVersion: '1.0.0',
  policyVersion: '1',
  baselineVersion: null,
});

const problemsOf = async (store: Store) => (await store.verifyHashChains()).flatMap((c) => c.problems);

describe.each([
  ['sqlite', sqliteBackend, ['decisions_no_update', 'decisions_no_delete', 'audit_events_no_delete', 'certificates_no_update']],
  ['postgres', postgresBackend, ['decisions_no_update_delete', 'audit_events_no_update_delete', 'certificates_no_update_delete']],
] as const)('hash chain on %s', (name, make, triggers) => {
  let backend: TestBackend;
  let store: Store;
  let second: Store;
  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    second = backend.open();
  });
  afterAll(async () => {
    await second.close();
    await store.close();
    await backend.cleanup();
  });

  const dropTrigger = (trigger: string) => {
    const table = trigger.replace(/_no_.*$/, '');
    return backend.rawExecute(name === 'sqlite' ? `drop trigger ${trigger}` : `drop trigger ${trigger} on ${table}`);
  };

  it('links every new row to the one before, also with writers racing on two connections', async () => {
    for (let r = 1; r <= 3; r++) await store.insertDecision(decision('CH-1', r));
    await store.recordCertificate({
      lot: 'CH-1',
      revision: 1,
      documentId: 'LQ-CHAIN-1',
      pdfSha256: 'b'.repeat(64),
      path: '/reports/CH-1/coc-CH-1-r1.pdf',
      issuedAt: '2026-05-02T07:00:00Z',
      payload: { certificateNumber: 'CoC-CH-1-r1-aaaaaaaa', resultSha256: 'a'.repeat(64), signer: 'policy:default' },
    });
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 === 0 ? store : second).appendAudit({
          lot: 'CH-1',
          kind: 'lot-closed',
          actor: `writer-${i % 2}`,
          payload: { expectedUnits: i + 1 },
        }),
      ),
    );
    const reports = await store.verifyHashChains();
    expect(reports.flatMap((c) => c.problems)).toEqual([]);
    expect(Object.fromEntries(reports.map((c) => [c.chain, c.linked]))).toEqual({
      lot_evaluations: 0,
      decisions: 3,
      certificates: 1,
      audit_events: 24,
    });
  });

  it('finds a forged signer written by direct SQL after the triggers were dropped', async () => {
    const [target] = (await store.listDecisions('CH-1')).filter((d) => d.revision === 2);
    for (const t of triggers) await dropTrigger(t);
    await backend.rawExecute(`update decisions set decided_by = 'Forged Signer' where id = ${target!.id}`);
    const problems = await problemsOf(store);
    expect(problems).toEqual([{ chain: 'decisions', id: target!.id, problem: expect.stringMatching(/^content changed/) as unknown }]);
  });

  it('finds a removed audit event and a re-pointed certificate record', async () => {
    const trail = await store.auditTrail('CH-1');
    const removed = trail[5]!;
    await backend.rawExecute(`delete from audit_events where id = ${removed.id}`);
    const [cert] = await store.listCertificates('CH-1');
    await backend.rawExecute(`update certificates set pdf_sha256 = '${'c'.repeat(64)}' where id = ${cert!.id}`);
    const problems = await problemsOf(store);
    expect(problems).toContainEqual({ chain: 'audit_events', id: trail[6]!.id, problem: expect.stringMatching(/^broken link/) as unknown });
    expect(problems).toContainEqual({ chain: 'certificates', id: cert!.id, problem: expect.stringMatching(/^content changed/) as unknown });
    expect(problems).toContainEqual({
      chain: 'audit_events',
      id: null,
      problem: expect.stringMatching(/head counts 24 linked rows, the table has 23/) as unknown,
    });
  });
});
