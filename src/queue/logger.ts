/**
 * @module Structured logs for the queue processes (pino, JSON lines on stderr so stdout stays free for
 * command output). One root logger per process; components take a child with their own bindings.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates a process logger. Level from `LOTQA_LOG_LEVEL` (default `info`; `silent` in tests that do not
 * want the noise).
 */
export function createLogger(component: string, level: string = process.env.LOTQA_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'lotqa', level, base: { component, pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}
