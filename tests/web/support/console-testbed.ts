/**
 * One console test's world, set up once: a fresh SQLite store in a temporary folder filled by the console
 * fixture (five baseline lots, CLEAN accepted, SHIFT held), the people of the test with their roles
 * (password `<name>-password`, full name `<name> Example`), the console app built on it, and each person
 * logged in through the form. `close()` undoes all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AccountRole } from '../../../src/domain/e-signature.js';
import { createAccount } from '../../../src/pipeline/accounts.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { buildConsoleApp, type ConsoleOptions } from '../../../src/web/console-app.js';
import { buildConsoleFixture } from './console-fixture.js';
import { consoleClient, HOST, type Session } from './console-session.js';

export interface ConsoleTestbedOptions<P extends string> {
  /** Names the temporary folder (lotqa-<name>-…). */
  readonly name: string;
  /** Who uses the console in the test, and their role. */
  readonly people: Readonly<Record<P, AccountRole>>;
  /** The console's options beyond its host (which is the session helper's HOST). */
  readonly console?: Omit<ConsoleOptions, 'allowedHosts'>;
  /** Units per fixture lot. @defaultValue 40 */
  readonly units?: number;
  /** Lots added to the fixture (a shift on lane index 2 in σ), and their expected dispositions. */
  readonly extraLots?: readonly { lot: string; units: number; shift?: number; disposition: string }[];
  /** Runs on the filled store before the app is built (more baselines, tokens). */
  readonly prepare?: (store: Store) => Promise<void>;
}

export interface ConsoleTestbed<P extends string> extends ReturnType<typeof consoleClient> {
  readonly dir: string;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Each person's session, logged in through the form. */
  readonly as: Readonly<Record<P, Session>>;
  close(): Promise<void>;
}

export const passwordOf = (username: string): string => `${username}-password`;

export async function openConsoleTestbed<P extends string>(options: ConsoleTestbedOptions<P>): Promise<ConsoleTestbed<P>> {
  const dir = mkdtempSync(join(tmpdir(), `lotqa-${options.name}-`));
  const store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  const extra = options.extraLots ?? [];
  expect(await buildConsoleFixture(store, join(dir, 'data'), options.units ?? 40, [...extra])).toEqual({
    CLEAN: 'ACCEPT',
    SHIFT: 'HOLD',
    ...Object.fromEntries(extra.map((e) => [e.lot, e.disposition])),
  });
  for (const [username, role] of Object.entries(options.people) as [P, AccountRole][])
    await createAccount(store, { username, fullName: `${username} Example`, role, password: passwordOf(username), by: 'test' });
  await options.prepare?.(store);
  const app = await buildConsoleApp(store, { prewarm: false, ...options.console, allowedHosts: [HOST] });
  const client = consoleClient(() => app);
  const as = {} as Record<P, Session>;
  for (const username of Object.keys(options.people) as P[]) as[username] = await client.login(username, passwordOf(username));
  return {
    ...client,
    dir,
    store,
    app,
    as,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
