/**
 * Writing parsed files in batches (one transaction, one savepoint per file) must keep every promise
 * of writing them one by one: each file whole or not at all, duplicates recognised inside a batch,
 * the files before a failing one kept, and the same stored result whether files were parsed on
 * worker threads or here. A batch from independent producers (the ingest worker's group commit) gives
 * each file its own outcome instead. Runs on SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedFile } from '../../src/domain/measurement.js';
import { findProduct, listShippedProfiles } from '../../src/domain/catalog.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { generateLot } from '../../src/sim/generate-lot.js';
import { writeLotFiles } from '../../src/sim/write-lot-files.js';
import { LotProductConflictError, StoreInputError, type QuarantineRecord, type StoredFile } from '../../src/store/index.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { BACKENDS } from '../store/support/store-backends.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-ingest-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parsedFile(n: number, lot: string, productId: string, sha = n.toString(16).padStart(64, '0')): ParsedFile {
  return {
    path: `/drop/${lot}_${n}.csv`,
    name: `${lot}_${n}.csv`,
    sha256: sha,
    bytes: 100 + n,
    profileId: 'wide-v2',
    productId,
    profileChoice: 'test',
    dataRows: 2,
    runs: [{ serial: `SN${n}`, lot, station: 'ATE-01', testTime: '2025-04-02T06:28:30.000Z', declaredAttempt: 1, operator: null }],
    measurements: [
      { run: 0, parameter: 'tx_avg_power', corner: 'room', lane: 0, value: 1.5 + n, censoring: 'none', line: 2 },
      { run: 0, parameter: 'module_power', corner: 'room', lane: null, value: 9.5, censoring: 'none', line: 2 },
    ],
    quarantine: [],
  };
}

let batchLot: Promise<ParsedFile[]> | undefined;

/**
 * Lot L7002 (40 units, a tenth malformed, a tenth retested) in the long layout, parsed: generated,
 * written and parsed once for the file, since each backend stores the same parsed files.
 */
function batchLotFiles(): Promise<ParsedFile[]> {
  batchLot ??= (async () => {
    const product = findProduct('qsfp112-400g-dr4');
    const profiles = listShippedProfiles().map((e) => e.document);
    const lot = generateLot({ spec: product, lot: 'L7002', units: 40, seed: 12, malformedRate: 0.1, retestRate: 0.1 });
    const written = writeLotFiles(
      lot,
      profiles.find((p) => p.id === 'long-generic')!,
      join(dir, 'batch-lot'),
    );
    const parsed: ParsedFile[] = [];
    for (const path of await collectStationFiles([written.outDir])) {
      const outcome = await parseStationFile(path, { product, profiles });
      if (outcome.kind === 'parsed') parsed.push(outcome.file);
    }
    return parsed;
  })();
  return batchLot;
}

describe.each(BACKENDS.map((b) => [b().name, b] as const))('batched writes on %s', (_name, makeBackend) => {
  it('keep the files before a failing one, store nothing of it or after it, and throw its error', async () => {
    const backend = makeBackend();
    const store = backend.open();
    try {
      await store.migrate();
      await store.recordParsedFile(parsedFile(1, 'LOT-A', 'prod-1'));
      const batch = [
        parsedFile(2, 'LOT-B', 'prod-2'),
        parsedFile(2, 'LOT-B', 'prod-2'),
        parsedFile(3, 'LOT-A', 'prod-2'),
        parsedFile(4, 'LOT-C', 'prod-2'),
      ];
      await expect(store.recordParsedFiles(batch)).rejects.toBeInstanceOf(LotProductConflictError);
      const files = await store.listFiles();
      expect(files.map((f) => f.name)).toEqual(['LOT-A_1.csv', 'LOT-B_2.csv']);
      expect((await store.listLots()).map((l) => l.lot)).toEqual(['LOT-A', 'LOT-B']);
      // the dictionaries and lots created in the committed part are usable afterwards
      const again = await store.recordParsedFiles([parsedFile(4, 'LOT-C', 'prod-2'), parsedFile(5, 'LOT-B', 'prod-2')]);
      expect(again.map((r) => [r.status, r.lots])).toEqual([
        ['stored', ['LOT-C']],
        ['stored', ['LOT-B']],
      ]);
      expect((await store.lotSummary('LOT-B'))?.measurements).toBe(4);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });

  it('recognise a duplicate inside the batch and refuse bad input without losing the batch before it', async () => {
    const backend = makeBackend();
    const store = backend.open();
    try {
      await store.migrate();
      const results = await store.recordParsedFiles([parsedFile(7, 'LOT-D', 'prod-3'), parsedFile(7, 'LOT-D', 'prod-3')]);
      expect(results.map((r) => r.status)).toEqual(['stored', 'duplicate']);
      expect(results[1]?.fileId).toBe(results[0]?.fileId);
      const bad = { ...parsedFile(9, 'LOT-D', 'prod-3'), sha256: 'not-a-hash' };
      await expect(store.recordParsedFiles([parsedFile(8, 'LOT-D', 'prod-3'), bad])).rejects.toBeInstanceOf(StoreInputError);
      expect((await store.listFiles()).map((f) => f.name)).toEqual(['LOT-D_7.csv', 'LOT-D_8.csv']);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});

describe.each(BACKENDS.map((b) => [b().name, b] as const))('a batch from independent producers on %s', (_name, makeBackend) => {
  it('gives every file its own outcome: stored, duplicate, or its own error, and keeps all the good ones', async () => {
    const backend = makeBackend();
    const store = backend.open();
    try {
      await store.migrate();
      const earlier = await store.recordParsedFile(parsedFile(1, 'LOT-A', 'prod-1'));
      const withQuarantine: ParsedFile = {
        ...parsedFile(6, 'LOT-B', 'prod-2'),
        quarantine: [
          { file: '/drop/LOT-B_6.csv', line: 3, column: 'tx_avg_power', rawValue: 'n/a', reason: 'non-numeric', message: 'not a number' },
        ],
      };
      // Without a failing file (on PostgreSQL: the one-statement-per-table path) …
      const first = await store.recordParsedFileBatch([
        parsedFile(2, 'LOT-B', 'prod-2'),
        parsedFile(1, 'LOT-A', 'prod-1'), // stored before
        parsedFile(3, 'LOT-B', 'prod-2'),
        parsedFile(3, 'LOT-B', 'prod-2'), // the same content twice in the batch
        withQuarantine,
      ]);
      // … and with failing files among good ones (on PostgreSQL: the batch fails, then each file alone).
      const second = await store.recordParsedFileBatch([
        parsedFile(4, 'LOT-A', 'prod-2'), // LOT-A belongs to prod-1
        parsedFile(7, 'LOT-B', 'prod-2'),
        { ...parsedFile(5, 'LOT-B', 'prod-2'), sha256: 'not-a-hash' },
        parsedFile(6, 'LOT-B', 'prod-2'), // stored in the first batch
      ]);
      const outcomes = [...first, ...second];
      const summary = outcomes.map((o) => (o.ok ? [o.result.status, o.result.lots] : [o.error.name]));
      expect(summary).toEqual([
        ['stored', ['LOT-B']],
        ['duplicate', ['LOT-A']],
        ['stored', ['LOT-B']],
        ['duplicate', ['LOT-B']],
        ['stored', ['LOT-B']],
        ['LotProductConflictError'],
        ['stored', ['LOT-B']],
        ['StoreInputError'],
        ['duplicate', ['LOT-B']],
      ]);
      const fileId = (i: number): number => (outcomes[i]!.ok ? (outcomes[i] as { result: { fileId: number } }).result.fileId : -1);
      expect(fileId(1)).toBe(earlier.fileId);
      expect(fileId(3)).toBe(fileId(2));
      expect((await store.listFiles()).map((f) => f.name).sort()).toEqual([
        'LOT-A_1.csv',
        'LOT-B_2.csv',
        'LOT-B_3.csv',
        'LOT-B_6.csv',
        'LOT-B_7.csv',
      ]);
      expect((await store.lotSummary('LOT-B'))?.measurements).toBe(8);
      expect(fileId(8)).toBe(fileId(4));
      expect((await store.lotSummary('LOT-A'))?.measurements).toBe(2);
      expect((await store.listQuarantine()).map((q) => [q.line, q.rawValue, q.reason])).toEqual([[3, 'n/a', 'non-numeric']]);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });

  it('stores a lot exactly as writing its files one by one does', async () => {
    const parsed = structuredClone(await batchLotFiles()); // each backend gets its own copy to store
    const snapshots: { files: StoredFile[]; quarantine: QuarantineRecord[]; lot: LotData }[] = [];
    for (const batchSize of [1, 7]) {
      const backend = makeBackend();
      const store = backend.open();
      try {
        await store.migrate();
        for (let i = 0; i < parsed.length; i += batchSize) {
          const outcomes = await store.recordParsedFileBatch(parsed.slice(i, i + batchSize));
          expect(outcomes.every((o) => o.ok && o.result.status === 'stored')).toBe(true);
        }
        snapshots.push({ files: await store.listFiles(), quarantine: await store.listQuarantine(), lot: await store.loadLot('L7002') });
      } finally {
        await store.close();
        await backend.cleanup();
      }
    }
    expect(snapshots[0]!.quarantine.length).toBeGreaterThan(0);
    const withoutTimes = (s: (typeof snapshots)[number]): unknown => ({ ...s, files: s.files.map((f) => ({ ...f, storedAt: null })) });
    expect(withoutTimes(snapshots[1]!)).toEqual(withoutTimes(snapshots[0]!));
  });
});

describe('ingestFiles', () => {
  it('stores the same lot, in the same order with the same ids, with or without parse threads', async () => {
    const product = findProduct('qsfp112-400g-dr4');
    const profiles = listShippedProfiles().map((e) => e.document);
    const wide = profiles.find((p) => p.id === 'wide-v2')!;
    const lot = generateLot({ spec: product, lot: 'L7001', units: 150, seed: 11, malformedRate: 0.1, retestRate: 0.1 });
    const written = writeLotFiles(lot, wide, join(dir, 'lot'));
    const paths = await collectStationFiles([written.outDir]);
    const snapshots = [];
    for (const threads of [0, 2]) {
      const backend = BACKENDS[0]!();
      const store = backend.open();
      try {
        await store.migrate();
        const seen: number[] = [];
        const summary = await ingestFiles(store, paths, { product, profiles, threads, onFile: (done) => seen.push(done) });
        expect(seen).toEqual(paths.map((_, i) => i + 1));
        // the accounting invariant: every file stored, duplicate or rejected; every data line stored or quarantined
        expect(summary.stored + summary.duplicates + summary.rejected).toBe(paths.length);
        const files = await store.listFiles();
        snapshots.push({
          summary,
          files: files.map((f) => [f.id, f.name, f.sha256]),
          quarantine: await store.listQuarantine(),
          lot: await store.loadLot('L7001'),
        });
      } finally {
        await store.close();
        await backend.cleanup();
      }
    }
    expect(snapshots[0]!.summary.rejected).toBeGreaterThan(0);
    expect(snapshots[1]).toEqual(snapshots[0]);
  });
});
