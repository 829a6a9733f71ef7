/**
 * @module `lotqa watch`: an ATE drop folder. A file is submitted once it is complete — its size and
 * modification time unchanged across two polls (a station still writing changes them; a file renamed into
 * place from `x.csv.part` is simply seen whole) — then moved to `archive/` when its ingest job completed,
 * or to `quarantine/` with a `<name>.reason.txt` when the job failed for good (e.g. an unreadable file).
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { collectStationFiles } from '../pipeline/collect-files.js';
import type { LotqaQueues } from './lotqa-queues.js';
import type { Logger } from './logger.js';
import { ingestJobFor, readLotManifest, type LotManifestInfo, type SubmitOptions } from './submit-files.js';
import { counted } from '../domain/counted.js';

export interface WatchOptions extends SubmitOptions {
  /** @defaultValue 2000 */
  readonly pollMs?: number;
  readonly log?: Logger;
  /** Called whenever a file is submitted, archived or quarantined (for the CLI's output and tests). */
  readonly onEvent?: (event: WatchEvent) => void;
}

export type WatchEvent =
  | { readonly kind: 'submitted'; readonly path: string; readonly jobId: string }
  | { readonly kind: 'archived'; readonly path: string; readonly to: string }
  | { readonly kind: 'quarantined'; readonly path: string; readonly to: string; readonly reason: string }
  | { readonly kind: 'error'; readonly path: string; readonly message: string };

export interface DropFolderWatch {
  /** Stops polling (files in flight stay where they are and are picked up on the next start). */
  stop(): Promise<void>;
  /** One poll now (tests and `--once`). */
  poll(): Promise<void>;
}

interface Seen {
  size: number;
  mtimeMs: number;
  jobId?: string;
}

/** A free name in `dir` for `name` (adds -1, -2, … before the extension when taken). */
function freeName(dir: string, name: string): string {
  let candidate = join(dir, name);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; existsSync(candidate); i++) candidate = join(dir, `${stem}-${i}${ext}`);
  return candidate;
}

export function watchDropFolder(folder: string, queues: LotqaQueues, options: WatchOptions = {}): DropFolderWatch {
  const root = resolve(folder);
  const archive = join(root, 'archive');
  const quarantine = join(root, 'quarantine');
  const pollMs = options.pollMs ?? 2000;
  const seen = new Map<string, Seen>();
  // Only manifests that were read whole are cached: a station may write manifest.json after the data files.
  const manifests = new Map<string, LotManifestInfo>();
  const manifestOf = (dir: string): LotManifestInfo | null => {
    const cached = manifests.get(dir);
    if (cached) return cached;
    const read = readLotManifest(dir);
    if (read) manifests.set(dir, read);
    return read;
  };
  // The last error reported per file: a file that cannot be submitted yet (no product known, a manifest
  // still being written, Redis down) is retried every poll but reported once per distinct message.
  const reported = new Map<string, string>();
  const emit = (e: WatchEvent): void => {
    if (e.kind === 'error') {
      if (reported.get(e.path) === e.message) return;
      reported.set(e.path, e.message);
    } else reported.delete(e.path);
    options.onEvent?.(e);
    if (e.kind === 'error') options.log?.warn({ path: e.path, err: e.message }, 'drop folder');
    else options.log?.info(e, 'drop folder');
  };

  const moveInto = async (target: string, path: string): Promise<string> => {
    const sub = dirname(relative(root, path));
    const dir = join(target, sub === '.' ? '' : sub);
    await mkdir(dir, { recursive: true });
    const to = freeName(dir, basename(path));
    await rename(path, to);
    return to;
  };

  const settle = async (path: string, s: Seen): Promise<void> => {
    const job = await queues.ingest.getJob(s.jobId!);
    const state = job ? await job.getState() : 'unknown';
    if (state === 'completed' || state === 'unknown') {
      // 'unknown': removed by retention after completing (failed jobs are kept far longer).
      seen.delete(path);
      emit({ kind: 'archived', path, to: await moveInto(archive, path) });
    } else if (state === 'failed') {
      seen.delete(path);
      const reason = job?.failedReason || 'ingest failed (no reason recorded)';
      const to = await moveInto(quarantine, path);
      await writeFile(`${to}.reason.txt`, `${reason}\njob ${s.jobId}, ${counted(job?.attemptsMade ?? 0, 'attempt')}\n`);
      emit({ kind: 'quarantined', path, to, reason });
    }
  };

  const poll = async (): Promise<void> => {
    const files = existsSync(root) ? await collectStationFiles([root]) : [];
    const present = new Set(files);
    for (const path of [...seen.keys()]) if (!present.has(path)) seen.delete(path);
    for (const path of [...reported.keys()]) if (!present.has(path) && path !== root) reported.delete(path);
    for (const path of files) {
      try {
        const st = await stat(path);
        const before = seen.get(path);
        if (before?.jobId) {
          await settle(path, before);
          continue;
        }
        if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs) {
          seen.set(path, { size: st.size, mtimeMs: st.mtimeMs });
          continue;
        }
        // Unchanged across two polls: complete. Submit it.
        const job = await ingestJobFor(path, options, manifestOf(dirname(path)));
        await queues.ingest.add('ingest-file', job.data, { jobId: job.id });
        before.jobId = job.id;
        emit({ kind: 'submitted', path, jobId: job.id });
      } catch (err) {
        emit({ kind: 'error', path, message: (err as Error).message });
      }
    }
  };

  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    if (stopped) return;
    current = poll()
      .catch((err: unknown) => emit({ kind: 'error', path: root, message: (err as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
    poll: () => (current = current.then(poll)),
  };
}
