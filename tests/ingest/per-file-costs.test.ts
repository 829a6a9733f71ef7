/**
 * Per-file shortcuts of the reader and the column builder must not change what a file yields: a file
 * read whole is hashed in one shot (crypto.hash) and a streamed one incrementally, both to the SHA-256 of
 * its bytes; NUL bytes and control characters are still refused with the same message; a builder that
 * saw no station verdicts or limits skips copying and clearing those columns, which must still read 0
 * even when the recycled arrays come from a file that had them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnMeasurements, MeasurementColumnsBuilder } from '../../src/domain/measurement-columns.js';
import type { Measurement } from '../../src/domain/measurement.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { allProfiles, fixture, miniProduct } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-per-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the reader hashes every byte', () => {
  it('of a file read whole, streamed, and of a file that is rejected', async () => {
    const binary = join(dir, 'image.csv');
    writeFileSync(binary, Buffer.from([0x53, 0x4e, 0x3b, 0x00, 0x01, 0x02, 0x0a]));
    const controls = join(dir, 'controls.csv');
    writeFileSync(controls, Buffer.from('a;b\n\u0001\u0002\u0003\u0004;1\n'));
    for (const path of [fixture('wide-good.csv'), fixture('long-good.csv'), binary, controls]) {
      for (const wholeFileBytes of [undefined, 0, 8]) {
        const o = await parseStationFile(path, { product: miniProduct, profiles: allProfiles, wholeFileBytes });
        expect(o.file.sha256, `${path} ${wholeFileBytes}`).toBe(sha256(path));
      }
    }
    // Binary and not UTF-8 either: named binary, as when the bytes were checked before decoding.
    const both = join(dir, 'both.csv');
    writeFileSync(both, Buffer.from([0x53, 0xff, 0xfe, 0x41, 0x00, 0x0a]));
    const bothOutcome = await parseStationFile(both, { product: miniProduct, profiles: allProfiles });
    expect(bothOutcome.kind === 'rejected' && bothOutcome.file.message).toContain('contains NUL bytes (byte 4)');
    const manyControls = join(dir, 'many-controls.csv');
    writeFileSync(manyControls, Buffer.concat([Buffer.from([0x01, 0x02, 0x03, 0xc3]), Buffer.from('a;b\n')]));
    const manyOutcome = await parseStationFile(manyControls, { product: miniProduct, profiles: allProfiles });
    expect(manyOutcome.kind === 'rejected' && manyOutcome.file.reason).toBe('binary-content');
    // A few control characters (≤ 5 %) are not binary: the file is read on (and rejected for what it holds).
    const fewControls = join(dir, 'few-controls.csv');
    writeFileSync(fewControls, `${readFileSync(fixture('wide-good.csv'), 'utf8')}\u0001\n`);
    const fewOutcome = await parseStationFile(fewControls, { product: miniProduct, profiles: allProfiles });
    expect(fewOutcome.kind === 'rejected' ? fewOutcome.file.reason : 'parsed').not.toBe('binary-content');
    const nul = await parseStationFile(binary, { product: miniProduct, profiles: allProfiles });
    expect(nul.kind).toBe('rejected');
    expect(nul.kind === 'rejected' && nul.file.message).toContain('contains NUL bytes (byte 3)');
    const ctl = await parseStationFile(controls, { product: miniProduct, profiles: allProfiles });
    expect(ctl.kind === 'rejected' && ctl.file.reason).toBe('binary-content');
    expect(ctl.kind === 'rejected' && ctl.file.message).toContain('(4 of its first 11 bytes are control characters)');
  });
});

describe('a column builder after one with station evidence', () => {
  it('reads verdicts and limits as absent', () => {
    const withEvidence: Measurement[] = Array.from({ length: 300 }, (_, i) => ({
      run: 0,
      parameter: 'tx_er',
      corner: 'room',
      lane: i % 4,
      value: i / 7,
      censoring: 'none',
      line: i + 2,
      stationVerdict: i % 2 === 0 ? 'pass' : 'fail',
      stationLimits: { low: 1, high: i % 3 === 0 ? null : 9 },
    }));
    const plain: Measurement[] = Array.from({ length: 280 }, (_, i) => ({
      run: 1,
      parameter: i % 2 === 0 ? 'tx_er' : 'tx_avg_power',
      corner: 'hot',
      lane: i % 2 === 0 ? null : 3,
      value: -i / 3,
      censoring: i % 5 === 0 ? 'below' : 'none',
      line: i + 9,
    }));
    for (let round = 0; round < 3; round++) {
      const a = new MeasurementColumnsBuilder();
      for (const m of withEvidence) a.push(m);
      expect(columnMeasurements(a.finish())).toEqual(withEvidence);
      const b = new MeasurementColumnsBuilder();
      for (const m of plain) b.pushReading(m.run, m.parameter, m.corner, m.lane, m.value, m.censoring, m.line);
      const columns = b.finish();
      expect(columnMeasurements(columns)).toEqual(plain);
      expect(columns.verdict.every((v) => v === 0)).toBe(true);
      expect(columns.limitFlags.every((v) => v === 0)).toBe(true);
      expect(columns.low.every((v) => v === 0) && columns.high.every((v) => v === 0)).toBe(true);
    }
  });
});
