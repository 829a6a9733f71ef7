/**
 * The CLI's exit-code convention (src/errors/lotqa-error.ts, README "When something fails"), checked on a
 * real process: 0 done and accepted, 1 a rejected file or a usage error, 2 a configuration or service
 * problem, 3 a lot on HOLD or REJECTED. Messages name no internal class, and a command that fails before
 * doing its work leaves nothing on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../src/errors/lotqa-error.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;

function lotqa(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', LOTQA_SQLITE_PATH: '', LOTQA_CONFIG: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No internal class name (LotStageError, StoreConfigError…) and no stack in what a person reads. */
function expectPlainMessage(stderr: string): void {
  expect(stderr).toMatch(/^lotqa: /);
  expect(stderr).not.toMatch(/\b[A-Z][A-Za-z]+Error\b/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-exit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes and messages', () => {
  it('a command that fails before its work creates nothing: no store, no report folder', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = lotqa(empty, ['run', join(dir, 'no-such-folder'), '--product', 'osfp-800g-dr8']);
    expect(run.code).toBe(ExitCode.rejectedOrUsage);
    expect(run.stderr).toMatch(/no-such-folder: no such file or directory/);
    expectPlainMessage(run.stderr);
    const lots = lotqa(empty, ['lots']);
    expect(lots.code).toBe(ExitCode.configOrService);
    expect(lots.stderr).toMatch(/there is no lotqa store at .*lotqa\.sqlite/);
    expectPlainMessage(lots.stderr);
    const report = lotqa(empty, ['report', 'L9999']);
    expect(report.code).toBe(ExitCode.configOrService);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a usage error exits 1; an unreadable config file exits 2', () => {
    const usage = lotqa(dir, ['evaluate']);
    expect(usage.code).toBe(ExitCode.rejectedOrUsage);
    expect(usage.stderr).toMatch(/missing required argument 'lot'/);
    const badConfig = join(dir, 'bad.json');
    rmSync(badConfig, { force: true });
    const config = lotqa(dir, ['--config', badConfig, 'lots']);
    expect(config.code).toBe(ExitCode.configOrService);
    expectPlainMessage(config.stderr);
  });

  it('run and evaluate exit 3 on a REJECTED lot; report names a lot that does not exist', () => {
    const data = join(dir, 'LX-REJ');
    const store = { LOTQA_SQLITE_PATH: join(dir, 'exit.sqlite'), LOTQA_REPORTS_DIR: join(dir, 'reports') };
    const g = lotqa(dir, [
      'generate',
      '--product',
      'osfp-800g-dr8',
      '--profile',
      'long-generic',
      '--units',
      '40',
      '--lot',
      'LX-REJ',
      '--seed',
      '7',
      '--variance',
      'tx_er:3',
      '--out',
      data,
    ]);
    expect(g.code, g.stderr).toBe(0);
    const run = lotqa(dir, ['run', data, '--no-reports'], store);
    expect(run.stdout).toMatch(/REJECT/);
    expect(run.code).toBe(ExitCode.lotNotAccepted);
    const evaluate = lotqa(dir, ['evaluate', 'LX-REJ', '--no-reports'], store);
    expect(evaluate.stdout).toMatch(/REJECT/);
    expect(evaluate.code).toBe(ExitCode.lotNotAccepted);

    const missing = lotqa(dir, ['report', 'L9999'], store);
    expect(missing.code).toBe(ExitCode.rejectedOrUsage);
    expect(missing.stderr).toMatch(/lot 'L9999' does not exist/);
    expect(missing.stderr).toMatch(/hint: list the stored lots with `npx lotqa lots`/);
    expectPlainMessage(missing.stderr);
    expect(existsSync(join(dir, 'reports', 'L9999'))).toBe(false);
  });
});
