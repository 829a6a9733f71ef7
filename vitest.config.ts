import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // A limit for a hung test, not a speed check: the end-to-end CLI and worker tests spawn a dozen
    // processes in a row; on a shared 2-core machine at load 16–24 held-lot-flow took 56 s, then 61 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (cores − 1) is one worker on a 2-core machine. Most test time is spent waiting on
    // PostgreSQL, Redis and child processes, so two workers finish sooner even on 2 cores (each test file
    // has its own schema, key prefix and temp folder, so files may run side by side).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share a worker's module cache instead of re-importing every module per file (isolate
    // off): import time fell from ~100 s to ~15 s of the suite's CPU. Safe because no test file relies on
    // fresh module state: each opens its own store, schema, key prefix and temp folder and restores the
    // environment or working folder it changes (checked: no vi.mock, no stubbed globals).
    isolate: false,
  },
});
