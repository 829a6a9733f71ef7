/**
 * @module Configuration — from a JSON file (`lotqa.config.json` in the working folder, or `--config` /
 * `LOTQA_CONFIG`) and the environment, environment winning. Validated once, then frozen.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const LotqaConfig = Type.Object(
  {
    /** postgres://… selects PostgreSQL; absent → SQLite at sqlitePath. */
    databaseUrl: Type.Optional(Type.String()),
    sqlitePath: Type.String({ default: 'lotqa.sqlite' }),
    redisUrl: Type.String({ default: 'redis://127.0.0.1:6379' }),
    queuePrefix: Type.String({ default: 'lotqa', pattern: '^[A-Za-z0-9_-]+$' }),
    concurrency: Type.Integer({ minimum: 1, default: 2 }),
    retention: Type.Object(
      {
        completedCount: Type.Integer({ minimum: 0, default: 1000 }),
        failedAgeSeconds: Type.Integer({ minimum: 0, default: 7 * 24 * 3600 }),
      },
      { default: {} },
    ),
    schedule: Type.Object(
      { pattern: Type.String({ default: '0 30 6 * * *' }), tz: Type.String({ default: 'UTC' }) },
      { default: {} },
    ),
    reportsDir: Type.String({ default: 'reports' }),
    policy: Type.String({ default: 'default', description: 'Acceptance policy id (shipped) or path' }),
    company: Type.Object(
      {
        name: Type.String({ default: 'Example Photonics Ltd.' }),
        address: Type.Array(Type.String(), { default: ['1 Fab Road', 'Optics Park'] }),
        logoPath: Type.Optional(Type.String()),
      },
      { default: {} },
    ),
    showStationsOnCertificate: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type LotqaConfig = Static<typeof LotqaConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Loads and validates the configuration; `overrides` (from CLI flags) win over file and environment. */
export function loadConfig(options: { configPath?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<LotqaConfig> } = {}): Readonly<LotqaConfig> {
  const env = options.env ?? process.env;
  const path = options.configPath ?? env.LOTQA_CONFIG ?? (existsSync('lotqa.config.json') ? 'lotqa.config.json' : undefined);
  let fromFile: Record<string, unknown> = {};
  if (path) {
    try {
      fromFile = JSON.parse(readFileSync(resolve(path), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.DATABASE_URL) fromEnv.databaseUrl = env.DATABASE_URL;
  if (env.LOTQA_SQLITE_PATH) fromEnv.sqlitePath = env.LOTQA_SQLITE_PATH;
  if (env.REDIS_URL) fromEnv.redisUrl = env.REDIS_URL;
  if (env.LOTQA_QUEUE_PREFIX) fromEnv.queuePrefix = env.LOTQA_QUEUE_PREFIX;
  if (env.LOTQA_CONCURRENCY) fromEnv.concurrency = Number(env.LOTQA_CONCURRENCY);
  if (env.LOTQA_REPORTS_DIR) fromEnv.reportsDir = env.LOTQA_REPORTS_DIR;
  const merged = Value.Default(LotqaConfig, { ...fromFile, ...fromEnv, ...(options.overrides ?? {}) }) as unknown;
  const errors = [...Value.Errors(LotqaConfig, merged)];
  if (errors.length > 0) {
    const where = path ? `config file ${path} / environment` : 'environment';
    throw new ConfigError(`invalid configuration (${where}): ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  }
  return Object.freeze(merged as LotqaConfig);
}
