/**
 * Vitest global setup: the compiled build (scripts/build.mjs) when it is stale; one PostgreSQL database and one Redis key prefix per test run, so parallel or
 * repeated runs never collide. The database is dropped at the end; Redis keys under the prefix are deleted.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { ensureBuild } from '../../scripts/build.mjs';

const ADMIN_URL = process.env.LOTQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(): Promise<() => Promise<void>> {
  // Tests spawn bin/lotqa.mjs, which runs the compiled build when it is fresh: build it once here, so
  // they test the JavaScript a deployment runs (and do not fall back to tsx on every spawn).
  await ensureBuild({ quiet: true });
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `lotqa_test_${runId}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Test setup: cannot reach PostgreSQL at ${ADMIN_URL} (${String(err)}). Run scripts/ensure-services.sh or set LOTQA_TEST_PG_ADMIN_URL.`,
    );
  }
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const base = new URL(ADMIN_URL);
  base.pathname = `/${dbName}`;
  process.env.LOTQA_TEST_PG_URL = base.toString();
  process.env.LOTQA_TEST_RUN_ID = runId;
  process.env.LOTQA_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';

  return async function teardown() {
    const admin2 = new pg.Client({ connectionString: ADMIN_URL });
    await admin2.connect();
    await admin2.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin2.end();
  };
}
