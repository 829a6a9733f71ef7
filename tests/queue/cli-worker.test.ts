/**
 * `lotqa worker` as the README starts it: through bin/lotqa.mjs, from another folder, with the default
 * sandbox on. The sandboxed child (evaluate, report) is a plain `node` fork; it must still load lotqa's
 * TypeScript (it once could not: the evaluate job failed with ERR_UNKNOWN_FILE_EXTENSION and the lot
 * was never decided).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { embeddedResult, tempDir, testConfig, waitFor, workerEnv, writeLot, openTestRuntime } from './support/queue-fixture.js';

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
    writeLot(dir, { lot: 'LQ-CLI', units: 24, seed: 25 });
    const reference = await embeddedResult(dir, 'LQ-CLI', config);
    // Submitted as the README does, through the CLI: 16 files per ingest job unless told otherwise.
    const submit = spawnSync(process.execPath, [BIN, 'submit', dir, '--json'], { env: workerEnv(config), encoding: 'utf8' });
    expect(submit.status, submit.stderr).toBe(0);
    const submitted = JSON.parse(submit.stdout) as { jobId: string; path: string }[];
    expect(submitted.length).toBeGreaterThan(16);
    const jobIds = new Set(submitted.map((s) => s.jobId));
    expect(jobIds.size).toBe(Math.ceil(submitted.length / 16));
    expect([...jobIds].every((id) => id.startsWith('ingest-batch-'))).toBe(true);
    const withOutput = (err: Error): never => {
      throw new Error(`${err.message}\nworker output:\n${output}`);
    };
    const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-CLI'))[0], 90_000).catch(withOutput);
    // This seed's lot is accepted by the embedded path, so the queued path must accept and certify it too.
    expect(reference.disposition).toBe('ACCEPT');
    expect(decision.disposition).toBe('ACCEPT');
    expect(decision.resultSha256).toBe(reference.resultSha256);
    const [certificate] = await waitFor(
      'the certificate',
      async () => {
        const c = await rt.store.listCertificates('LQ-CLI');
        return c.length > 0 ? c : null;
      },
      60_000,
    ).catch(withOutput);
    expect(certificate!.revision).toBe(decision.revision);
    expect(await rt.store.listCertificates('LQ-CLI')).toHaveLength(1);
    expect(output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 180_000);
});
