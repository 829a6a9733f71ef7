/**
 * The fast paths of ingestion must not change a single outcome: a small file read whole and split as
 * one string gives what streaming it gives; a file parsed on a pool thread and sent back packed in
 * typed arrays equals the one parsed here; the packing itself is lossless for every optional field.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestOutcome, ParsedFile } from '../../src/domain/measurement.js';
import type { StationProfile } from '../../src/domain/station-profile.js';
import { StationProfileError } from '../../src/ingest/ingest-errors.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { ParsePool } from '../../src/pipeline/parse-pool.js';
import { packOutcome, unpackOutcome } from '../../src/pipeline/parsed-file-transfer.js';
import { allProfiles, FIXTURES, fixture, longProfile, miniProduct, wideProfile } from './support/catalog.js';

const names = readdirSync(FIXTURES).sort();
const dir = mkdtempSync(join(tmpdir(), 'lotqa-read-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (path: string, profile?: StationProfile, wholeFileBytes?: number): Promise<IngestOutcome> =>
  parseStationFile(path, { product: miniProduct, profile, profiles: allProfiles, wholeFileBytes });

describe('a file read whole equals the same file streamed', () => {
  it.each(names)('%s (auto-detected and with each named profile)', async (name) => {
    for (const profile of [undefined, ...allProfiles]) {
      const whole = await parse(fixture(name), profile).catch((e: Error) => e.message);
      const streamed = await parse(fixture(name), profile, 0).catch((e: Error) => e.message);
      expect(whole).toEqual(streamed);
    }
  });

  it('splits CRLF files, and one with a lone LF inside a row, as papaparse does (lines counted alike)', async () => {
    // A file read whole without quotes is split here, not by papaparse; streamed, papaparse splits it.
    for (const name of ['wide-good.csv', 'long-good.csv', 'non-numeric.csv', 'duplicate-measurement.csv']) {
      const lines = readFileSync(fixture(name), 'utf8').split('\n');
      const crlf = join(dir, `crlf-${name}`);
      writeFileSync(crlf, lines.join('\r\n'));
      // A lone LF in the middle of the third line: still one row for a CRLF split, but two physical lines.
      const stray = join(dir, `stray-lf-${name}`);
      const third = lines[2] ?? '';
      const cut = Math.floor(third.length / 2);
      writeFileSync(stray, [...lines.slice(0, 2), `${third.slice(0, cut)}\n${third.slice(cut)}`, ...lines.slice(3)].join('\r\n'));
      for (const path of [crlf, stray]) {
        const whole = await parse(path).catch((e: Error) => e.message);
        const streamed = await parse(path, undefined, 0).catch((e: Error) => e.message);
        expect(whole, path).toEqual(streamed);
      }
    }
  });

  it('streams a file above the whole-file limit, with the same rows, lines and hash', async () => {
    // 3,000 units in one long file (~600 kB) streamed in 64 KiB chunks vs read whole.
    const header = 'serial,lot,station,start_utc,attempt,corner_c,step,parameter,lane,value,unit,lsl,usl,result\n';
    let body = '';
    for (let u = 0; u < 3000; u++)
      body += `SN${u},L2401,ATE-03,2025-03-02T08:14:55Z,1,25,TX,TX_POWER,0,${(u % 7) / 10},dBm,-2.9,4.0,PASS\n`;
    const path = join(dir, 'big-long.csv');
    writeFileSync(path, header + body);
    const streamed = await parse(path, longProfile, 1024);
    const whole = await parse(path, longProfile);
    expect(streamed.kind).toBe('parsed');
    expect(streamed).toEqual(whole);
    expect((streamed.file as ParsedFile).measurements).toHaveLength(3000);
    expect((streamed.file as ParsedFile).measurements[2999]?.line).toBe(3001);
  });
});

describe('parse pool threads', () => {
  it('return exactly what parsing on this thread returns, rejected files included', async () => {
    const pool = new ParsePool({ product: miniProduct, profiles: allProfiles }, 2);
    try {
      const viaPool = await Promise.all(names.map((n) => pool.parse(fixture(n))));
      for (const [i, n] of names.entries()) {
        const here = await parse(fixture(n));
        expect(viaPool[i], n).toStrictEqual(here);
      }
      expect(viaPool.some((o) => o.kind === 'rejected')).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('answer a request of several files file by file, in its order, rejected files included', async () => {
    const pool = new ParsePool({ product: miniProduct, profiles: allProfiles }, 1);
    try {
      // Every fixture twice in one request: one message back, one outcome per file in request order.
      const paths = [...names, ...names].map((n) => fixture(n));
      const viaPool = await Promise.all(pool.parseMany(paths));
      expect(viaPool).toHaveLength(paths.length);
      for (const [i, path] of paths.entries()) expect(viaPool[i], path).toStrictEqual(await parse(path));
      expect(pool.inFlight).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('pass an unusable station profile on as StationProfileError', async () => {
    const broken: StationProfile = { ...wideProfile, id: 'broken', fileNamePattern: '(' };
    const pool = new ParsePool({ product: miniProduct, profile: broken, profiles: [broken] }, 1);
    try {
      const err = await pool.parse(fixture('wide-good.csv')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StationProfileError);
      expect((err as Error).message).toMatch(/station profile 'broken': fileNamePattern is not a valid regular expression/);
    } finally {
      await pool.close();
    }
  });
});

describe('packing an outcome into typed arrays', () => {
  it('keeps censoring, module lanes, station verdicts and one-sided station limits', () => {
    const file: ParsedFile = {
      path: '/x/a.csv',
      name: 'a.csv',
      sha256: 'a'.repeat(64),
      bytes: 10,
      profileId: 'p',
      productId: 'q',
      profileChoice: 'c',
      dataRows: 4,
      blankLines: 1,
      runs: [{ serial: 'S', lot: 'L', station: 'T', testTime: '2025-03-02T08:14:55.000Z', declaredAttempt: null, operator: null }],
      measurements: [
        {
          run: 0,
          parameter: 'tx_er',
          corner: 'room',
          lane: 1,
          value: 3,
          censoring: 'below',
          line: 5,
          stationVerdict: 'fail',
          stationLimits: { low: 3.5, high: null },
        },
        {
          run: 0,
          parameter: 'module_power',
          corner: 'hot',
          lane: null,
          value: 12,
          censoring: 'none',
          line: 6,
          stationLimits: { low: null, high: 12 },
        },
        { run: 0, parameter: 'tx_er', corner: 'hot', lane: 0, value: -0.5, censoring: 'above', line: 7, stationVerdict: 'pass' },
        { run: 0, parameter: 'tx_avg_power', corner: 'room', lane: 7, value: 1e-300, censoring: 'none', line: 8 },
      ],
      quarantine: [{ file: 'a.csv', line: 9, column: 'v', rawValue: 'x', reason: 'non-numeric', message: 'm' }],
    };
    const outcome: IngestOutcome = { kind: 'parsed', file };
    const { packed, transfer } = packOutcome(outcome);
    expect(transfer.length).toBeGreaterThan(0);
    const back = unpackOutcome(structuredClone(packed, { transfer }));
    expect(back).toStrictEqual(outcome);
    expect(JSON.stringify(back)).toBe(JSON.stringify(outcome)); // same keys in the same order
  });
});
