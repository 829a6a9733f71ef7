/**
 * @module Makes a sandboxed child die with its worker process. BullMQ's child gets a 'disconnect' event
 * when the parent dies, but only once its event loop is free: during a long evaluation (seconds to
 * minutes of synchronous arithmetic) it is not, and a `kill -9` of the worker left the child running at
 * full CPU, owned by PID 1. A worker thread has an event loop of its own: it looks at the parent PID
 * every `intervalMs` and, when the parent is gone (the child was re-parented), kills the whole process.
 * SIGKILL is safe here: each stage writes in one transaction, which PostgreSQL or SQLite roll back.
 */
import { Worker } from 'node:worker_threads';

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parentPid) process.kill(process.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

/** Starts the watchdog thread (it never keeps the process alive on its own). */
export function exitWhenParentDies(intervalMs = 500): Worker {
  const thread = new Worker(WATCHDOG, { eval: true, workerData: { parentPid: process.ppid, intervalMs } });
  thread.unref();
  return thread;
}
