/**
 * @module The body of one parse-pool thread: parses the station files of each request the pool sends,
 * one at a time, and posts their outcomes back in one message, packed into typed arrays (transferred).
 * It never touches the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseStationFile, type ParseStationFileOptions } from '../ingest/parse-station-file.js';
import { StationProfileError } from '../ingest/ingest-errors.js';
import { packOutcome } from './parsed-file-transfer.js';
import type { ParseAnswer, ParseReply, ParseRequest } from './parse-pool.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker.ts runs only as a worker thread of ParsePool.');
const options = workerData as ParseStationFileOptions;

/** Parses one file; an error is answered, not thrown (the other files of the request still count). */
async function answer(path: string, transfer: ArrayBuffer[]): Promise<ParseAnswer> {
  try {
    const packed = packOutcome(await parseStationFile(path, options));
    transfer.push(...packed.transfer);
    return { kind: 'outcome', outcome: packed.packed };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const profile = err instanceof StationProfileError ? { profileId: err.profileId, problem: err.problem } : null;
    return { kind: 'error', name: e.name, message: e.message, stack: e.stack ?? '', profile };
  }
}

port.on('message', (request: ParseRequest) => {
  void (async () => {
    const transfer: ArrayBuffer[] = [];
    const answers: ParseAnswer[] = [];
    for (const path of request.paths) answers.push(await answer(path, transfer));
    port.postMessage({ id: request.id, answers } satisfies ParseReply, transfer);
  })();
});
