/**
 * @module What the queue commands of the CLI share: the configuration from `--config`, a fail-fast
 * producer connection with the queues on it, and the store — each opened for one command and closed after.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { loadConfig, type LotqaConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { openQueues, type LotqaQueues } from './lotqa-queues.js';
import { openConfiguredStore } from './lotqa-runtime.js';
import { bullConnection, connectProducer } from './redis-connection.js';

/** The configuration, honouring the program's global `--config`; overrides (from flags) win. */
export function commandConfig(cmd: Command, overrides: Partial<LotqaConfig> = {}): Readonly<LotqaConfig> {
  const root = cmd.optsWithGlobals<{ config?: string }>();
  return loadConfig({ ...(root.config ? { configPath: root.config } : {}), overrides });
}

/** Runs `fn` with the queues on a producer connection (fails fast with a clear error when Redis is down). */
export async function withProducerQueues<T>(config: Readonly<LotqaConfig>, fn: (queues: LotqaQueues) => Promise<T>): Promise<T> {
  const conn = await connectProducer(config.redisUrl);
  const queues = openQueues(config, bullConnection(conn));
  // A lost connection rejects the call that needed it, which reports it; without a listener BullMQ would
  // also print each connection error raw to the terminal.
  for (const q of queues.all.values()) q.on('error', () => undefined);
  try {
    return await fn(queues);
  } finally {
    await queues.close().catch(() => undefined);
    conn.disconnect();
  }
}

/** Runs `fn` with the configured store, migrated; always closes it. */
export async function withConfiguredStore<T>(config: Readonly<LotqaConfig>, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openConfiguredStore(config);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJsonValue(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned text columns. */
export function columns(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** A commander argument parser for whole numbers ≥ min. */
export function wholeNumber(name: string, min: number): (text: string) => number {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got "${text}"`);
    return v;
  };
}
