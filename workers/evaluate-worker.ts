/**
 * The evaluate worker process: `node dist/workers/evaluate-worker.js` (the compiled build; `npx tsx workers/evaluate-worker.ts` runs the sources). Configuration from lotqa.config.json / LOTQA_CONFIG
 * and the environment (REDIS_URL, DATABASE_URL, LOTQA_CONCURRENCY, …). Stops gracefully on SIGTERM/SIGINT.
 */
import { runWorkerMain } from '../src/queue/worker-process.js';

await runWorkerMain({ component: 'evaluate-worker', queues: ['evaluate'] });
