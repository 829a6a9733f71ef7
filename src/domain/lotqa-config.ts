/**
 * @module The configuration file's contract (`lotqa.config.json`): its TypeBox schema, the source of
 * `schemas/lotqa-config.schema.json`. Loading it (file, environment, defaults) is `src/config.ts`'s job.
 */
import { Type, type Static } from '@sinclair/typebox';

export const LotqaConfig = Type.Object(
  {
    databaseUrl: Type.Optional(
      Type.String({ description: 'postgres://… selects PostgreSQL (env DATABASE_URL); absent: SQLite at sqlitePath' }),
    ),
    sqlitePath: Type.String({ default: 'lotqa.sqlite', description: 'SQLite file of the embedded store (env LOTQA_SQLITE_PATH)' }),
    redisUrl: Type.String({
      default: 'redis://127.0.0.1:6379',
      description: 'Redis for the queues (env REDIS_URL); redis://:password@host:6379/0, rediss:// for TLS',
    }),
    queuePrefix: Type.String({
      default: 'lotqa',
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'Redis key prefix of the queues (env LOTQA_QUEUE_PREFIX)',
    }),
    /** Evaluation, report and sign-off jobs at once per queue per worker process. */
    concurrency: Type.Integer({
      minimum: 1,
      default: 2,
      description: 'evaluate and report jobs at once per worker process (env LOTQA_CONCURRENCY)',
    }),
    /**
     * File jobs at once per worker process. A file job mostly waits (file read, PostgreSQL, Redis), and the
     * files parsed while one write is in flight are written together in the next (group commit), so more
     * in flight means fewer, larger transactions: measured on 2 cores, 8 → 32 took one worker from ≈ 600
     * to ≈ 950 files/s (bench/queue-bench.ts).
     */
    ingestConcurrency: Type.Integer({
      minimum: 1,
      default: 32,
      description:
        'file jobs at once per worker process; files parsed while a write is in flight share the next transaction (env LOTQA_INGEST_CONCURRENCY)',
    }),
    retention: Type.Object(
      {
        completedCount: Type.Integer({ minimum: 0, default: 1000 }),
        failedAgeSeconds: Type.Integer({ minimum: 0, default: 7 * 24 * 3600 }),
      },
      { default: {} },
    ),
    schedule: Type.Object({ pattern: Type.String({ default: '0 30 6 * * *' }), tz: Type.String({ default: 'UTC' }) }, { default: {} }),
    reportsDir: Type.String({ default: 'reports', description: 'where reports are written (env LOTQA_REPORTS_DIR)' }),
    policy: Type.String({
      default: 'default',
      description: 'Acceptance policy id (shipped or in a catalog folder) or path (env LOTQA_POLICY)',
    }),
    /**
     * Folders of the user's own product specs, station profiles and acceptance policies (every *.json
     * with a lotqa `kind`, also in products/, profiles/, policies/ subfolders). Found by id like the
     * shipped ones, and tried by profile auto-detection. Relative folders are relative to the config file.
     */
    catalogDirs: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        "Folders of your own product specs, station profiles and policies, found by id and tried by profile detection (env LOTQA_CATALOG_DIRS, separated by ':', on Windows ';')",
    }),
    company: Type.Object(
      {
        name: Type.String({ default: 'Example Photonics Ltd.' }),
        address: Type.Array(Type.String(), { default: ['1 Fab Road', 'Optics Park'] }),
        logoPath: Type.Optional(Type.String()),
      },
      { default: {} },
    ),
    showStationsOnCertificate: Type.Boolean({ default: false }),
    /**
     * The company's signing certificate for the Certificate of Conformance. The password is never part of
     * the configuration file (nor of any job data): it comes from LOTQA_SIGNING_P12_PASSWORD or from the
     * file `passwordFile` / LOTQA_SIGNING_P12_PASSWORD_FILE (a mounted secret).
     */
    signing: Type.Optional(
      Type.Object(
        {
          p12Path: Type.Optional(
            Type.String({ description: 'PKCS#12 (.p12/.pfx) file with the signing key and certificate (env LOTQA_SIGNING_P12)' }),
          ),
          passwordFile: Type.Optional(
            Type.String({
              description:
                'File holding the PKCS#12 password, e.g. a mounted secret (env LOTQA_SIGNING_P12_PASSWORD_FILE; or the password itself in LOTQA_SIGNING_P12_PASSWORD)',
            }),
          ),
          location: Type.Optional(Type.String({ description: 'Place of signing recorded in the signature, e.g. the factory site' })),
          contactInfo: Type.Optional(Type.String({ description: 'Contact recorded in the signature, e.g. quality@example.com' })),
        },
        { additionalProperties: false },
      ),
    ),
    /** PostgreSQL schema that holds lotqa's tables (one database can serve several sites or test runs). */
    pgSchema: Type.Optional(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$', description: "PostgreSQL schema of lotqa's tables (env LOTQA_PG_SCHEMA)" }),
    ),
    /** Distributed mode (BullMQ) tuning; the defaults suit production, tests shorten the intervals. */
    queue: Type.Object(
      {
        /** Tries per job (the first included) before it stays failed. */
        attempts: Type.Integer({ minimum: 1, default: 5 }),
        /** First retry delay; later ones double (exponential backoff). */
        backoffMs: Type.Integer({ minimum: 0, default: 2000 }),
        /** How long a worker's lock on an active job lasts before it must be renewed. */
        lockDurationMs: Type.Integer({ minimum: 1000, default: 60_000 }),
        /** How often workers look for jobs whose lock expired (a crashed or frozen worker). */
        stalledIntervalMs: Type.Integer({ minimum: 500, default: 30_000 }),
        /** Times a job may stall (its worker died) before it is failed instead of handed back. */
        maxStalledCount: Type.Integer({ minimum: 0, default: 2 }),
        /** Quiet time after a lot's last ingested file before the lot is evaluated (debounce). */
        settleMs: Type.Integer({ minimum: 0, default: 5000 }),
        /** Longest wait for active jobs to finish on SIGTERM before the worker exits anyway. */
        shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 30_000 }),
        /** Run evaluation, reports and the sign-off in child processes, so locks keep renewing. */
        sandboxed: Type.Boolean({ default: true }),
      },
      { default: {} },
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://lotqa.dev/schemas/lotqa-config.schema.json',
    title: 'lotqa configuration (lotqa.config.json); environment variables override it',
  },
);
export type LotqaConfig = Static<typeof LotqaConfig>;
