/**
 * Every lotqa queue in one process (`npx tsx workers/all-workers.ts`): the simplest deployment. Set
 * LOTQA_QUEUES=ingest,evaluate to serve only some. Stops gracefully on SIGTERM/SIGINT.
 */
import { runWorkerMain } from '../src/queue/worker-process.js';

await runWorkerMain({ component: 'all-workers' });
