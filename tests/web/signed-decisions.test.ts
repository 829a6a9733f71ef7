/**
 * Accounts and electronic signatures on both stores: argon2id hashes only, the password checked at
 * signing, the approver role required, the signature stored with the decision (append-only), read back
 * typed, and shown in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount, ensureFirstAdmin, issueApiToken, tokenSha256, authenticate } from '../../src/pipeline/accounts.js';
import { decideWithSignature } from '../../src/pipeline/signed-decision.js';
import { SeparationOfDutiesError } from '../../src/pipeline/separation-of-duties.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { lotAuditTrail, searchAudit } from '../../src/queries/index.js';
import type { Store } from '../../src/store/index.js';
import { BACKENDS, type TestBackend } from '../store/support/store-backends.js';
import { buildConsoleFixture } from './support/console-fixture.js';

const clock = { now: () => '2026-07-01T09:30:00.000Z' };

describe.each(BACKENDS.map((make) => ({ make, name: make.name.replace('Backend', '') })))('signed decisions on $name', ({ make }) => {
  let backend: TestBackend;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    dir = mkdtempSync(join(tmpdir(), 'lotqa-sign-'));
    const outcome = await buildConsoleFixture(store, dir, 40, [{ lot: 'HELD2', units: 40, shift: 3 }]);
    expect(outcome).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD', HELD2: 'HOLD' });
    await createAccount(store, { username: 'rita', fullName: 'Rita Approver', role: 'approver', password: 'rita-password', by: 'test' });
    await createAccount(store, { username: 'ed', fullName: 'Ed Engineer', role: 'engineer', password: 'ed-password-1', by: 'test' });
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an argon2id hash, never the password, and authenticates by it', async () => {
    const rita = await store.accounts.getAccount('rita');
    expect(rita?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(rita?.passwordHash).not.toContain('rita-password');
    expect((await authenticate(store, 'rita', 'rita-password'))?.username).toBe('rita');
    expect(await authenticate(store, 'rita', 'wrong')).toBeNull();
    expect(await authenticate(store, 'nobody', 'rita-password')).toBeNull();
  });

  it('creates the first admin only once, and refuses a taken name or a short password', async () => {
    // Accounts exist already: nothing is created.
    expect(await ensureFirstAdmin(store, { LOTQA_ADMIN_PASSWORD: 'x' })).toBeNull();
    await expect(
      createAccount(store, { username: 'rita', fullName: 'R', role: 'viewer', password: 'long-enough', by: 't' }),
    ).rejects.toThrow(/exists already/);
    await expect(createAccount(store, { username: 'sam', fullName: 'S', role: 'viewer', password: 'short', by: 't' })).rejects.toThrow(
      /too short/,
    );
    await expect(
      createAccount(store, { username: 'Bad Name', fullName: 'S', role: 'viewer', password: 'long-enough', by: 't' }),
    ).rejects.toThrow(/not allowed/);
  });

  it('finds the account of an API token by its SHA-256 only', async () => {
    const token = await issueApiToken(store, 'ed', 'line 7 MES');
    expect((await store.accounts.accountOfToken(tokenSha256(token)))?.username).toBe('ed');
    expect(await store.accounts.accountOfToken(tokenSha256(`${token}x`))).toBeNull();
  });

  it('refuses a wrong password and a role below approver, and records nothing', async () => {
    const base = {
      lot: 'SHIFT',
      disposition: 'ACCEPT' as const,
      reason: 'lane 3 shift is in spec',
      deviation: 'DEV-7',
      method: 'password-cli' as const,
      clock,
    };
    await expect(decideWithSignature(store, { ...base, signer: 'rita', password: 'nope' })).rejects.toThrow(/wrong password/);
    await expect(decideWithSignature(store, { ...base, signer: 'ed', password: 'ed-password-1' })).rejects.toThrow(
      /needs the approver or admin role/,
    );
    expect((await store.listDecisions('SHIFT')).map((d) => d.disposition)).toEqual(['HOLD']);
  });

  it('stores the signature with the decision and shows it in the audit trail', async () => {
    const outcome = await decideWithSignature(store, {
      lot: 'SHIFT',
      disposition: 'ACCEPT',
      reason: 'lane 3 shift is in spec; customer informed',
      deviation: 'DEV-7 accepted by customer',
      signer: 'rita',
      password: 'rita-password',
      method: 'password-cli',
      clock,
    });
    if (outcome.status !== 'decided') throw new Error('one signature decides without the two-person rule');
    const d = outcome.decision;
    const expected = {
      signer: 'rita',
      fullName: 'Rita Approver',
      role: 'approver',
      meaning: 'acceptance-with-deviation',
      signedAt: '2026-07-01T09:30:00.000Z',
      method: 'password-cli',
    };
    expect(d.signatures).toEqual([expected]);
    expect(d.decidedBy).toBe('rita');
    const stored = await store.listDecisions('SHIFT');
    expect(stored.at(-1)?.signatures).toEqual([expected]);
    expect(stored[0]?.signatures).toBeUndefined(); // the policy's HOLD is not signed
    const trail = await lotAuditTrail(store, 'SHIFT');
    const decided = trail!.events.filter((e) => e.kind === 'decided').at(-1);
    expect(decided?.kind === 'decided' && decided.payload.signatures).toEqual([expected]);
    // Append-only: the signed decision cannot be changed.
    await expect(backend.rawExecute(`update decisions set signatures = null where lot = 'SHIFT'`)).rejects.toThrow();
  });

  it("under the policy's two-person rule, the first signature proposes and a second approver's decides", async () => {
    await createAccount(store, { username: 'paul', fullName: 'Paul Second', role: 'approver', password: 'paul-password', by: 'test' });
    const policy = findPolicy('default');
    const twoPerson = { ...policy, signOff: { ...policy.signOff, twoPersonRule: true } };
    const at = (s: string) => ({ now: () => s });
    const base = {
      lot: 'HELD2',
      disposition: 'REJECT' as const,
      reason: 'lane 3 drift, 8D-118',
      method: 'password-cli' as const,
      policyFor: () => twoPerson,
    };
    const first = await decideWithSignature(store, {
      ...base,
      signer: 'rita',
      password: 'rita-password',
      clock: at('2026-07-02T08:00:00.000Z'),
    });
    expect(first.status).toBe('awaiting-second-signature');
    expect((await store.listDecisions('HELD2')).map((d) => d.disposition)).toEqual(['HOLD']);
    // The same approver cannot be the second person.
    const again = decideWithSignature(store, { ...base, signer: 'rita', password: 'rita-password' });
    await expect(again).rejects.toBeInstanceOf(SeparationOfDutiesError);
    await expect(again).rejects.toThrow(
      /^the two-person rule needs a second approver: rita already signed this REJECT proposal at 2026-07-02T08:00/,
    );
    const second = await decideWithSignature(store, {
      ...base,
      reason: 'agreed',
      signer: 'paul',
      password: 'paul-password',
      clock: at('2026-07-02T09:00:00.000Z'),
    });
    if (second.status !== 'decided') throw new Error('the second approver decides');
    expect(second.decision.disposition).toBe('REJECT');
    expect(second.decision.reason).toBe('lane 3 drift, 8D-118'); // what the first approver proposed and the second confirmed
    expect(second.decision.signatures?.map((s) => [s.signer, s.meaning, s.signedAt])).toEqual([
      ['rita', 'rejection', '2026-07-02T08:00:00.000Z'],
      ['paul', 'second-approval', '2026-07-02T09:00:00.000Z'],
    ]);
    const kinds = (await lotAuditTrail(store, 'HELD2'))!.events.map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['decision-proposed', 'decided']);
  });

  it("keeps a held lot's review notes in order, append-only", async () => {
    await store.proposals.addReviewNote({ lot: 'SHIFT', kind: 'owner', text: 'rita', author: 'ed' });
    await store.proposals.addReviewNote({ lot: 'SHIFT', kind: 'reference', text: 'NCR-55', author: 'ed' });
    expect((await store.proposals.reviewNotes('SHIFT')).map((n) => [n.kind, n.text, n.author])).toEqual([
      ['owner', 'rita', 'ed'],
      ['reference', 'NCR-55', 'ed'],
    ]);
    await expect(backend.rawExecute(`delete from review_notes`)).rejects.toThrow();
  });

  it('searches the audit trail of every lot: all words, any case, newest first, wildcards literal', async () => {
    const hits = await searchAudit(store, { q: 'HELD2 second-approval' });
    expect(hits.map((e) => [e.lot, e.kind])).toEqual([['HELD2', 'decided']]);
    const paul = await searchAudit(store, { q: 'PAUL' });
    expect(paul.map((e) => e.kind)).toEqual(['decided', 'account-changed']);
    expect(await searchAudit(store, { q: '%' })).toEqual([]);
    const latest = await searchAudit(store, { limit: 3 });
    expect(latest.map((e) => e.id)).toEqual([...latest.map((e) => e.id)].sort((a, b) => b - a));
    expect(latest).toHaveLength(3);
  });
});
