/**
 * @module What every command shares: the configuration, the store opened and migrated, the certificate
 * context, and output helpers (JSON for scripts, aligned text for people).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors/lotqa-error.js';
import { loadConfig, type LotqaConfig } from '../config.js';
import type { CertificateContext } from '../domain/decision.js';
import type { Store } from '../store/store.js';
import { timedPhase } from '../pipeline/phase-timings.js';

export function configOf(cmd: Command): Readonly<LotqaConfig> {
  const root = cmd.optsWithGlobals<{ config?: string }>();
  return loadConfig(root.config ? { configPath: root.config } : {});
}

export interface WithStoreOptions {
  /**
   * Create the SQLite store when it does not exist yet: only for the commands that put data in (run,
   * ingest). Every other command fails with a message instead of leaving an empty lotqa.sqlite behind.
   * @defaultValue false
   */
  readonly create?: boolean;
}

/** Opens (and migrates) the configured store, runs `fn`, always closes it. */
export async function withStore<T>(
  config: Readonly<LotqaConfig>,
  fn: (store: Store) => Promise<T>,
  options: WithStoreOptions = {},
): Promise<T> {
  const { openStore } = await import('../store/index.js');
  if (!config.databaseUrl && !options.create && config.sqlitePath !== ':memory:' && !existsSync(config.sqlitePath)) {
    throw new ConfigurationError(`there is no lotqa store at ${resolve(config.sqlitePath)}: nothing has been ingested there yet`, {
      hint: 'ingest station files first (`npx lotqa run <folder>`), or point LOTQA_SQLITE_PATH / sqlitePath (or DATABASE_URL) at your store',
    });
  }
  const store = await timedPhase('open store', async () => {
    const opened = openStore(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl, ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}) }
        : { sqlitePath: config.sqlitePath },
    );
    try {
      await opened.migrate();
    } catch (err) {
      await opened.close();
      throw err;
    }
    return opened;
  });
  try {
    return await fn(store);
  } finally {
    await timedPhase('close store', () => store.close());
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
/** The options of every command that may issue reports: where they go and what the certificate carries. */
export interface CertificateFlags {
  out?: string;
  reports: boolean;
  customer?: string;
  po?: string;
  shipTo?: string;
  draft?: boolean;
}

/** The options `run` and `evaluate` share: the policy, the {@link CertificateFlags} and `--json`. */
export interface SignOffFlags extends CertificateFlags {
  product?: string;
  policy?: string;
  json?: boolean;
}

/** Adds the {@link CertificateFlags} options (run, evaluate, decide). */
export function certificateOptions(command: Command, words: { reports: string; customer: string }): Command {
  return command
    .option('--out <dir>', 'report folder (default: config reportsDir, "reports")')
    .option('--no-reports', words.reports)
    .option('--customer <name>', words.customer)
    .option('--po <number>', 'purchase order printed on the certificate (stored with the lot)')
    .option('--ship-to <address>', 'ship-to address printed on the certificate (stored with the lot)')
    .option('--draft', 'write the certificate as a watermarked DRAFT (not issued; allowed while the company is not configured)');
}

/** Adds the {@link SignOffFlags} options after a command's own `--product` (and `--profile`). */
export function signOffOptions(command: Command, words: { reports: string; customer: string; json: string }): Command {
  const withPolicy = command.option('--policy <id|file>', 'acceptance policy: catalog id or JSON file (default: config, else "default")');
  return certificateOptions(withPolicy, words).option('--json', words.json);
}

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
