/**
 * The console fixture (five baseline lots, CLEAN accepted, SHIFT held) in a SQLite store of a temporary
 * folder, and `lotqa` run there as a person runs it: the built CLI (bin/lotqa.mjs runs dist/; `npm run
 * build` first), SQLite only, no signing password unless the test gives one, nothing on stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { buildConsoleFixture } from './console-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliFixture {
  readonly dir: string;
  /** Runs `lotqa args…` in the fixture's folder on its store; `env` adds to (or overrides) the environment. */
  lotqa(args: readonly string[], env?: Record<string, string>): CliRun;
  cleanup(): void;
}

export async function openCliFixture(name: string): Promise<CliFixture> {
  const dir = mkdtempSync(join(tmpdir(), `lotqa-${name}-`));
  const store = openStore({ sqlitePath: join(dir, 'cli.sqlite') });
  try {
    await store.migrate();
    expect(await buildConsoleFixture(store, join(dir, 'data'), 40)).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD' });
  } finally {
    await store.close();
  }
  return {
    dir,
    lotqa(args, env = {}) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), ...args], {
        cwd: dir,
        env: { ...process.env, LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'), DATABASE_URL: '', LOTQA_SIGN_PASSWORD: '', ...env },
        encoding: 'utf8',
        timeout: 120_000,
        input: '',
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Adds approver accounts through `lotqa account add` (password `<name>-password`). */
export function addApprovers(cli: CliFixture, people: readonly (readonly [username: string, fullName: string])[]): void {
  for (const [username, fullName] of people) {
    const add = cli.lotqa(['account', 'add', username, '--full-name', fullName, '--role', 'approver'], {
      LOTQA_NEW_PASSWORD: `${username}-password`,
    });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`account ${username} (${fullName}) added as approver`);
  }
}
