/**
 * The README's first command, `npx lotqa demo`, as a user runs it: a real process that generates the
 * factory history, builds the baseline and decides the three new lots. Each must get the decision the
 * README promises (L2610 ACCEPT with its certificate, L2611 HOLD, L2612 REJECT), and the closing hint
 * it prints must work when pasted into a shell.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'lotqa-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lotqa demo', () => {
  it('decides L2610 ACCEPT, L2611 HOLD and L2612 REJECT, and its closing hint works', () => {
    const out = join(dir, 'demo');
    const env = { ...process.env, DATABASE_URL: '', LOTQA_SQLITE_PATH: '', LOTQA_CONFIG: '', LOTQA_REPORTS_DIR: '' };
    const demo = spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), 'demo', '--out', out], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(demo.stderr).not.toMatch(/^lotqa: /m);
    expect(demo.status).toBe(0);
    const rows = Object.fromEntries(
      [...demo.stdout.matchAll(/^(L26\d\d)\s{2,}.+?\s{2,}(ACCEPT|HOLD|REJECT)\s{2,}(ACCEPT|HOLD|REJECT)\s{2,}(ok|UNEXPECTED)$/gm)].map(
        (m): [string, { expected?: string; decision?: string; verdict?: string }] => [
          m[1]!,
          { expected: m[2], decision: m[3], verdict: m[4] },
        ],
      ),
    );
    expect(rows).toEqual({
      L2610: { expected: 'ACCEPT', decision: 'ACCEPT', verdict: 'ok' },
      L2611: { expected: 'HOLD', decision: 'HOLD', verdict: 'ok' },
      L2612: { expected: 'REJECT', decision: 'REJECT', verdict: 'ok' },
    });
    expect(existsSync(join(out, 'L2610', 'coc-L2610-r1.pdf'))).toBe(true);
    expect(existsSync(join(out, 'L2611', 'coc-L2611-r1.pdf'))).toBe(false);

    // The hint as printed, pasted into a shell in the folder the demo ran in.
    const hint = /\(try: (LOTQA_SQLITE_PATH=\S+ npx lotqa lots)\)/.exec(demo.stdout)?.[1];
    expect(hint).toBeDefined();
    const lots = execFileSync('sh', ['-c', hint!], { cwd: ROOT, env, encoding: 'utf8' });
    for (const lot of ['L2610', 'L2611', 'L2612', 'Q2601', 'Q2605']) expect(lots).toMatch(new RegExp(`^${lot}\\s`, 'm'));
  }, 300_000);
});
