/**
 * Migration 0008 on both backends: attachments kept once per SHA-256 and listed per lot (append-only),
 * and proposed baselines settled by an approver's signature (approved → the only active one; rejected
 * → never active; a baseline is settled once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ESignature } from '../../src/domain/e-signature.js';
import { RecordConflictError, StoreInputError, type Store } from '../../src/store/index.js';
import { baselineFixture } from './support/stored-document-fixtures.js';
import { BACKENDS, type TestBackend } from './support/store-backends.js';

const sign = (signer: string, meaning: ESignature['meaning']): ESignature => ({
  signer,
  fullName: `${signer} Example`,
  role: 'approver',
  meaning,
  signedAt: '2026-12-03T08:00:00.000Z',
  method: 'password-cli',
});

describe.each(BACKENDS)('review attachments and baseline approval (%o)', (make) => {
  let backend: TestBackend;
  let store: Store;

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('keeps an attachment by its SHA-256, once, and lists every attachment of the lot', async () => {
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x10]);
    const sha = createHash('sha256').update(content).digest('hex');
    const a = await store.attachments.addAttachment({
      lot: 'L1',
      name: '8D.pdf',
      mediaType: 'application/pdf',
      content,
      uploadedBy: 'eve',
    });
    const b = await store.attachments.addAttachment({
      lot: 'L1',
      name: '8D-copy.pdf',
      mediaType: 'application/pdf',
      content,
      uploadedBy: 'rita',
    });
    await store.attachments.addAttachment({ lot: 'L2', name: 'x.bin', mediaType: 'application/octet-stream', content, uploadedBy: 'eve' });
    expect([a.sha256, b.sha256]).toEqual([sha, sha]);
    const list = await store.attachments.listAttachments('L1');
    expect(list.map((x) => [x.name, x.uploadedBy, x.bytes, x.sha256])).toEqual([
      ['8D.pdf', 'eve', 8, sha],
      ['8D-copy.pdf', 'rita', 8, sha],
    ]);
    const got = await store.attachments.attachmentContent('L1', sha.toUpperCase());
    expect(got?.record.name).toBe('8D-copy.pdf');
    expect(got?.content.equals(content)).toBe(true);
    expect(await store.attachments.attachmentContent('L3', sha)).toBeNull();
    await expect(store.attachments.attachmentContent('L1', 'nothex')).rejects.toThrow(StoreInputError);
    await expect(
      store.attachments.addAttachment({ lot: 'L1', name: 'e', mediaType: 'text/plain', content: Buffer.alloc(0), uploadedBy: 'eve' }),
    ).rejects.toThrow(/empty/);
    // One copy of the bytes, and neither table can be changed afterwards.
    await expect(backend.rawExecute(`update lot_attachments set name = 'other.pdf' where id = ${a.id}`)).rejects.toThrow(/immutable/);
    await expect(backend.rawExecute(`delete from attachment_blobs where sha256 = '${sha}'`)).rejects.toThrow(/immutable/);
  });

  it('keeps a proposed baseline inactive until approved, then makes it the only active one', async () => {
    const v1 = await store.saveBaseline({ productId: 'P', createdBy: 't', payload: baselineFixture('P'), activate: true });
    expect([v1.state, v1.approval]).toEqual(['active', null]);
    const v2 = await store.saveBaseline({ productId: 'P', createdBy: 't', payload: baselineFixture('P'), propose: true });
    expect([v2.state, v2.active, v2.approval]).toEqual(['proposed', false, 'pending']);
    expect((await store.activeBaseline('P'))?.version).toBe(1);
    await expect(
      store.saveBaseline({ productId: 'P', createdBy: 't', payload: baselineFixture('P'), propose: true, activate: true }),
    ).rejects.toThrow(StoreInputError);

    const first = await store.baselineApprovals.addSignature({
      productId: 'P',
      version: 2,
      verdict: 'approve',
      reason: 'phase I reviewed',
      signature: sign('rita', 'baseline-approval'),
    });
    expect((await store.getBaseline('P', 2))?.state).toBe('proposed');
    await store.baselineApprovals.approve({
      productId: 'P',
      version: 2,
      verdict: 'approve',
      reason: 'phase I reviewed',
      signature: sign('sam', 'second-approval'),
    });
    expect((await store.activeBaseline('P'))?.version).toBe(2);
    await store.saveBaseline({ productId: 'P', createdBy: 't', payload: baselineFixture('P'), propose: true });
    expect((await store.listBaselines('P')).map((b) => [b.version, b.state])).toEqual([
      [1, 'superseded'],
      [2, 'active'],
      [3, 'proposed'],
    ]);
    expect((await store.baselineApprovals.signatures('P', 2)).map((s) => [s.id === first.id, s.signature.signer, s.verdict])).toEqual([
      [true, 'rita', 'approve'],
      [false, 'sam', 'approve'],
    ]);
    // Settled once: approving again, or approving a version that was never proposed, is refused.
    const again = { productId: 'P', version: 2, verdict: 'approve' as const, reason: 'x', signature: sign('x', 'baseline-approval') };
    await expect(store.baselineApprovals.approve(again)).rejects.toThrow(RecordConflictError);
    await expect(store.baselineApprovals.approve({ ...again, version: 1 })).rejects.toThrow(/is not awaiting approval: it is superseded/);
    await expect(store.baselineApprovals.approve({ ...again, version: 9 })).rejects.toThrow(/does not exist/);

    await store.baselineApprovals.reject({ ...again, version: 3, verdict: 'reject', signature: sign('rita', 'baseline-rejection') });
    expect((await store.getBaseline('P', 3))?.state).toBe('rejected');
    expect((await store.activeBaseline('P'))?.version).toBe(2);
    await expect(backend.rawExecute(`delete from baseline_signatures where id = ${first.id}`)).rejects.toThrow(/immutable/);
  });
});
