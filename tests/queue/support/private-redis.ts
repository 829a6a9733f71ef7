/**
 * A private redis-server on a free port, for tests that stop, kill or pause Redis (the shared one must
 * stay up for the other test files running in parallel). No persistence: a kill loses every key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir, waitFor } from './queue-fixture.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Runs redis-cli against it and returns the trimmed reply. */
  cli(...args: string[]): string;
  /** Kills the server with SIGKILL (no shutdown, no save): every key is gone. */
  kill(): void;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** Shuts it down (test cleanup); quiet if it is already gone. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0)
    throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const dir = tempDir('redis');
  const launch = async (): Promise<void> => {
    execFileSync('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      dir,
    ]);
    await waitFor(`private redis on port ${port}`, () => cli('ping') === 'PONG', 5000);
  };
  const cli = (...args: string[]): string => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cli,
    kill() {
      const pid = Number(/process_id:(\d+)/.exec(cli('info', 'server'))?.[1]);
      if (!pid) throw new Error(`could not read the pid of the private redis on port ${port}`);
      process.kill(pid, 'SIGKILL');
    },
    restart: launch,
    stop() {
      try {
        cli('shutdown', 'nosave');
      } catch {
        // already gone
      }
      return Promise.resolve();
    },
  };
}
