/**
 * @module What every command shares: the configuration, the store opened and migrated, the certificate
 * context, and output helpers (JSON for scripts, aligned text for people).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig, type LotqaConfig } from '../config.js';
import type { CertificateContext } from '../domain/decision.js';
import type { Store } from '../store/store.js';

export function configOf(cmd: Command): Readonly<LotqaConfig> {
  const root = cmd.optsWithGlobals() as { config?: string };
  return loadConfig(root.config ? { configPath: root.config } : {});
}

/** Opens (and migrates) the configured store, runs `fn`, always closes it. */
export async function withStore<T>(config: Readonly<LotqaConfig>, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/index.js');
  const store = openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqlitePath: config.sqlitePath });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function certificateContext(
  config: Readonly<LotqaConfig>,
  opts: { customer?: string; po?: string; shipTo?: string },
): CertificateContext {
  return {
    company: { name: config.company.name, address: config.company.address, logoPath: config.company.logoPath ?? null },
    customer: opts.customer ?? null,
    purchaseOrder: opts.po ?? null,
    shipTo: opts.shipTo ?? null,
    showStations: config.showStationsOnCertificate,
    signing: config.signing ?? null,
  };
}

/** The customer, PO and ship-to a command was given, as a change of the lot's stored shipment. */
export function shipmentFlags(opts: { customer?: string; po?: string; shipTo?: string }): {
  customer?: string;
  purchaseOrder?: string;
  shipTo?: string;
} {
  return {
    ...(opts.customer !== undefined ? { customer: opts.customer } : {}),
    ...(opts.po !== undefined ? { purchaseOrder: opts.po } : {}),
    ...(opts.shipTo !== undefined ? { shipTo: opts.shipTo } : {}),
  };
}

/** Who runs this command, for the audit trail: LOTQA_USER, else the login name. */
export function whoRuns(): string {
  const named = process.env.LOTQA_USER?.trim();
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Left-aligned text table. */
export function table(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
