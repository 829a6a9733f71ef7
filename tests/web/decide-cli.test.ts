/**
 * `lotqa account add` and `lotqa decide --sign-as` as a person runs them: the password from the
 * environment, a wrong one refused with nothing recorded, the signature printed and stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { buildConsoleFixture } from './support/console-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

function lotqa(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'), DATABASE_URL: '', LOTQA_SIGN_PASSWORD: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-decide-'));
  const store = openStore({ sqlitePath: join(dir, 'cli.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40)).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD' });
  await store.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lotqa decide --sign-as', () => {
  it('adds an approver, refuses a wrong or missing password, and records the signed decision', () => {
    const add = lotqa(['account', 'add', 'jchen', '--full-name', 'J. Chen', '--role', 'approver'], {
      LOTQA_NEW_PASSWORD: 'jchen-password',
    });
    expect(add.stdout).toContain('account jchen (J. Chen) added as approver');
    const args = ['decide', 'SHIFT', '--reject', '--reason', 'lane 3 drift, 8D-118', '--sign-as', 'jchen'];
    const wrong = lotqa(args, { LOTQA_SIGN_PASSWORD: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('signature refused: wrong password for "jchen"');
    const none = lotqa(args);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no password: set LOTQA_SIGN_PASSWORD');
    const ok = lotqa(args, { LOTQA_SIGN_PASSWORD: 'jchen-password' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/lot SHIFT r1: REJECT by jchen at .*\nsigned: J\. Chen \(jchen, approver\) — rejection, 20\d\d-/);
    const audit = lotqa(['audit', 'SHIFT', '--json']);
    const decided = (
      JSON.parse(audit.stdout) as { decisions: { disposition: string; signatures?: { signer: string; method: string }[] }[] }
    ).decisions.at(-1);
    expect(decided?.signatures).toEqual([expect.objectContaining({ signer: 'jchen', method: 'password-cli' })]);
  });
});
