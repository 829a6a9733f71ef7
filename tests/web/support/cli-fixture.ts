/**
 * The console fixture (five baseline lots, CLEAN accepted, SHIFT held) in a SQLite store of a temporary
 * folder, and `lotqa` run there as a person runs it: the CLI's entry in this process
 * (tests/support/lotqa-in-process.ts: argv, working folder, environment, captured output and exit
 * code), SQLite only, no signing password unless the test gives one, nothing on stdin, no terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { lotqaInProcess, type CliRun } from '../../support/lotqa-in-process.js';
import { buildConsoleFixture } from './console-fixture.js';

export type { CliRun };

export interface CliFixture {
  readonly dir: string;
  /** Runs `lotqa args…` in the fixture's folder on its store; `env` adds to (or overrides) the environment. */
  lotqa(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
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
    lotqa: (args, env = {}) =>
      lotqaInProcess(args, {
        cwd: dir,
        env: { LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'), DATABASE_URL: '', LOTQA_SIGN_PASSWORD: '', ...env },
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Adds approver accounts through `lotqa account add` (password `<name>-password`). */
export async function addApprovers(cli: CliFixture, people: readonly (readonly [username: string, fullName: string])[]): Promise<void> {
  for (const [username, fullName] of people) {
    const add = await cli.lotqa(['account', 'add', username, '--full-name', fullName, '--role', 'approver'], {
      LOTQA_NEW_PASSWORD: `${username}-password`,
    });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`account ${username} (${fullName}) added as approver`);
  }
}
