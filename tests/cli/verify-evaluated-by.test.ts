/**
 * `lotqa verify` names the lotqa that evaluated the certified revision — version, and build time when it
 * ran from a build — as recorded in that revision's `evaluated` audit event (lotqa-build.ts), beside the
 * verdict; it is part of no hash and changes no verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lotqaInProcess } from '../support/lotqa-in-process.js';
import { LOTQA_VERSION } from '../../src/version.js';
import { openStore } from '../../src/store/index.js';
import { evaluatingLotqa, verifyCertificate, type VerifyOutcome } from '../../src/pipeline/verify-certificate.js';
import { verifyOutcomeLines } from '../../src/cli/commands/verify-output.js';

let dir: string;
const env = (): Record<string, string> => ({
  LOTQA_SQLITE_PATH: join(dir, 'verify.sqlite'),
  LOTQA_REPORTS_DIR: join(dir, 'reports'),
  DATABASE_URL: '',
});
const lotqa = (args: string[]) => lotqaInProcess(args, { cwd: dir, env: env() });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-verify-by-'));
  writeFileSync(
    join(dir, 'lotqa.config.json'),
    JSON.stringify({ company: { name: 'Verify Test Photonics Ltd.', address: ['1 Test Road'] } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lotqa verify names the lotqa that evaluated the certified revision', () => {
  it('prints and returns the version from the evaluated audit event (from source: no build time), verdict unchanged', async () => {
    const gen = ['generate', '--product', 'qsfp112-400g-dr4', '--profile', 'wide-v2', '--units', '60', '--lot', 'VB1', '--seed', '11'];
    await lotqa([...gen, '--out', 'data/VB1']);
    const run = await lotqa(['run', 'data/VB1', '--customer', 'Acme Cloud', '--po', 'PO-1']);
    expect(run.stdout, run.stderr).toMatch(/VB1 r1 .*ACCEPT/);
    const coc = join(
      dir,
      'reports',
      'VB1',
      readdirSync(join(dir, 'reports', 'VB1')).find((f) => f.startsWith('coc-'))!,
    );

    const v = await lotqa(['verify', coc]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const lines = v.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/VALID: issued, unaltered, current \(lot VB1 r1/);
    expect(lines[2]).toBe(`  evaluated by lotqa ${LOTQA_VERSION} (from source)`);

    const json = await lotqa(['verify', coc, '--json']);
    const outcome = JSON.parse(json.stdout) as VerifyOutcome;
    expect(outcome).toMatchObject({ verdict: 'valid', lot: 'VB1', revision: 1, evaluatedBy: { version: LOTQA_VERSION } });
    expect(outcome.evaluatedBy).not.toHaveProperty('builtAt');
  });

  it('reads the build time when the event records one, and says "not recorded" for an event without lotqa', async () => {
    const store = openStore({ sqlitePath: join(dir, 'verify.sqlite') });
    try {
      // Events as a compiled build and as a lotqa from before the build was recorded would write them.
      await store.appendAudit({
        lot: 'VB-BUILT',
        kind: 'evaluated',
        actor: 'lotqa',
        payload: {
          revision: 2,
          resultSha256: 'b'.repeat(64),
          proposal: 'HOLD',
          lotqa: { version: '9.8.7', builtAt: '2026-12-04T16:44:52.490Z' },
        },
      });
      await store.appendAudit({
        lot: 'VB-OLD',
        kind: 'evaluated',
        actor: 'lotqa',
        payload: { revision: 1, resultSha256: 'a'.repeat(64), proposal: 'HOLD' },
      });
      expect(await evaluatingLotqa(store, 'VB-BUILT', 2)).toEqual({ version: '9.8.7', builtAt: '2026-12-04T16:44:52.490Z' });
      expect(await evaluatingLotqa(store, 'VB-BUILT', 1)).toBeNull();
      expect(await evaluatingLotqa(store, 'VB-OLD', 1)).toBeNull();
      // The certificate of VB1 through the store directly: the same answer as the CLI's JSON.
      const coc = join(
        dir,
        'reports',
        'VB1',
        readdirSync(join(dir, 'reports', 'VB1')).find((f) => f.startsWith('coc-'))!,
      );
      const direct = await verifyCertificate(store, readFileSync(coc));
      expect(direct.evaluatedBy).toEqual({ version: LOTQA_VERSION });

      const built = verifyOutcomeLines('x.pdf', { ...direct, evaluatedBy: { version: '9.8.7', builtAt: '2026-12-04T16:44:52.490Z' } });
      expect(built[2]).toBe('  evaluated by lotqa 9.8.7 (built 2026-12-04T16:44:52.490Z)');
      const old = verifyOutcomeLines('x.pdf', { ...direct, evaluatedBy: null });
      expect(old[2]).toBe('  evaluated by: not recorded (no evaluated event of lot VB1 r1 names its lotqa)');
      // A file about no known lot says nothing about an evaluation.
      const unknown = verifyOutcomeLines('x.pdf', { ...direct, verdict: 'unknown', lot: null, revision: null, evaluatedBy: null });
      expect(unknown.some((l) => l.includes('evaluated by'))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
