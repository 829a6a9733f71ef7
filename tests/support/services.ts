/**
 * Test access to the real services. Every test file gets its own PostgreSQL schema and Redis prefix
 * inside this run's database (see global-setup.ts).
 */
import { randomBytes } from 'node:crypto';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through \`npm test\` (vitest global setup creates it)`);
  return v;
}

/** URL of this test run's private PostgreSQL database. */
export function pgTestUrl(): string {
  return required('LOTQA_TEST_PG_URL');
}

export function redisTestUrl(): string {
  return process.env.LOTQA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A name unique to this run and call, usable as a PG schema, queue prefix or key prefix. */
export function uniqueName(label: string): string {
  const run = process.env.LOTQA_TEST_RUN_ID ?? 'adhoc';
  return `${label}_${run}_${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
