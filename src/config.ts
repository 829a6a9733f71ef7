/**
 * @module Configuration — from a JSON file (`lotqa.config.json` in the working folder, or `--config` /
 * `LOTQA_CONFIG`) and the environment, environment winning. Validated once, then frozen.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from './errors/lotqa-error.js';
import { readFileSync, existsSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';
import { LotqaConfig } from './domain/lotqa-config.js';
import { Value } from '@sinclair/typebox/value';

export { LotqaConfig };

export class ConfigError extends LotqaError {
  override name = 'ConfigError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, {
      exitCode: ExitCode.configOrService,
      hint: 'check lotqa.config.json (schemas/lotqa-config.schema.json) and the LOTQA_* environment variables',
      ...options,
    });
  }
}

/** Loads and validates the configuration; `overrides` (from CLI flags) win over file and environment. */
export function loadConfig(
  options: { configPath?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<LotqaConfig> } = {},
): Readonly<LotqaConfig> {
  const env = options.env ?? process.env;
  const path = options.configPath ?? env.LOTQA_CONFIG ?? (existsSync('lotqa.config.json') ? 'lotqa.config.json' : undefined);
  let fromFile: Record<string, unknown> = {};
  if (path) {
    try {
      fromFile = JSON.parse(readFileSync(resolve(path), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
    }
    // Catalog folders in the file are relative to the file, so the configuration works from any folder.
    if (Array.isArray(fromFile.catalogDirs))
      fromFile.catalogDirs = fromFile.catalogDirs.map((d: unknown) => (typeof d === 'string' ? resolve(dirname(resolve(path)), d) : d));
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.DATABASE_URL) fromEnv.databaseUrl = env.DATABASE_URL;
  if (env.LOTQA_SQLITE_PATH) fromEnv.sqlitePath = env.LOTQA_SQLITE_PATH;
  if (env.REDIS_URL) fromEnv.redisUrl = env.REDIS_URL;
  if (env.LOTQA_QUEUE_PREFIX) fromEnv.queuePrefix = env.LOTQA_QUEUE_PREFIX;
  if (env.LOTQA_CONCURRENCY) fromEnv.concurrency = Number(env.LOTQA_CONCURRENCY);
  if (env.LOTQA_INGEST_CONCURRENCY) fromEnv.ingestConcurrency = Number(env.LOTQA_INGEST_CONCURRENCY);
  if (env.LOTQA_REPORTS_DIR) fromEnv.reportsDir = env.LOTQA_REPORTS_DIR;
  if (env.LOTQA_PG_SCHEMA) fromEnv.pgSchema = env.LOTQA_PG_SCHEMA;
  if (env.LOTQA_POLICY) fromEnv.policy = env.LOTQA_POLICY;
  if (env.LOTQA_CATALOG_DIRS !== undefined && env.LOTQA_CATALOG_DIRS !== '')
    fromEnv.catalogDirs = env.LOTQA_CATALOG_DIRS.split(delimiter)
      .filter((d) => d.trim() !== '')
      .map((d) => resolve(d));
  const queueEnv: Record<string, unknown> = {};
  const queueNumbers: [string, string][] = [
    ['LOTQA_QUEUE_ATTEMPTS', 'attempts'],
    ['LOTQA_BACKOFF_MS', 'backoffMs'],
    ['LOTQA_LOCK_DURATION_MS', 'lockDurationMs'],
    ['LOTQA_STALLED_INTERVAL_MS', 'stalledIntervalMs'],
    ['LOTQA_MAX_STALLED_COUNT', 'maxStalledCount'],
    ['LOTQA_SETTLE_MS', 'settleMs'],
    ['LOTQA_SHUTDOWN_TIMEOUT_MS', 'shutdownTimeoutMs'],
  ];
  for (const [name, key] of queueNumbers) if (env[name]) queueEnv[key] = Number(env[name]);
  if (env.LOTQA_SANDBOX) queueEnv.sandboxed = !/^(0|false|no|off)$/i.test(env.LOTQA_SANDBOX);
  if (Object.keys(queueEnv).length > 0) {
    const fileQueue = (fromFile.queue && typeof fromFile.queue === 'object' ? fromFile.queue : {}) as Record<string, unknown>;
    fromEnv.queue = { ...fileQueue, ...queueEnv };
  }
  if (env.LOTQA_SIGNING_P12 || env.LOTQA_SIGNING_P12_PASSWORD_FILE) {
    const fileSigning = (fromFile.signing && typeof fromFile.signing === 'object' ? fromFile.signing : {}) as Record<string, unknown>;
    fromEnv.signing = {
      ...fileSigning,
      ...(env.LOTQA_SIGNING_P12 ? { p12Path: env.LOTQA_SIGNING_P12 } : {}),
      ...(env.LOTQA_SIGNING_P12_PASSWORD_FILE ? { passwordFile: env.LOTQA_SIGNING_P12_PASSWORD_FILE } : {}),
    };
  }
  const merged = Value.Default(LotqaConfig, { ...fromFile, ...fromEnv, ...(options.overrides ?? {}) });
  const errors = [...Value.Errors(LotqaConfig, merged)];
  if (errors.length > 0) {
    const where = path ? `config file ${path} / environment` : 'environment';
    throw new ConfigError(`invalid configuration (${where}): ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  }
  return Object.freeze(merged as LotqaConfig);
}
