/**
 * @module The body of one parse-pool thread: parses the station files of each request the pool sends,
 * one at a time, and posts their outcomes back in one message, packed into typed arrays (transferred),
 * each file also prepared for the store when the ids it needs are known (parsed-file-transfer.ts).
 * It never touches the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseStationFile, type ParseStationFileOptions } from '../ingest/parse-station-file.js';
import { StationProfileError } from '../ingest/ingest-errors.js';
import { packOutcome, type NameIds } from './parsed-file-transfer.js';
import type { ParseAnswer, ParseReply, ParseRequest } from './parse-pool.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker.ts runs only as a worker thread of ParsePool.');
const options = workerData as ParseStationFileOptions;
/** The store's committed parameter and corner ids, as the latest request that carried them said. */
let ids: NameIds | null = null;

/** Parses one file; an error is answered, not thrown (the other files of the request still count). */
async function answer(path: string): Promise<{ readonly answer: ParseAnswer; readonly transfer: readonly ArrayBuffer[] }> {
  try {
    const packed = packOutcome(await parseStationFile(path, options), ids);
    return { answer: { kind: 'outcome', outcome: packed.packed }, transfer: packed.transfer };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const profile = err instanceof StationProfileError ? { profileId: err.profileId, problem: err.problem } : null;
    return { answer: { kind: 'error', name: e.name, message: e.message, stack: e.stack ?? '', profile }, transfer: [] };
  }
}

/**
 * Files are parsed first come, first served, PARSING_AT_ONCE at a time (one reads its file while another
 * parses). Each request used to loop over its own files, so the pool's 3 queued requests were parsed
 * interleaved and the first came back only when all three were nearly done: the writer waited for file i
 * while files far beyond it were half parsed.
 */
const PARSING_AT_ONCE = 2;
const queue: { readonly path: string; readonly done: (a: Awaited<ReturnType<typeof answer>>) => void }[] = [];
let parsing = 0;

function pump(): void {
  while (parsing < PARSING_AT_ONCE && queue.length > 0) {
    const job = queue.shift()!;
    parsing++;
    void answer(job.path).then((a) => {
      parsing--;
      job.done(a);
      pump();
    });
  }
}

port.on('message', (request: ParseRequest) => {
  // Any committed ids are right for any file (they never change): files already queued may use these.
  if (request.ids !== undefined) ids = { parameters: new Map(request.ids.parameters), corners: new Map(request.ids.corners) };
  const files = request.paths.map((path) => new Promise<Awaited<ReturnType<typeof answer>>>((done) => queue.push({ path, done })));
  pump();
  void Promise.all(files).then((answered) => {
    port.postMessage(
      { id: request.id, answers: answered.map((a) => a.answer) } satisfies ParseReply,
      answered.flatMap((a) => a.transfer),
    );
  });
});
