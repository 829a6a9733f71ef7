/**
 * @module The store on PostgreSQL (a pg.Pool, every table in one schema), shared by processes on
 * several machines. Packed readings are written with one `unnest` statement per transaction and read in
 * array mode straight from the pool (the doubles arrive bit-exact as bytea, no text parsing).
 */
import type * as pg from 'pg';
import { createRequire } from 'node:module';
import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  PostgresDialect,
  sql,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type PostgresDialectConfig,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import { redactUrl } from '../store-config.js';
import { StoreConfigError } from '../store-errors.js';
import type {
  FileRow,
  MigrationDialect,
  RunId,
  RunReadingsReader,
  RunReadingsRow,
  RunRow,
  SavepointVerb,
  StoreDb,
  StoreDialect,
  StoreTrx,
} from './store-dialect.js';
import { chunks } from './store-dialect.js';

/** pg object ids of the types that pg returns as strings by default. */
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * Type parsers for this pool only (not pg's global registry, which other libraries share): count(*),
 * sum(int) and bigint columns come back as numbers, as they do on SQLite. Every such value the store
 * reads is a count or a file size, far below 2^53.
 */
/**
 * The pg library, loaded when a PostgreSQL store first opens: an embedded (SQLite) run never pays for
 * loading it and its dependencies (~0.1 s of CPU at every start of the CLI).
 */
let pgLoaded: typeof pg | undefined;
const pgLib = (): typeof pg => (pgLoaded ??= createRequire(import.meta.url)('pg') as typeof pg);

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (text: string) => (text === null ? null : Number(text));
    return pgLib().types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** PostgreSQL could not be reached or refused the login: what to check. */
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there: is PostgreSQL running?',
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  '28P01': 'the password was refused',
  '28000': 'the login was refused (pg_hba.conf)',
  '3D000': 'create the database first (createdb)',
};

/**
 * What a dropped connection's 'error' event needs: nothing beyond being heard. The failure reaches the
 * caller through the rejected query; this listener only keeps Node from treating it as uncaught.
 */
function noteDroppedConnection(): void {}

/** Bind variables per statement (the protocol counts them in 16 bits). */
const MAX_PARAMETERS = 65_535;

const postgresMigrations: MigrationDialect = {
  types: { timestamp: 'timestamptz', json: 'jsonb', boolean: 'boolean', bytes: 'bytea' },
  trueLiteral: sql.lit(true),
  idColumn: (col: ColumnDefinitionBuilder) => col.primaryKey().generatedByDefaultAsIdentity(),
  clusteredByPrimaryKey: <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => table,
  async forbidChanges(db, table, what) {
    const message = `${what} are immutable: UPDATE and DELETE are refused. Record a new row instead.`;
    const fn = `${table}_immutable`;
    await sql`create function ${sql.id(fn)}() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(message)} (% on ${sql.raw(table)})', TG_OP using errcode = 'restrict_violation'; end $$`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_update_delete`)} before update or delete on ${sql.table(table)}
      for each row execute function ${sql.id(fn)}()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function ${sql.id(fn)}()`.execute(db);
  },
  async allowChanges(db, table) {
    await sql`drop trigger if exists ${sql.id(`${table}_no_update_delete`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists ${sql.id(`${table}_no_truncate`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ${sql.id(`${table}_immutable`)}()`.execute(db);
  },
  async storeUncompressed(db, table, column) {
    // Packed doubles hardly compress: spare PostgreSQL the attempt on large values.
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set storage external`.execute(db);
  },
  async allOrNothing(_db, fn) {
    // Kysely runs PostgreSQL migrations in one transaction (transactional DDL).
    await fn();
  },
  jsonNumber: (column, path) => sql<number | null>`(${sql.ref(column)} #>> ${sql.lit(`{${path.join(',')}}`)})::double precision`,
  jsonText: (column, path) => sql<string | null>`(${sql.ref(column)} #>> ${sql.lit(`{${path.join(',')}}`)})`,
  jsonArrayLength: (column, path) => sql<number | null>`jsonb_array_length(${sql.ref(column)} #> ${sql.lit(`{${path.join(',')}}`)})`,
};

interface CatalogColumn {
  table: string;
  table_type: string;
  column: string;
  not_null: boolean;
  has_default: boolean;
  type: string;
  type_schema: string;
  column_description: string | null;
  auto_incrementing: boolean;
}

/**
 * The catalog as the store sees it: its own schema only. Kysely's stock introspector reads the columns
 * of every schema in the database and then looks each schema up again by name (has_schema_privilege,
 * pg_get_serial_sequence); a schema that someone else drops while that query runs (another factory's
 * store, a test worker cleaning up) then fails our migration with 3F000 "schema … does not exist", and a
 * table in another schema (a `measurements` in migration 0003) would look like ours. This one filters by
 * the schema first and resolves everything else by object id.
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands introspectors a Kysely<any> (Dialect.createIntrospector)
    private readonly db: Kysely<any>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{
      name: string;
    }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows.map((r) => ({ name: r.name }));
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    // Auto-incrementing as pg_get_serial_sequence decides it (a sequence owned by the column), by oid.
    const { rows } = await sql<CatalogColumn>`
      select c.relname as table, c.relkind as table_type, a.attname as column, a.attnotnull as not_null,
        a.atthasdef as has_default, typ.typname as type, dtns.nspname as type_schema,
        col_description(a.attrelid, a.attnum) as column_description,
        exists (select 1 from pg_catalog.pg_depend dep join pg_catalog.pg_class seq on seq.oid = dep.objid
          where dep.classid = 'pg_catalog.pg_class'::regclass and dep.refobjid = c.oid and dep.refobjsubid = a.attnum
            and dep.deptype in ('a', 'i') and seq.relkind = 'S') as auto_incrementing
      from pg_catalog.pg_namespace ns
        join pg_catalog.pg_class c on c.relnamespace = ns.oid
        join pg_catalog.pg_attribute a on a.attrelid = c.oid
        join pg_catalog.pg_type typ on typ.oid = a.atttypid
        join pg_catalog.pg_namespace dtns on dtns.oid = typ.typnamespace
      where ns.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p') and a.attnum >= 0 and not a.attisdropped
      order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && (row.table === DEFAULT_MIGRATION_TABLE || row.table === DEFAULT_MIGRATION_LOCK_TABLE))
        continue;
      let table = tables.get(row.table);
      if (table === undefined) {
        table = { name: row.table, isView: row.table_type === 'v', schema: this.schema, columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        isAutoIncrementing: row.auto_incrementing,
        hasDefaultValue: row.has_default,
        comment: row.column_description ?? undefined,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** Kysely's PostgreSQL dialect with the introspector above. */
class OwnSchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of Dialect.createIntrospector
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db, this.schema);
  }
}

export interface PostgresStoreOptions {
  readonly databaseUrl: string;
  readonly pgSchema: string;
  readonly pgPoolSize: number;
}

export class PostgresStoreDialect implements StoreDialect {
  readonly backend = 'postgres' as const;
  readonly db: StoreDb;
  readonly location: string;
  readonly maxParameters = MAX_PARAMETERS;
  readonly storedTrue = true;
  readonly storedFalse = false;
  readonly migration = postgresMigrations;
  readonly writesFileBatchesInBulk = true;
  readonly migrationTableSchema: string;

  readonly #options: PostgresStoreOptions;
  readonly #pool: pg.Pool;

  constructor(options: PostgresStoreOptions) {
    this.#options = options;
    this.#pool = new (pgLib().Pool)({
      connectionString: options.databaseUrl,
      max: options.pgPoolSize,
      // Every unqualified name (tables, trigger functions, the migration tables) resolves in the schema.
      options: `-c search_path=${options.pgSchema}`,
      types: pgTypes,
      // A connection cut by a firewall or a failed-over server is noticed by the OS, not left hanging.
      keepAlive: true,
    });
    // A connection that drops (server restart, network cut) emits 'error' on its pg client. With no
    // listener, Node turns that event into an uncaught exception and the whole worker process dies
    // ("Connection terminated unexpectedly"). Listen on every client for its whole life: the query in
    // flight on it is rejected with the same error anyway (its job fails and is retried with backoff),
    // and the pool drops the broken client and opens a new one on the next query.
    this.#pool.on('error', noteDroppedConnection); // idle clients
    this.#pool.on('connect', (client) => client.on('error', noteDroppedConnection)); // checked-out clients
    this.db = new Kysely<StoreDatabase>({ dialect: new OwnSchemaPostgresDialect({ pool: this.#pool }, options.pgSchema) });
    this.migrationTableSchema = options.pgSchema;
    this.location = `${redactUrl(options.databaseUrl)} (schema ${options.pgSchema})`;
  }

  jsonFromDb(value: unknown): unknown {
    return value;
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: unknown } | null)?.code === '23505';
  }

  describeConnectionError(err: unknown): unknown {
    const raw = (err as { code?: unknown } | null)?.code;
    const code = typeof raw === 'string' ? raw : '';
    const hint = CONNECTION_CODES[code];
    if (hint === undefined) return err;
    return new StoreConfigError(`cannot open the store at ${this.location}: ${(err as Error).message} — ${hint} (check DATABASE_URL)`, {
      cause: err,
    });
  }

  async writeTransaction<T>(fn: (trx: StoreTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async savepoint(trx: StoreTrx, verb: SavepointVerb): Promise<void> {
    await sql.raw(`${verb} lotqa_file`).execute(trx);
  }

  /**
   * A session advisory lock on a connection of its own (not the pool's, so a pool of one still
   * migrates), keyed by the schema: processes migrating the same schema take turns, other schemas do
   * not wait. Released when the migration ends, or by the server when the process dies.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = new (pgLib().Client)({ connectionString: this.#options.databaseUrl });
    // A dropped lock connection must fail the migration (its query rejects), not kill the process.
    client.on('error', noteDroppedConnection);
    try {
      await client.connect();
    } catch (err) {
      throw this.describeConnectionError(err);
    }
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`lotqa-migrate:${this.#options.pgSchema}`]);
      return await fn();
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async prepareSchema(): Promise<void> {
    try {
      await this.db.schema.createSchema(this.#options.pgSchema).ifNotExists().execute();
    } catch (err) {
      // Two processes creating the schema at once: the loser sees a duplicate; the schema exists.
      const code = (err as { code?: unknown } | null)?.code;
      if (!this.isUniqueViolation(err) && code !== '42P06') throw this.describeConnectionError(err);
    }
  }

  async afterMigrations(): Promise<void> {
    // DROP TABLE already gave the space back.
  }

  async insertFile(trx: StoreTrx, row: FileRow): Promise<number | undefined> {
    const inserted = await trx
      .insertInto('files')
      .values(row)
      // Idempotency: the unique sha256 decides. A concurrent insert of the same content waits for the
      // other transaction and then inserts nothing.
      .onConflict((oc) => oc.column('sha256').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted?.id;
  }

  async insertRuns(trx: StoreTrx, runs: readonly RunRow[]): Promise<RunId[]> {
    const ids: RunId[] = [];
    for (const part of chunks(runs, 9, this.maxParameters)) {
      ids.push(...(await trx.insertInto('runs').values(part).returning(['id', 'file_id', 'run_order']).execute()));
    }
    return ids;
  }

  /** All rows in one `unnest` statement: a whole group-committed batch in one round trip. */
  async insertRunReadings(trx: StoreTrx, rows: readonly RunReadingsRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`insert into run_readings (run_id, reading_count, readings)
      select * from unnest(${rows.map((r) => r.run_id)}::int4[], ${rows.map((r) => r.reading_count)}::int4[], ${rows.map((r) => r.readings)}::bytea[])`.execute(
      trx,
    );
  }

  async readSnapshot<T>(fn: (db: StoreDb, readings: RunReadingsReader) => Promise<T>): Promise<T> {
    const db = this.db;
    const pool = this.#pool;
    return fn(db, async (runIds, visit) => {
      if (runIds.length === 0) return;
      const compiled = sql`select run_id, reading_count, readings from run_readings where run_id = any(${runIds}::int4[])`.compile(db);
      const result = await pool.query<[number, number, Buffer]>({
        text: compiled.sql,
        values: compiled.parameters as unknown[],
        rowMode: 'array',
      });
      for (const [runId, count, readings] of result.rows) visit(runId, count, readings);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
