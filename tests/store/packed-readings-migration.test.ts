/**
 * Migration 0003 moves a store written with one row per reading (0001–0002) to one packed record per
 * run, keeping every reading: the lot reads back the same, in (parameter, corner, lane) order, a run
 * whose rows were all quarantined keeps its place with no readings, and the row table is gone.
 * Runs on SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { resolveStoreConfig } from '../../src/store/index.js';
import { openStoreDialect } from '../../src/store/dialect/open-store-dialect.js';
import { migrateStore } from '../../src/store/store-migration.js';
import { BACKENDS } from './support/store-backends.js';
import { migrationsFrom } from '../../src/store/migrations.js';

/** The tables before 0003, which the store's own types no longer describe: any table, any column. */
type OldLayout = Record<string, Record<string, unknown>>;

/** Old-layout rows for lot LOT-OLD: one file, two runs, the first with 4 readings stored out of key order. */
async function writeOldLayout(db: Kysely<OldLayout>): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('parameters')
    .values([{ name: 'tx_power_dbm' }, { name: 'er_db' }])
    .execute();
  await db
    .insertInto('corners')
    .values([{ name: 'room' }])
    .execute();
  await db.insertInto('lots').values({ lot: 'LOT-OLD', product_id: 'prod-1', created_at: now }).execute();
  await db
    .insertInto('files')
    .values({
      sha256: 'a'.repeat(64),
      path: '/drop/old.csv',
      name: 'old.csv',
      bytes: 100,
      profile_id: 'long-generic',
      product_id: 'prod-1',
      profile_choice: 'test',
      data_rows: 6,
      run_count: 2,
      measurement_count: 4,
      quarantine_count: 2,
      stored_at: now,
    })
    .execute();
  const run = (order: number, serial: string, count: number) => ({
    file_id: 1,
    lot_id: 1,
    run_order: order,
    serial,
    station: 'ATE-1',
    test_time: `2025-01-0${order + 1}T06:00:00.000Z`,
    declared_attempt: null,
    operator: null,
    measurement_count: count,
  });
  await db
    .insertInto('runs')
    .values([run(0, 'SN1', 4), run(1, 'SN2', 0)])
    .execute();
  // parameter 1 = tx_power_dbm, 2 = er_db; corner 1 = room; lane -1 = per module
  await db
    .insertInto('measurements')
    .values([
      { run_id: 1, parameter_id: 2, corner_id: 1, lane: 0, value: 4.25, censoring: 0, line: 5 },
      { run_id: 1, parameter_id: 1, corner_id: 1, lane: 1, value: -1.5, censoring: 0, line: 3 },
      { run_id: 1, parameter_id: 1, corner_id: 1, lane: 0, value: 0.1 + 0.2, censoring: 1, line: 2 },
      { run_id: 1, parameter_id: 1, corner_id: 1, lane: -1, value: -7e-12, censoring: 2, line: 4 },
    ])
    .execute();
}

describe.each(BACKENDS.map((b) => [b().name, b] as const))('migration to packed run readings on %s', (_name, makeBackend) => {
  it('keeps every reading of a store written one row per reading', async () => {
    const backend = makeBackend();
    const resolved = resolveStoreConfig(backend.config);
    const old = openStoreDialect(resolved);
    try {
      expect((await migrateStore(old, { to: '0002-decision-records' })).applied).toEqual([
        '0001-measurement-store',
        '0002-decision-records',
      ]);
      await writeOldLayout(old.db as unknown as Kysely<OldLayout>);
    } finally {
      await old.close();
    }

    const store = backend.open();
    try {
      expect((await store.migrate()).applied).toEqual(migrationsFrom('0003-packed-run-readings'));
      const lot = await store.loadLot('LOT-OLD');
      expect(lot.runs.map((r) => r.serial)).toEqual(['SN1', 'SN2']);
      expect(lot.parameters).toEqual(['er_db', 'tx_power_dbm']);
      const readings = Array.from(lot.value, (v, i) => [
        lot.runIndex[i],
        lot.parameters[lot.parameterIndex[i]!],
        lot.corners[lot.cornerIndex[i]!],
        lot.lane[i],
        v,
        lot.censoring[i],
      ]);
      // (parameter id, corner id, lane) order: tx_power_dbm (id 1) module, lane 0, lane 1; then er_db (id 2)
      expect(readings).toEqual([
        [0, 'tx_power_dbm', 'room', -1, -7e-12, 2],
        [0, 'tx_power_dbm', 'room', 0, 0.1 + 0.2, 1],
        [0, 'tx_power_dbm', 'room', 1, -1.5, 0],
        [0, 'er_db', 'room', 0, 4.25, 0],
      ]);
      expect((await store.lotSummary('LOT-OLD'))?.measurements).toBe(4);
    } finally {
      await store.close();
    }
    const again = openStoreDialect(resolved);
    try {
      const tables = (await again.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toContain('run_readings');
      expect(tables).not.toContain('measurements');
    } finally {
      await again.close();
      await backend.cleanup();
    }
  });
});
