/**
 * The README's held-lot flow as a user runs it, each command in-process (tests/support/lotqa-in-process.ts):
 * `run --customer --po --ship-to` puts the lot on HOLD; `decide --accept` issues the certificate itself,
 * with the customer and PO given at `run`; `lot set` re-issues it as revision 2; `verify` accepts the
 * current revision (exit 0), refuses the superseded one (exit 4), and says the lot changed since once it
 * is evaluated under another policy (exit 5); `audit --verify` finds the store intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCertificateEvidence } from '../../src/report/certificate-evidence.js';
import { lotqaInProcess } from '../support/lotqa-in-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;

async function lotqa(args: string[], env: Record<string, string> = {}) {
  const r = await lotqaInProcess(args, {
    cwd: dir,
    env: {
      LOTQA_SQLITE_PATH: join(dir, 'flow.sqlite'),
      LOTQA_REPORTS_DIR: join(dir, 'reports'),
      LOTQA_USER: 'cli-test',
      DATABASE_URL: '',
      ...env,
    },
  });
  return { ...r, all: `${r.stdout}\n${r.stderr}` };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-held-'));
  writeFileSync(
    join(dir, 'lotqa.config.json'),
    JSON.stringify({ company: { name: 'Flow Test Photonics Ltd.', address: ['3 Test Road'] } }),
  );
  const policy = JSON.parse(readFileSync(join(ROOT, 'schemas/policies/default.json'), 'utf8')) as Record<string, unknown>;
  // Every unit passes in the end, but first pass must be perfect: the lot waits for an engineer.
  writeFileSync(
    join(dir, 'hold-policy.json'),
    JSON.stringify({ ...policy, id: 'hold-on-retests', yield: { firstPassYieldMin: 0.999, finalYieldMin: 0.5 } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a held lot through decide, re-issue and verify', () => {
  it('keeps the customer and PO given at run through HOLD → decide, re-issues as a revision, and verifies only the current one', async () => {
    const gen = await lotqa([
      'generate',
      '--product',
      'qsfp112-400g-dr4',
      '--profile',
      'wide-v2',
      '--units',
      '40',
      '--lot',
      'HF1',
      '--seed',
      '7',
      '--retest-rate',
      '0.2',
      '--retest-pass',
      '1',
      '--out',
      'data/HF1',
    ]);
    expect(gen.code, gen.all).toBe(0);
    const run = await lotqa([
      'run',
      'data/HF1',
      '--policy',
      'hold-policy.json',
      '--customer',
      'Held Cloud',
      '--po',
      'PO-HELD-1',
      '--ship-to',
      'Dock 9',
    ]);
    expect(run.code, run.all).toBe(3);
    expect(run.stdout).toMatch(/HF1 r1 .*HOLD/);
    expect(run.stdout).toMatch(/evaluation: new revision r1 \(first evaluation/);

    const add = await lotqa(['account', 'add', 'qeng', '--full-name', 'Q. Engineer', '--role', 'approver'], {
      LOTQA_NEW_PASSWORD: 'held-flow-pass-1',
    });
    expect(add.code, add.all).toBe(0);
    const decide = await lotqa(
      ['decide', 'HF1', '--accept', '--reason', 'retests explained', '--sign-as', 'qeng', '--deviation', 'DEV-7'],
      {
        LOTQA_SIGN_PASSWORD: 'held-flow-pass-1',
      },
    );
    expect(decide.code, decide.all).toBe(0);
    expect(decide.stdout).toMatch(/certificate: .*coc-HF1-r1\.pdf \(unsigned, CoC-HF1-r1-[0-9a-f]{8} revision 1\)/);
    const coc = join(dir, 'reports', 'HF1', 'coc-HF1-r1.pdf');
    expect(readCertificateEvidence(readFileSync(coc)).issue).toMatchObject({
      customer: 'Held Cloud',
      purchaseOrder: 'PO-HELD-1',
      shipTo: 'Dock 9',
    });
    copyFileSync(coc, join(dir, 'first-issue.pdf'));
    expect((await lotqa(['verify', 'first-issue.pdf'])).code).toBe(0);

    const set = await lotqa(['lot', 'set', 'HF1', '--po', 'PO-HELD-2', '--reason', 'new purchase order']);
    expect(set.code, set.all).toBe(0);
    expect(set.stdout).toMatch(/re-issued as revision 2/);
    const old = await lotqa(['verify', 'first-issue.pdf']);
    expect(old.code).toBe(4);
    expect(old.stdout).toMatch(/SUPERSEDED.*\n(?:.*\n)*.*superseded by revision 2, issued .* by cli-test \(new purchase order\)/);
    expect(old.stdout).toMatch(/\n {2}evaluated by lotqa \d+\.\d+\.\d+ \((?:built .*|from source)\)\n/);
    const current = await lotqa(['verify', coc]);
    expect(current.code, current.all).toBe(0);
    expect(readCertificateEvidence(readFileSync(coc)).issue).toMatchObject({
      customer: 'Held Cloud',
      purchaseOrder: 'PO-HELD-2',
      certificateRevision: 2,
    });

    const audit = await lotqa(['audit', 'HF1']);
    expect(audit.stdout).toMatch(/lot-shipment-set\s+cli-test/);
    expect(audit.stdout).toMatch(/rev\. 2 .* cli-test .* new purchase order/);
    const intact = await lotqa(['audit', '--verify']);
    expect(intact.code, intact.all).toBe(0);
    expect(intact.stdout).toMatch(/the store is intact/);

    // Evaluated again under another policy: a new revision, and the certificate is about the old one.
    const again = await lotqa(['evaluate', 'HF1', '--no-reports']);
    expect(again.stdout).toMatch(/evaluation: new revision r2 \(policy [0-9a-f]{12}… → [0-9a-f]{12}…/);
    const changed = await lotqa(['verify', coc]);
    expect(changed.code).toBe(5);
    expect(changed.stdout).toMatch(/LOT CHANGED SINCE/);
  });
});
