/**
 * @module Distributed mode: BullMQ queues and workers around the pipeline stages.
 */
export * from './job-ids.js';
export * from './lotqa-queues.js';
export * from './lotqa-runtime.js';
export * from './lotqa-workers.js';
export * from './lot-processors.js';
export * from './lot-completeness.js';
export * from './lot-status.js';
export * from './sign-off-schedule.js';
export * from './submit-files.js';
export * from './drop-folder-watcher.js';
export * from './redis-connection.js';
export { createLogger, type Logger } from './logger.js';
