/**
 * The catalogs: shipped documents, the user's catalog folders and files named by path, one id per
 * document; the configuration that names the folders; and the queue's contract on top of them (a job
 * names documents by id and SHA-256, and a worker refuses a different document under that id).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { loadConfig } from '../../src/config.js';
import { Catalog, CatalogConflictError, SHIPPED_PRODUCTS_DIR, UnknownCatalogEntryError } from '../../src/domain/catalog.js';
import { SpecFileError } from '../../src/domain/spec-file-error.js';
import { processIngest, type LotqaJob } from '../../src/queue/lot-processors.js';
import type { IngestJobData } from '../../src/queue/job-ids.js';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { ingestJobFor, SubmitError } from '../../src/queue/submit-files.js';

const root = mkdtempSync(join(tmpdir(), 'lotqa-catalog-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function folder(files: Record<string, unknown>): string {
  const dir = join(root, `c${n++}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const shippedDr4 = JSON.parse(readFileSync(join(SHIPPED_PRODUCTS_DIR, 'qsfp112-400g-dr4.json'), 'utf8')) as Record<string, unknown>;
const userProduct = { ...shippedDr4, productId: 'acme-400g-dr4', partNumber: 'ACME-DR4' };
const userProfile = JSON.parse(readFileSync(join(SHIPPED_PRODUCTS_DIR, '..', 'profiles', 'wide-v2.json'), 'utf8')) as Record<
  string,
  unknown
>;
const userPolicy = JSON.parse(readFileSync(join(SHIPPED_PRODUCTS_DIR, '..', 'policies', 'default.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('catalog folders', () => {
  it('find the user’s product, profile and policy by id, in the folder and its products/, profiles/, policies/ subfolders', () => {
    const dir = folder({
      'acme-dr4.json': userProduct,
      'profiles/acme-wide.json': { ...userProfile, id: 'acme-wide' },
      'policies/strict.json': { ...userPolicy, id: 'acme-strict' },
      'notes.json': { comment: 'not a lotqa document: ignored' },
    });
    const c = new Catalog([dir]);
    expect(c.product('acme-400g-dr4')).toMatchObject({ id: 'acme-400g-dr4', source: dir, path: join(dir, 'acme-dr4.json') });
    expect(c.product('acme-400g-dr4').sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.profile('acme-wide').document.format).toBe('wide');
    expect(c.policy('acme-strict').document.id).toBe('acme-strict');
    // the shipped ones stay, and auto-detection sees the user's profile too
    expect(c.products().map((e) => e.id)).toContain('osfp-800g-dr8');
    const profiles = c.profiles().map((e) => e.id);
    expect(profiles).toContain('acme-wide');
    expect(profiles).toContain('wide-v2');
    expect(profiles).toEqual([...profiles].sort());
  });

  it('name what they hold when an id is unknown', () => {
    const c = new Catalog([folder({ 'a.json': userProduct })]);
    expect(() => c.product('acme-800g')).toThrow(UnknownCatalogEntryError);
    expect(() => c.product('acme-800g')).toThrow(/In your catalog folders: acme-400g-dr4\./);
  });

  it('refuse an invalid lotqa document, naming the file and the field', () => {
    const dir = folder({ 'broken.json': { ...userProduct, laneCount: 'four' } });
    expect(() => new Catalog([dir]).products()).toThrow(SpecFileError);
    expect(() => new Catalog([dir]).products()).toThrow(/broken\.json: \/laneCount/);
  });

  it('refuse two different documents under one id, and accept an identical copy', () => {
    const clash = folder({ 'dr4.json': { ...shippedDr4, description: 'my edit' } });
    expect(() => new Catalog([clash]).product('qsfp112-400g-dr4')).toThrow(CatalogConflictError);
    expect(() => new Catalog([clash]).product('qsfp112-400g-dr4')).toThrow(
      /defined twice, differently: .*qsfp112-400g-dr4\.json and .*dr4\.json/,
    );
    const copy = folder({ 'dr4.json': shippedDr4 });
    expect(new Catalog([copy]).product('qsfp112-400g-dr4').source).toBe('shipped');
  });

  it('stop at a folder that does not exist', () => {
    expect(() => new Catalog([join(root, 'nowhere')]).products()).toThrow(/catalog folder .*nowhere does not exist/);
  });
});

describe('files named by path', () => {
  it('are known by their id for the rest of the process, but are not shared with other processes', () => {
    const dir = folder({ 'p.json': userProduct });
    const c = new Catalog();
    expect(c.product(join(dir, 'p.json')).source).toBe('path');
    expect(c.product('acme-400g-dr4').path).toBe(join(dir, 'p.json'));
    expect(c.shared('product', 'acme-400g-dr4')).toBeNull();
  });

  it('may not give a catalog id to another document', () => {
    const dir = folder({ 'dr4.json': { ...shippedDr4, version: 'edited' } });
    expect(() => new Catalog().product(join(dir, 'dr4.json'))).toThrow(CatalogConflictError);
  });
});

describe('configuration', () => {
  it('reads catalogDirs relative to the config file; LOTQA_CATALOG_DIRS (path-list) wins', () => {
    const dir = folder({ 'lotqa.config.json': { catalogDirs: ['specs', '/abs/other'] } });
    const fromFile = loadConfig({ configPath: join(dir, 'lotqa.config.json'), env: {} });
    expect(fromFile.catalogDirs).toEqual([join(dir, 'specs'), '/abs/other']);
    const fromEnv = loadConfig({ configPath: join(dir, 'lotqa.config.json'), env: { LOTQA_CATALOG_DIRS: ['/a', '/b'].join(delimiter) } });
    expect(fromEnv.catalogDirs).toEqual(['/a', '/b']);
    expect(loadConfig({ env: {} }).catalogDirs).toEqual([]);
  });
});

describe('queue jobs name documents by catalog id and SHA-256', () => {
  const station = folder({ 'u.csv': 'Serial,Lot\nSN1,L1\n' });
  const file = join(station, 'u.csv');

  it('submit puts the id and SHA-256 in the job, never a path or the document', async () => {
    const dir = folder({ 'acme.json': userProduct });
    const job = await ingestJobFor(file, { product: join(dir, 'acme.json'), catalog: new Catalog([dir]) }, null);
    expect(job.data).toMatchObject({ productId: 'acme-400g-dr4', productSha256: new Catalog([dir]).product('acme-400g-dr4').sha256 });
    expect(JSON.stringify(job.data)).not.toContain(dir);
  });

  it('submit refuses a product file the workers could not find by id', async () => {
    const dir = folder({ 'acme.json': userProduct });
    await expect(ingestJobFor(file, { product: join(dir, 'acme.json'), catalog: new Catalog() }, null)).rejects.toThrow(SubmitError);
    await expect(ingestJobFor(file, { product: join(dir, 'acme.json'), catalog: new Catalog() }, null)).rejects.toThrow(
      /is not in a catalog folder/,
    );
  });

  it('a worker whose catalog holds another document under the id fails the job at once', async () => {
    const dir = folder({ 'acme.json': userProduct });
    const rt = { catalog: new Catalog([dir]), profiles: [], products: [] } as unknown as LotqaRuntime;
    const job: LotqaJob<IngestJobData> = {
      data: { kind: 'ingest', path: file, sha256: '0'.repeat(64), productId: 'acme-400g-dr4', productSha256: 'f'.repeat(64) },
      attemptsMade: 0,
      opts: { attempts: 5 },
      updateProgress: () => Promise.resolve(),
    };
    await expect(processIngest(rt, job)).rejects.toThrow(UnrecoverableError);
    await expect(processIngest(rt, job)).rejects.toThrow(/this worker's catalogs hold a different document under that id/);
    const unknown = { ...job, data: { ...job.data, productId: 'acme-800g', productSha256: undefined } };
    await expect(processIngest(rt, unknown)).rejects.toThrow(/unknown product 'acme-800g'.*this worker's catalogs/);
  });
});
