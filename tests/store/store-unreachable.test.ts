/**
 * A store that cannot be opened says where it looked and what to check, instead of a bare socket error.
 */
import { describe, expect, it } from 'vitest';
import { openStore, StoreConfigError } from '../../src/store/index.js';
import { freePort } from '../queue/support/private-redis.js';
import { pgTestUrl } from '../support/services.js';

async function migrateError(databaseUrl: string): Promise<Error> {
  const store = openStore({ databaseUrl, pgSchema: 'unreachable_check' });
  try {
    await store.migrate();
    throw new Error('migrate() succeeded');
  } catch (err) {
    return err as Error;
  } finally {
    await store.close();
  }
}

describe('an unreachable store', () => {
  it('names the address and asks whether PostgreSQL runs when nothing listens', async () => {
    const port = await freePort();
    const err = await migrateError(`postgres://postgres@127.0.0.1:${port}/test`);
    expect(err).toBeInstanceOf(StoreConfigError);
    expect(err.message).toMatch(
      new RegExp(
        `cannot open the store at postgres://postgres@127\\.0\\.0\\.1:${port}/test .*ECONNREFUSED.*is PostgreSQL running\\? \\(check DATABASE_URL\\)`,
      ),
    );
  });

  it('says to create a database that does not exist', async () => {
    const url = new URL(pgTestUrl());
    url.pathname = '/lotqa_no_such_database';
    const err = await migrateError(url.toString());
    expect(err).toBeInstanceOf(StoreConfigError);
    expect(err.message).toMatch(/database "lotqa_no_such_database" does not exist — create the database first/);
  });
});
