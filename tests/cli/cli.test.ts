/**
 * The `lotqa` command line as a user runs it: real files, a SQLite store in a temp folder. The commands
 * run in-process (tests/support/lotqa-in-process.ts: the binary's entry with argv, working folder,
 * environment, output and exit code); the top-level help of the build and the closed pipe run the real
 * binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { lotqaInProcess } from '../support/lotqa-in-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;

const storeEnv = (): Record<string, string> => ({
  LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'),
  LOTQA_REPORTS_DIR: join(dir, 'reports'),
  DATABASE_URL: '',
});

/** `lotqa args…` in this process. */
const lotqa = (args: string[], env: Record<string, string> = {}) => lotqaInProcess(args, { cwd: dir, env: { ...storeEnv(), ...env } });

/** `lotqa args…` as a real process: the binary (bin/lotqa.mjs running the compiled build). */
function spawnLotqa(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, ...storeEnv() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-cli-'));
  // Certificates are issued in a company's name, never lotqa's placeholder.
  writeFileSync(join(dir, 'lotqa.config.json'), JSON.stringify({ company: { name: 'CLI Test Photonics Ltd.', address: ['1 Test Road'] } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lotqa command line', () => {
  it('every command answers --help', async () => {
    // In-process: the same command tree the binary builds, without a process per command.
    for (const cmd of [
      'demo',
      'run',
      'generate',
      'ingest',
      'baseline',
      'evaluate',
      'decide',
      'audit',
      'export',
      'report',
      'verify',
      'lots',
      'quarantine',
    ]) {
      let text = '';
      const program = await buildProgram();
      program.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
      for (const c of program.commands) c.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) }).exitOverride();
      expect(() => program.parse(['node', 'lotqa', cmd, '--help'])).toThrow(/help/i);
      expect(text, cmd).toMatch(new RegExp(`Usage: lotqa ${cmd}`));
    }
    expect(spawnLotqa(['--help']).stdout).toMatch(/Usage: lotqa/);
  });

  it('generates a lot, runs it end to end and prints the decision; --json gives the LotResult', async () => {
    const g = await lotqa([
      'generate',
      '--product',
      'qsfp112-400g-dr4',
      '--profile',
      'long-generic',
      '--units',
      '40',
      '--lot',
      'CLI1',
      '--seed',
      '3',
      '--out',
      'data/CLI1',
    ]);
    expect(g.code, g.stderr).toBe(0);
    const r = await lotqa(['run', 'data/CLI1', '--json', '--no-reports']);
    expect([0, 3]).toContain(r.code);
    const result = JSON.parse(r.stdout) as unknown;
    expect(result).toMatchObject({ kind: 'lotqa/lot-result', lot: 'CLI1', revision: 1, quantity: { units: 40 } });
    const lots = JSON.parse((await lotqa(['lots', '--json'])).stdout) as unknown[];
    expect(lots[0]).toMatchObject({ lot: 'CLI1', units: 40, revision: 1 });
  });

  it('stops quietly when the reader of its output goes away (lotqa run --json | head)', () => {
    const bin = join(ROOT, 'bin/lotqa.mjs');
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" run data/CLI1 --json --no-reports | head -c 100 > /dev/null; echo "exit=\${PIPESTATUS[0]}"`],
      {
        cwd: dir,
        env: { ...process.env, LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'), DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stdout).toMatch(/exit=(0|3)\b/);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('ingest exits 1 when a file is rejected and names it with its reason', async () => {
    writeFileSync(join(dir, 'garbage.csv'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
    const r = await lotqa(['ingest', 'garbage.csv', '--product', 'qsfp112-400g-dr4']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/garbage\.csv.*binary-content/);
  });

  it('exports the readings of a lot: long CSV to standard output, xlsx to a file', async () => {
    const long = await lotqa(['export', 'CLI1', '--parameters', 'tx_avg_power', '--attempt', 'final']);
    expect(long.code, long.stderr).toBe(0);
    const lines = long.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('lot,serial,attempt,final_attempt,station,test_time,corner,lane,parameter,value,unit,censoring,file,line');
    // 40 units × 4 lanes × the corners tx_avg_power is measured at, final attempts only.
    expect((lines.length - 1) % 160).toBe(0);
    expect(lines.slice(1).every((l) => l.includes(',tx_avg_power,') && l.includes(',dBm,'))).toBe(true);
    const xlsx = await lotqa(['export', 'CLI1', '--format', 'xlsx', '--out', 'cli1.xlsx']);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(xlsx.stderr).toMatch(/readings of \d+ test runs written to cli1\.xlsx/);
    expect((await lotqa(['export', 'CLI1', '--format', 'xlsx'])).code).toBe(1);
  });

  it('re-ingesting the same files counts them once', async () => {
    const r = JSON.parse((await lotqa(['ingest', 'data/CLI1', '--json'])).stdout) as unknown;
    expect(r).toMatchObject({ stored: 0, duplicates: 40, measurements: 0 });
  });

  it('an unknown product names the shipped ones; an unknown lot is an error with exit 1', async () => {
    const p = await lotqa(['ingest', 'data/CLI1', '--product', 'nope']);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/unknown product 'nope'.*osfp-800g-dr8/);
    const l = await lotqa(['audit', 'NOPE']);
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(/unknown lot/);
  });

  it('decide needs --reason and --sign-as (usage error, exit 1)', async () => {
    expect((await lotqa(['decide', 'CLI1', '--accept'])).code).toBe(1);
  });

  it('a failure says what happened and what to do, never an internal class name, and exits with its code', async () => {
    const unknown = await lotqa(['audit', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("lotqa: unknown lot 'NOPE': nothing is stored for it\nhint: list the stored lots with `lotqa lots`\n");
    const config = await lotqa(['lots'], { DATABASE_URL: 'mysql://qa:hunter2@db/qa' });
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^lotqa: Database URL "mysql:\/\/qa:\*\*\*@db\/qa" is not supported.*\nhint: check DATABASE_URL/);
    expect(config.stderr).not.toMatch(/StoreConfigError|LotqaError|hunter2|\n\s+at /);
    const debug = await lotqa(['audit', 'NOPE'], { LOTQA_DEBUG: '1' });
    expect(debug.stderr).toMatch(/\n\s+at .*lot-commands/);
  });

  it('issues reports and verifies the certificate against the store; a tampered certificate does not match', async () => {
    // Accepted lot: a clean DR4 lot under the default policy.
    await lotqa([
      'generate',
      '--product',
      'qsfp112-400g-dr4',
      '--profile',
      'wide-v2',
      '--units',
      '60',
      '--lot',
      'CLI2',
      '--seed',
      '11',
      '--out',
      'data/CLI2',
    ]);
    const run = await lotqa(['run', 'data/CLI2', '--customer', 'Acme Cloud', '--po', 'PO-1']);
    expect(run.stdout, run.stderr).toMatch(/CLI2 r1 .*ACCEPT/);
    const coc = join(
      dir,
      'reports',
      'CLI2',
      readdirSync(join(dir, 'reports', 'CLI2')).find((f) => f.startsWith('coc-'))!,
    );
    const v = await lotqa(['verify', coc]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/VALID: issued, unaltered, current/);
    expect(v.stdout).toMatch(/the lot's current content/);
    // Same certificate claiming another revision: the evidence no longer matches the store.
    const bytes = readFileSync(coc);
    const text = bytes.toString('latin1');
    const m = /lotqa-evidence-v1:([A-Za-z0-9_-]+)/.exec(text)!;
    const evidence = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { resultSha256: string };
    evidence.resultSha256 = '0'.repeat(64);
    const forged = Buffer.from(JSON.stringify(evidence)).toString('base64url');
    writeFileSync(join(dir, 'forged.pdf'), Buffer.from(text.replaceAll(m[1]!, forged), 'latin1'));
    const f = await lotqa(['verify', 'forged.pdf']);
    expect(f.code).toBe(4); // verify mismatch, as the exit-code convention says
    expect(f.stdout).toMatch(/ALTERED: not the document issued/);
    expect(f.stdout).toMatch(/differs from what was issued in: resultSha256/);
  });
});
