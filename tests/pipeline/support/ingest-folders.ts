import { join } from 'node:path';
import { listShippedProfiles } from '../../../src/domain/catalog.js';
import type { ProductSpec } from '../../../src/domain/product-spec.js';
import { collectStationFiles } from '../../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../../src/pipeline/ingest-files.js';
import type { Store } from '../../../src/store/index.js';

/** Ingests the station files of the named sub-folders of `dir` as one batch, with the shipped station profiles. */
export async function ingestFolders(store: Store, dir: string, folders: readonly string[], product: ProductSpec) {
  const profiles = listShippedProfiles().map((e) => e.document);
  return ingestFiles(store, await collectStationFiles(folders.map((s) => join(dir, s))), { product, profiles });
}
