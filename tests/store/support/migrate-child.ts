/**
 * A process that migrates a store, for the concurrent-first-use test: it loads everything, says
 * "ready", waits for "go" on stdin (so several processes start migrating at the same moment), migrates,
 * and prints what it applied as JSON. argv[2]: the StoreConfig as JSON. Run compiled on the build by
 * tests/support/child-process-args.ts.
 */
import { openStore, type StoreConfig } from '../../../src/store/index.js';

const config = JSON.parse(process.argv[2]!) as StoreConfig;
const store = openStore(config);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
try {
  const { applied } = await store.migrate();
  process.stdout.write(`${JSON.stringify({ applied })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exitCode = 1;
} finally {
  await store.close();
  process.stdin.destroy();
}
