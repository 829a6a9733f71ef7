/**
 * The chart pages' part of a stored LotResult (src/queries/lot-result-part.ts) and the lot page's summary
 * written with each evaluation (migration 0010), on SQLite and on PostgreSQL: the pieces read by the
 * database are exactly the stored ones (compared with the whole result read back), and a missing cell is
 * an error, not a silently shorter chart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotPageSummary } from '../../src/domain/lot-page-summary.js';
import type { CellResult, LotResult } from '../../src/domain/lot-result.js';
import { lotResultPart } from '../../src/queries/lot-result-part.js';
import type { Store } from '../../src/store/index.js';
import { makeParsedFile } from '../store/support/parsed-file-fixtures.js';
import { BACKENDS, type TestBackend } from '../store/support/store-backends.js';
import { lotResultFixture } from '../store/support/stored-document-fixtures.js';

/** A cell as far as the part's reader is concerned (it never looks inside): distinct keys and points. */
function cell(lane: number, points: number[]): CellResult {
  return {
    key: { parameter: 'tx_power', corner: 'room', lane },
    name: `Tx power lane ${lane}`,
    chart: { points, signals: [{ rule: 1, direction: 'up', indices: [0] }], unitIndex: null },
    stringy: 'quote " and \\ backslash, ünïcode',
  } as unknown as CellResult;
}

describe.each(BACKENDS.map((make) => ({ make, name: make.name.replace('Backend', '') })))('lot result part on $name', ({ make }) => {
  let backend: TestBackend;
  let store: Store;
  let result: LotResult;

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    const f = makeParsedFile({
      lot: 'LOT-P',
      serials: ['P1', 'P2'],
      testTime: (i: number) => new Date(Date.UTC(2024, 4, 1, 8, 0, i)).toISOString(),
    });
    await store.recordParsedFile(f);
    result = {
      ...lotResultFixture('LOT-P', { fileHashes: [f.sha256] }),
      cells: [cell(0, [1.5, 2.25, -3e-7]), cell(1, [4, 5]), { ...cell(2, []), chart: null }],
    };
    await store.saveEvaluation({ lot: 'LOT-P', contentHash: await store.lotContentHash('LOT-P'), resultSha256: 'c'.repeat(64), result });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
  });

  it('reads the chosen cells and the lot-level fields as stored', async () => {
    const part = (await lotResultPart(store, 'LOT-P', 1, [1, 0]))!;
    expect(part.cells).toEqual([result.cells[1], result.cells[0]]);
    expect(part.units).toEqual(result.units);
    expect(part.proposal).toEqual(result.proposal);
    expect(part.lot).toBe('LOT-P');
    expect(part.revision).toBe(result.revision);
    expect(part.baseline).toEqual(result.baseline);
    expect(part.product).toEqual(result.product);
  });

  it('is null for an evaluation that does not exist, and refuses a cell the result does not have', async () => {
    expect(await lotResultPart(store, 'LOT-P', 9, [0])).toBeNull();
    await expect(lotResultPart(store, 'LOT-P', 1, [7])).rejects.toThrow(/has no cell 7/);
  });

  it('the evaluation stored the page summary, with the index of each cell that has a chart', async () => {
    const stored = (await store.pageSummaries.get('LOT-P', 1))!;
    expect(stored.resultSha256).toBe('c'.repeat(64));
    expect(stored.summary).toEqual(lotPageSummary(result));
    expect(stored.summary.charts.map((c) => [c.index, c.key.lane, c.signals])).toEqual([
      [0, 0, 1],
      [1, 1, 1],
    ]);
  });
});
