/**
 * `lotqa worker` as the README starts it: through bin/lotqa.mjs, from another folder, with the default
 * sandbox on. The sandboxed child (evaluate, report) is a plain `node` fork; it must still load lotqa's
 * TypeScript (it once could not: the evaluate job failed with ERR_UNKNOWN_FILE_EXTENSION and the lot
 * was never decided).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { submitFiles } from '../../src/queue/submit-files.js';
import { tempDir, testConfig, waitFor, workerEnv, writeLot, openTestRuntime } from './support/queue-fixture.js';

const BIN = fileURLToPath(new URL('../../bin/lotqa.mjs', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('lotqa worker (CLI)', () => {
  it('decides and certifies a lot with the sandboxed evaluate and report jobs, started from any folder', async () => {
    const config = testConfig({ queue: { sandboxed: true } });
    const rt = await openTestRuntime(config, cleanups);
    const child = spawn(process.execPath, [BIN, 'worker'], {
      cwd: tempDir('cli-worker-cwd'),
      env: workerEnv(config),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    cleanups.push(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });
    const dir = tempDir('cli-worker-lot');
    writeLot(dir, { lot: 'LQ-CLI', units: 8, seed: 31 });
    await submitFiles(rt.queues, [dir]);
    const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-CLI'))[0], 90_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}\nworker output:\n${output}`);
      },
    );
    if (decision.disposition === 'ACCEPT') {
      await waitFor('the certificate', async () => (await rt.store.listCertificates('LQ-CLI')).length > 0, 60_000);
    }
    expect(output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 180_000);
});
