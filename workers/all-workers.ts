/**
 * Every lotqa queue in one process: the simplest deployment. `node dist/workers/all-workers.js` runs the
 * compiled build, `npx tsx workers/all-workers.ts` the sources. Set LOTQA_QUEUES=ingest,evaluate to serve only some. Stops gracefully on SIGTERM/SIGINT.
 */
import { runWorkerMain } from '../src/queue/worker-process.js';

await runWorkerMain({ component: 'all-workers' });
