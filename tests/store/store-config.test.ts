import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { StoreConfigError, resolveStoreConfig } from '../../src/store/index.js';

describe('resolveStoreConfig', () => {
  it('defaults to ./lotqa.sqlite in the working folder', () => {
    expect(resolveStoreConfig({}, {})).toEqual({ backend: 'sqlite', sqlitePath: resolve('lotqa.sqlite') });
  });

  it('uses PostgreSQL when DATABASE_URL is a postgres URL, in the public schema by default', () => {
    expect(resolveStoreConfig({}, { DATABASE_URL: 'postgres://u:secret@db:5432/qa' })).toEqual({
      backend: 'postgres',
      databaseUrl: 'postgres://u:secret@db:5432/qa',
      pgSchema: 'public',
      pgPoolSize: 10,
    });
  });

  it('lets an explicit sqlitePath win over DATABASE_URL, and an explicit databaseUrl win over both', () => {
    expect(resolveStoreConfig({ sqlitePath: ':memory:' }, { DATABASE_URL: 'postgres://db/qa' })).toEqual({
      backend: 'sqlite',
      sqlitePath: ':memory:',
    });
    expect(resolveStoreConfig({ sqlitePath: 'x.db', databaseUrl: 'postgresql://db/qa', pgSchema: 'line_7' }, {})).toMatchObject({
      backend: 'postgres',
      pgSchema: 'line_7',
    });
    expect(resolveStoreConfig({ databaseUrl: 'sqlite:data/qa.sqlite' }, {})).toEqual({
      backend: 'sqlite',
      sqlitePath: resolve('data/qa.sqlite'),
    });
  });

  it('refuses unsupported URLs and unsafe schema names, without echoing the password', () => {
    expect(() => resolveStoreConfig({ databaseUrl: 'mysql://u:hunter2@db/qa' }, {})).toThrow(StoreConfigError);
    expect(() => resolveStoreConfig({ databaseUrl: 'mysql://u:hunter2@db/qa' }, {})).not.toThrow(/hunter2/);
    expect(() => resolveStoreConfig({ databaseUrl: 'postgres://db/qa', pgSchema: 'x; drop table y' }, {})).toThrow(/schema name/);
  });
});
