/**
 * `LOTQA_TIMINGS=1` prints one stderr line per timed phase (src/pipeline/phase-timings.ts); without it
 * nothing is printed and the phase's value comes back unchanged.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPhase, timedPhase } from '../../src/pipeline/phase-timings.js';

describe('phase timings', () => {
  const saved = process.env.LOTQA_TIMINGS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOTQA_TIMINGS;
    else process.env.LOTQA_TIMINGS = saved;
    vi.restoreAllMocks();
  });

  it('print a line with the wall and CPU time of each phase when LOTQA_TIMINGS=1', async () => {
    process.env.LOTQA_TIMINGS = '1';
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    expect(await timedPhase('ingest (3 files)', () => Promise.resolve(42))).toBe(42);
    const end = startPhase('evaluate');
    end();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^lotqa timing ingest \(3 files\): \d+ ms wall, \d+ ms CPU\n$/);
    expect(lines[1]).toMatch(/^lotqa timing evaluate: \d+ ms wall, \d+ ms CPU\n$/);
  });

  it('print nothing without LOTQA_TIMINGS, and still return the value and pass errors on', async () => {
    delete process.env.LOTQA_TIMINGS;
    const write = vi.spyOn(process.stderr, 'write');
    expect(await timedPhase('ingest', () => 'done')).toBe('done');
    startPhase('evaluate')();
    await expect(timedPhase('load lot', () => Promise.reject(new Error('store closed')))).rejects.toThrow('store closed');
    expect(write).not.toHaveBeenCalled();
  });
});
