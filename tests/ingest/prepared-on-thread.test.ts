/**
 * A file prepared for the store on a parse thread (parsed-file-transfer.ts: checked, its runs packed with
 * the store's committed parameter and corner ids) must be stored byte for byte as the writer stores it
 * unprepared. A file naming a parameter or corner not committed yet goes unprepared (the writer hands out
 * new ids, in path order), and so does a file the store refuses (the writer raises the same error).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedFile } from '../../src/domain/measurement.js';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { packOutcome, unpackOutcome, type NameIds, type PackedOutcome } from '../../src/pipeline/parsed-file-transfer.js';
import { generateLot } from '../../src/sim/generate-lot.js';
import { writeLotFiles } from '../../src/sim/write-lot-files.js';
import { StoreInputError, type Store } from '../../src/store/index.js';
import { prepareParsedFile, withPrepared } from '../../src/store/records/prepared-file.js';
import { sqliteBackend, type TestBackend } from '../store/support/store-backends.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-prepared-on-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const parsed: ParsedFile[] = [];

beforeAll(async () => {
  const product = findProduct('qsfp112-400g-dr4');
  const profiles = listShippedProfiles().map((e) => e.document);
  // Long layout: station verdicts and limits (station evidence); malformed rows (quarantine); retests.
  const lot = generateLot({ spec: product, lot: 'L7003', units: 30, seed: 21, malformedRate: 0.1, retestRate: 0.1 });
  const written = writeLotFiles(lot, findProfile('long-generic'), join(dir, 'lot'));
  for (const path of await collectStationFiles([written.outDir])) {
    const outcome = await parseStationFile(path, { product, profiles });
    if (outcome.kind === 'parsed') parsed.push(outcome.file);
  }
});

/**
 * What a parse thread sends for `file` and the writer receives (copied, not transferred: the parsed files
 * are sent more than once here; ParsePool's transfer is covered by ingest-batches.test.ts).
 */
function sentAndReceived(file: ParsedFile, ids: NameIds | null): { packed: PackedOutcome; received: ParsedFile } {
  const { packed } = packOutcome({ kind: 'parsed', file }, ids);
  const copy = structuredClone(packed);
  const outcome = unpackOutcome(copy);
  if (outcome.kind !== 'parsed') throw new Error('expected a parsed file');
  return { packed: copy, received: outcome.file };
}

/** Every stored row of the ingest tables, blobs as hex (stored_at aside). */
function storedRows(backend: TestBackend): unknown {
  const db = new Database(backend.config.sqlitePath, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      files: all(`select id, sha256, path, name, bytes, profile_id, product_id, profile_choice, data_rows, run_count,
        measurement_count, quarantine_count from files order by id`),
      runs: all('select * from runs order by id'),
      readings: all('select run_id, reading_count, hex(readings) as readings from run_readings order by run_id'),
      parameters: all('select * from parameters order by id'),
      corners: all('select * from corners order by id'),
      quarantine: all('select * from quarantine order by id'),
      evidence: all('select * from station_evidence order by file_id'),
      limitSets: all('select * from station_limit_sets order by sha256'),
    };
  } finally {
    db.close();
  }
}

async function withStore<T>(fn: (store: Store, backend: TestBackend) => Promise<T>): Promise<T> {
  const backend = sqliteBackend();
  const store = backend.open();
  try {
    await store.migrate();
    return await fn(store, backend);
  } finally {
    await store.close();
    await backend.cleanup();
  }
}

describe('a file prepared on a parse thread', () => {
  it('is stored exactly as the writer stores it unprepared (readings, quarantine, station evidence)', async () => {
    expect(parsed.some((f) => f.quarantine.length > 0)).toBe(true);
    expect(parsed.some((f) => f.measurements.some((m) => m.stationVerdict !== undefined))).toBe(true);
    const reference = await withStore(async (store, backend) => {
      for (let i = 0; i < parsed.length; i += 7) {
        const batch = parsed.slice(i, i + 7).map((f) => sentAndReceived(f, null).received);
        await store.recordParsedFiles(batch);
      }
      return storedRows(backend) as Record<string, unknown[]>;
    });
    expect(reference.quarantine!.length).toBeGreaterThan(0);
    expect(reference.evidence!.length).toBeGreaterThan(0);
    const prepared = await withStore(async (store, backend) => {
      // The first files commit the lot's names; the ids are then known and every later file comes prepared.
      await store.recordParsedFiles(parsed.slice(0, 3).map((f) => sentAndReceived(f, store.committedNameIds()).received));
      let preparedFiles = 0;
      for (let i = 3; i < parsed.length; i += 7) {
        const batch = parsed.slice(i, i + 7).map((f) => {
          const { packed, received } = sentAndReceived(f, store.committedNameIds());
          if (packed.kind === 'parsed' && packed.file.prepared !== null) preparedFiles++;
          return received;
        });
        await store.recordParsedFiles(batch);
      }
      expect(preparedFiles).toBe(parsed.length - 3);
      return storedRows(backend);
    });
    expect(prepared).toEqual(reference);
  });

  it('is not prepared while one of its names has no committed id, nor when the store would refuse it', async () => {
    await withStore(async (store) => {
      const file = parsed[0]!;
      const empty = store.committedNameIds();
      expect(sentAndReceived(file, empty).packed).toMatchObject({ kind: 'parsed', file: { prepared: null } });
      await store.recordParsedFiles([sentAndReceived(file, empty).received]);
      const ids = store.committedNameIds();
      expect(ids.version).not.toBe(empty.version);
      const [dropped] = [...ids.parameters.keys()];
      const missing: NameIds = { parameters: new Map([...ids.parameters].filter(([n]) => n !== dropped)), corners: ids.corners };
      expect(sentAndReceived(parsed[1]!, missing).packed).toMatchObject({ file: { prepared: null } });
      expect(sentAndReceived(parsed[1]!, ids).packed).not.toMatchObject({ file: { prepared: null } });
      // A second reading of the same parameter, corner and lane in a run: the writer refuses it, as ever.
      const twice: ParsedFile = { ...parsed[1]!, measurements: [...parsed[1]!.measurements, parsed[1]!.measurements[0]!] };
      const { packed, received } = sentAndReceived(twice, ids);
      expect(packed).toMatchObject({ file: { prepared: null } });
      await expect(store.recordParsedFiles([received])).rejects.toThrow(StoreInputError);
      await expect(store.recordParsedFiles([received])).rejects.toThrow(/a second reading of the same parameter, corner and lane/);
      expect((await store.listFiles()).length).toBe(1);
    });
  });

  it('is refused when a packed run does not hold its reading count', () => {
    const file = parsed[0]!;
    const prepared = prepareParsedFile(file);
    expect(() => withPrepared({ ...prepared, packedRuns: prepared.runCounts.length > 0 ? [Buffer.alloc(3)] : [] })).toThrow(
      StoreInputError,
    );
  });
});
