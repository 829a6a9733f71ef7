/** A real console on a free loopback port, for the browser tests and the benchmark. */
import { createServer } from 'node:net';
import type { Store } from '../../../src/store/index.js';
import { startConsole, type StartedConsole } from '../../../src/web/console-app.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = addr && typeof addr === 'object' ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestConsole(store: Store): Promise<StartedConsole> {
  return startConsole(store, { host: '127.0.0.1', port: await freePort() }, { reports: null });
}
