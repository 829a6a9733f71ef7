/**
 * The ingest worker process: `node dist/workers/ingest-worker.js` (the compiled build; `npx tsx workers/ingest-worker.ts` runs the sources). Configuration from lotqa.config.json / LOTQA_CONFIG
 * and the environment (REDIS_URL, DATABASE_URL, LOTQA_CONCURRENCY, …). Stops gracefully on SIGTERM/SIGINT.
 */
import { runWorkerMain } from '../src/queue/worker-process.js';

await runWorkerMain({ component: 'ingest-worker', queues: ['ingest'] });
