/**
 * Several processes starting at once on a fresh store (three `lotqa run`, or workers started together)
 * all succeed: one migrates, the others wait for its lock and find the schema current. Real child
 * processes, released at the same moment, on a fresh SQLite file and on a fresh PostgreSQL schema.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeParsedFile } from './support/parsed-file-fixtures.js';
import { BACKENDS } from './support/store-backends.js';
import { STORE_MIGRATION_NAMES } from '../../src/store/migrations.js';
import { childScriptArgs } from '../support/child-process-args.js';

const CHILD = resolve(import.meta.dirname, 'support/migrate-child.ts');
const ALL = STORE_MIGRATION_NAMES;

interface ChildResult {
  readonly code: number | null;
  readonly result: { applied?: string[]; error?: string };
  readonly stderr: string;
}

/** Starts a migrating process (the compiled build, tests/support/child-process-args.ts); resolves `ready` once it has loaded, `done` when it exits. */
function startChild(args: readonly string[]): { child: ChildProcess; ready: Promise<void>; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<ChildResult>((r) =>
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: ChildResult['result'] = {};
      try {
        result = JSON.parse(last) as ChildResult['result'];
      } catch {
        result = { error: `no result: ${stdout}` };
      }
      r({ code, result, stderr });
    }),
  );
  return { child, ready, done };
}

describe.each(BACKENDS.map((b) => [b().name, b] as const))('migrations under concurrent first use on %s', (_name, makeBackend) => {
  it('three processes migrating one fresh store at once all succeed, and the schema is migrated once', async () => {
    const backend = makeBackend();
    try {
      const args = await childScriptArgs(CHILD, [JSON.stringify(backend.config)]);
      const children = [0, 1, 2].map(() => startChild(args));
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.child.stdin!.write('go\n');
      const results = await Promise.all(children.map((c) => c.done));
      for (const r of results)
        expect({ code: r.code, error: r.result.error, stderr: r.stderr }).toEqual({ code: 0, error: undefined, stderr: '' });
      // Exactly one process ran the migrations; the others found the schema current.
      expect(results.map((r) => r.result.applied).sort((a, b) => b!.length - a!.length)).toEqual([ALL, [], []]);

      const store = backend.open();
      try {
        expect((await store.migrate()).applied).toEqual([]);
        const file = makeParsedFile({ lot: 'LOT-AFTER-RACE', serials: ['SN1', 'SN2'] });
        expect((await store.recordParsedFile(file)).status).toBe('stored');
        expect((await store.loadLot('LOT-AFTER-RACE')).value.length).toBe(file.measurements.length);
      } finally {
        await store.close();
      }
    } finally {
      await backend.cleanup();
    }
  });
});
