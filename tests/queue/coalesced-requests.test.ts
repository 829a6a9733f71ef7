import { describe, expect, it } from 'vitest';
import { CoalescedRequests } from '../../src/queue/coalesced-requests.js';

/** A send whose calls stay on the wire until the test releases them, recording the order of events. */
function controlledSend() {
  const calls: { key: string; release: (ok?: boolean) => void }[] = [];
  const send = (key: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ key, release: (ok = true) => (ok ? resolve() : reject(new Error(`send ${key} failed`))) });
    });
  return { calls, send };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('coalesced per-lot requests', () => {
  it('a call made while a send is on the wire is covered by the next send, not the running one', async () => {
    const { calls, send } = controlledSend();
    const c = new CoalescedRequests(send);
    const done: string[] = [];
    const first = c.request('L1').then(() => done.push('first'));
    await tick();
    expect(calls.length).toBe(1);
    const second = c.request('L1').then(() => done.push('second'));
    const third = c.request('L1').then(() => done.push('third'));
    await tick();
    expect(calls.length).toBe(1); // the second and third wait for one shared send
    calls[0]!.release();
    await first;
    await tick();
    expect(done).toEqual(['first']); // the running send settled only the call made before it
    expect(calls.length).toBe(2);
    calls[1]!.release();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    expect(calls.length).toBe(2);
    expect(c.pending).toBe(0);
  });

  it('keys are independent and a failed send rejects exactly its callers, the next send still goes out', async () => {
    const { calls, send } = controlledSend();
    const c = new CoalescedRequests(send);
    const a = c.request('A');
    const b = c.request('B');
    await tick();
    expect(calls.map((x) => x.key)).toEqual(['A', 'B']);
    const a2 = c.request('A');
    calls[0]!.release(false);
    await expect(a).rejects.toThrow('send A failed');
    await tick();
    expect(calls.length).toBe(3);
    calls[2]!.release();
    await expect(a2).resolves.toBeUndefined();
    calls[1]!.release();
    await expect(b).resolves.toBeUndefined();
    expect(c.pending).toBe(0);
  });
});
