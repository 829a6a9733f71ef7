/**
 * @module A lot's report folder on disk: `<reports>/<lot>/` holds the lot's current documents, and
 * `superseded/` beside them every document they replaced (an engineering report written while the lot
 * was on HOLD, the documents of an earlier revision), never deleted. Old PNG previews are cleared.
 *
 * Every file is written atomically: to a temporary file in the same folder, flushed to disk, then
 * renamed over the final name; the folder itself is flushed after the renames. A crash at any moment
 * leaves each name holding either its old complete content or its new complete content — never a
 * truncated or empty `lot-result.json` — plus at worst a temporary file, removed by the next write.
 * A replaced file is first hard-linked into `superseded/`, so its name never goes missing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, rm, stat, mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

export const SUPERSEDED_DIR = 'superseded';
const TEMP_PREFIX = '.lotqa-tmp-';
/**
 * A temporary file older than this is left over from a crashed write and is removed; a younger one may
 * belong to another process writing the same lot right now (two sign-off runs, a retried report job).
 */
export const STALE_TEMP_MS = 60 * 60 * 1000;

export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Write `data` to `path` atomically (temp file in the same folder, fsync, rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  await writeDurable(temp, data);
  await rename(temp, path);
}

function tempPathFor(path: string): string {
  return join(path, '..', `${TEMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the renames are still atomic.
  }
}

/** One document of a report set. */
export interface FolderDocument {
  readonly name: string;
  readonly data: string | Uint8Array;
}

/**
 * Called at the two moments a crash matters (every temporary file written; one name renamed), so a test
 * can stop the process right there. Production code passes none.
 */
export interface FolderWriteProbe {
  staged?(): Promise<void>;
  renamed?(name: string): Promise<void>;
}

export interface FolderUpdate {
  /** Names (in the lot folder) now current. */
  readonly written: readonly string[];
  /** Paths of files moved to `superseded/` by this update. */
  readonly superseded: readonly string[];
  /** PNG previews removed. */
  readonly previewsCleared: number;
}

/**
 * Bring a lot folder up to date with `documents`. Files whose current content is identical are left
 * as they are (a retried report job changes nothing). A current file is superseded when a document of
 * the same name with other content replaces it, or when `isStale(name)` says it no longer belongs
 * (e.g. an earlier revision's PDF). PNG previews are removed. Leftover temporary files are removed.
 */
export async function updateLotFolder(
  dir: string,
  documents: readonly FolderDocument[],
  isStale: (name: string) => boolean = () => false,
  probe: FolderWriteProbe = {},
): Promise<FolderUpdate> {
  await mkdir(dir, { recursive: true });
  const existing = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    if (!entry.name.startsWith(TEMP_PREFIX)) existing.add(entry.name);
    else {
      const age = await stat(join(dir, entry.name)).then(
        (st) => Date.now() - st.mtimeMs,
        () => 0,
      );
      if (age > STALE_TEMP_MS) await rm(join(dir, entry.name), { force: true });
    }
  }
  // New content to temporary files first (in parallel: libuv's threads do the writing).
  const staged = await Promise.all(
    documents.map(async (d) => {
      const path = join(dir, d.name);
      if (existing.has(d.name) && (await sameContent(path, d.data))) return { doc: d, temp: null };
      const temp = tempPathFor(path);
      await writeDurable(temp, d.data);
      return { doc: d, temp };
    }),
  );
  await probe.staged?.();
  const superseded: string[] = [];
  const names = new Set(documents.map((d) => d.name));
  let previewsCleared = 0;
  for (const name of existing) {
    if (extname(name).toLowerCase() === '.png') {
      await rm(join(dir, name), { force: true });
      previewsCleared++;
      continue;
    }
    const replacing = staged.find((s) => s.doc.name === name);
    if (replacing && replacing.temp === null) continue; // unchanged
    if (!replacing && !isStale(name)) continue; // a current document this update does not touch
    // Another writer of the same lot may have moved it already: nothing to keep then.
    const moved = await supersede(dir, name, replacing !== undefined).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (moved) superseded.push(moved);
  }
  for (const s of staged) {
    if (!s.temp) continue;
    await rename(s.temp, join(dir, s.doc.name));
    await probe.renamed?.(s.doc.name);
  }
  await syncDir(dir);
  return { written: [...names], superseded, previewsCleared };
}

/**
 * Keep a copy of `dir/name` in `superseded/` as `<stem>.<first 8 hex of its SHA-256><ext>` (content-
 * addressed: the same document superseded twice is kept once). When the name is about to be replaced,
 * a hard link keeps the name present until the rename; otherwise the file is moved.
 */
async function supersede(dir: string, name: string, keepName: boolean): Promise<string | null> {
  const from = join(dir, name);
  const data = await readFile(from);
  const ext = extname(name);
  const target = join(dir, SUPERSEDED_DIR, `${name.slice(0, name.length - ext.length)}.${sha256Of(data).slice(0, 8)}${ext}`);
  await mkdir(join(dir, SUPERSEDED_DIR), { recursive: true });
  const already = await stat(target).then(
    () => true,
    () => false,
  );
  if (!already) {
    if (keepName) {
      try {
        await link(from, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await writeFileAtomic(target, data);
      }
    } else {
      await rename(from, target);
      return target;
    }
  }
  if (!keepName) await rm(from, { force: true });
  return target;
}

async function sameContent(path: string, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const s = await stat(path);
    if (s.size !== bytes.byteLength) return false;
    return sha256Of(await readFile(path)) === sha256Of(bytes);
  } catch {
    return false;
  }
}
