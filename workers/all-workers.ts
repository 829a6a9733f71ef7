/**
 * Every lotqa queue in one process (`node dist/workers/all-workers.js` (the compiled build; `npx tsx workers/all-workers.ts` runs the sources)): the simplest deployment. Set
 * LOTQA_QUEUES=ingest,evaluate to serve only some. Stops gracefully on SIGTERM/SIGINT.
 */
import { runWorkerMain } from '../src/queue/worker-process.js';

await runWorkerMain({ component: 'all-workers' });
