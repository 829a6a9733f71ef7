/**
 * @module The body of one parse-pool thread: parses the station files the pool sends, one at a time,
 * and posts each outcome back packed into typed arrays. It never touches the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseStationFile, type ParseStationFileOptions } from '../ingest/parse-station-file.js';
import { StationProfileError } from '../ingest/ingest-errors.js';
import { packOutcome } from './parsed-file-transfer.js';
import type { ParseReply, ParseRequest } from './parse-pool.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker.ts runs only as a worker thread of ParsePool.');
const options = workerData as ParseStationFileOptions;

port.on('message', (request: ParseRequest) => {
  void parseStationFile(request.path, options).then(
    (outcome) => {
      const { packed, transfer } = packOutcome(outcome);
      port.postMessage({ id: request.id, kind: 'outcome', outcome: packed } satisfies ParseReply, transfer);
    },
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      const profile = err instanceof StationProfileError ? { profileId: err.profileId, problem: err.problem } : null;
      port.postMessage({
        id: request.id,
        kind: 'error',
        name: e.name,
        message: e.message,
        stack: e.stack ?? '',
        profile,
      } satisfies ParseReply);
    },
  );
});
