/**
 * @module Coalescing of per-lot requests from concurrent jobs in one process. Every file job asks for its
 * lot to be evaluated after storing the file; with many jobs at once, one Redis call can answer all the
 * requests made while the previous call was on the wire. The guarantee each caller needs is kept: the
 * request that settles its promise was *sent after* the call was made (so after the caller's file was
 * committed), never an earlier one that might have reached the evaluate queue first.
 */

interface LotRequests {
  /** The send on the wire, if any. */
  running: Promise<void> | null;
  /** The send that starts when `running` settles, shared by every caller that arrived meanwhile. */
  next: Promise<void> | null;
}

const ignore = (): void => undefined;

/** Per-key coalescer of an idempotent request (e.g. "evaluate this lot once files stop arriving"). */
export class CoalescedRequests {
  readonly #send: (key: string) => Promise<unknown>;
  readonly #keys = new Map<string, LotRequests>();

  constructor(send: (key: string) => Promise<unknown>) {
    this.#send = send;
  }

  /** Resolves once a send for `key` that started after this call has succeeded (rejects with its error). */
  request(key: string): Promise<void> {
    let state = this.#keys.get(key);
    if (!state) this.#keys.set(key, (state = { running: null, next: null }));
    if (state.next) return state.next; // not sent yet: it will cover this call
    const running = state.running;
    if (!running) return this.#start(key, state);
    const s = state;
    s.next = running.then(ignore, ignore).then(() => this.#start(key, s));
    return s.next;
  }

  /** Keys with a send on the wire or waiting (for tests and shutdown). */
  get pending(): number {
    return this.#keys.size;
  }

  #start(key: string, state: LotRequests): Promise<void> {
    state.next = null;
    const sent: Promise<void> = this.#send(key)
      .then(ignore)
      .finally(() => {
        if (state.running !== sent) return;
        state.running = null;
        if (!state.next) this.#keys.delete(key);
      });
    state.running = sent;
    return sent;
  }
}
