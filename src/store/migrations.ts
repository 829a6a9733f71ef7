/**
 * @module The store's versioned migrations, defined in code so SQLite and PostgreSQL run the same
 * list (a Kysely MigrationProvider, not a folder scan). What differs by database (column types, the
 * id column, append-only triggers) comes from the dialect's {@link MigrationDialect}. Never change
 * what a shipped migration creates; add the next one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { MigrationDialect } from './dialect/store-dialect.js';
import { packRunReadings } from './run-readings.js';
import { CHAINED_TABLES, linkExistingRows } from './records/hash-chain.js';

/** 0001: files, lots, dictionaries, runs, measurements, quarantine, rejected files. */
function initialMeasurementStore(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  const id = dialect.idColumn;
  return {
    async up(db) {
      await db.schema
        .createTable('files')
        .addColumn('id', 'integer', id)
        .addColumn('sha256', 'text', (c) => c.notNull().unique())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('profile_choice', 'text', (c) => c.notNull())
        .addColumn('data_rows', 'integer', (c) => c.notNull())
        .addColumn('run_count', 'integer', (c) => c.notNull())
        .addColumn('measurement_count', 'integer', (c) => c.notNull())
        .addColumn('quarantine_count', 'integer', (c) => c.notNull())
        .addColumn('stored_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('lots')
        .addColumn('id', 'integer', id)
        .addColumn('lot', 'text', (c) => c.notNull().unique())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      for (const dictionary of ['parameters', 'corners']) {
        await db.schema
          .createTable(dictionary)
          .addColumn('id', 'integer', id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .execute();
      }

      await db.schema
        .createTable('runs')
        .addColumn('id', 'integer', id)
        .addColumn('file_id', 'integer', (c) => c.notNull().references('files.id'))
        .addColumn('lot_id', 'integer', (c) => c.notNull().references('lots.id'))
        .addColumn('run_order', 'integer', (c) => c.notNull())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('station', 'text', (c) => c.notNull())
        .addColumn('test_time', t.timestamp, (c) => c.notNull())
        .addColumn('declared_attempt', 'integer')
        .addColumn('operator', 'text')
        .addColumn('measurement_count', 'integer', (c) => c.notNull())
        .addUniqueConstraint('runs_file_order_unique', ['file_id', 'run_order'])
        .execute();
      await db.schema.createIndex('runs_lot_serial_idx').on('runs').columns(['lot_id', 'serial']).execute();

      // Narrow on purpose (a year is hundreds of millions of rows). The primary key clusters a run's
      // measurements together (SQLite: WITHOUT ROWID table) and refuses a duplicate reading. No foreign
      // key to runs: a per-row RI check would dominate PostgreSQL insert time, and the only writer
      // (recordParsedFile) inserts the runs and their measurements in one transaction.
      await db.schema
        .createTable('measurements')
        .addColumn('run_id', 'integer', (c) => c.notNull())
        .addColumn('parameter_id', 'smallint', (c) => c.notNull())
        .addColumn('corner_id', 'smallint', (c) => c.notNull())
        .addColumn('lane', 'smallint', (c) => c.notNull().check(sql`lane >= -1`))
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('censoring', 'smallint', (c) => c.notNull().check(sql`censoring in (0, 1, 2)`))
        .addColumn('line', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('measurements_pk', ['run_id', 'parameter_id', 'corner_id', 'lane'])
        .$call(dialect.clusteredByPrimaryKey)
        .execute();

      await db.schema
        .createTable('quarantine')
        .addColumn('id', 'integer', id)
        .addColumn('file_id', 'integer', (c) => c.notNull().references('files.id'))
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('column_name', 'text')
        .addColumn('raw_value', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quarantine_file_idx').on('quarantine').columns(['file_id', 'line']).execute();

      await db.schema
        .createTable('rejected_files')
        .addColumn('id', 'integer', id)
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text')
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('line', 'integer')
        .addColumn('received_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * 0002: the records of the decision stage. Decisions and audit events are append-only, enforced by
 * triggers in the database itself (not only by the absence of update methods).
 */
function decisionRecords(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  const id = dialect.idColumn;
  return {
    async up(db) {
      await db.schema
        .createTable('baselines')
        .addColumn('id', 'integer', id)
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('active', t.boolean, (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addUniqueConstraint('baselines_product_version_unique', ['product_id', 'version'])
        .execute();
      // At most one active baseline per product, enforced by a partial unique index (both dialects).
      await db.schema
        .createIndex('baselines_one_active_idx')
        .on('baselines')
        .column('product_id')
        .unique()
        .where(sql.ref('active'), '=', dialect.trueLiteral)
        .execute();

      await db.schema
        .createTable('lot_evaluations')
        .addColumn('id', 'integer', id)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('result_sha256', 'text', (c) => c.notNull())
        .addColumn('result', t.json, (c) => c.notNull())
        .addColumn('evaluated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('lot_evaluations_lot_revision_unique', ['lot', 'revision'])
        .execute();

      await db.schema
        .createTable('decisions')
        .addColumn('id', 'integer', id)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('hold', 'final')`))
        .addColumn('disposition', 'text', (c) => c.notNull().check(sql`disposition in ('ACCEPT', 'REJECT', 'HOLD')`))
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_kind', 'text', (c) => c.notNull().check(sql`decided_kind in ('policy', 'engineer')`))
        .addColumn('decided_at', t.timestamp, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('result_sha256', 'text', (c) => c.notNull())
        .addColumn('spec_version', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'text', (c) => c.notNull())
        .addColumn('baseline_version', 'integer')
        .addColumn('supersedes', 'integer', (c) => c.references('decisions.id'))
        .addUniqueConstraint('decisions_lot_revision_stage_unique', ['lot', 'revision', 'stage'])
        .addCheckConstraint('decisions_stage_matches_disposition', sql`(stage = 'hold') = (disposition = 'HOLD')`)
        .execute();
      await dialect.forbidChanges(db, 'decisions', 'Decisions');

      await db.schema
        .createTable('sampling_state')
        .addColumn('product_id', 'text', (c) => c.primaryKey())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('certificates')
        .addColumn('id', 'integer', id)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull().unique())
        .addColumn('pdf_sha256', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('issued_at', t.timestamp, (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('certificates_lot_idx').on('certificates').columns(['lot', 'revision']).execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'integer', id)
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('lot', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_lot_idx').on('audit_events').columns(['lot', 'id']).execute();
      await dialect.forbidChanges(db, 'audit_events', 'Audit events');
    },
  };
}

/** Runs moved per step of the 0003 copy (bounds memory on a store with years of data). */
const RUNS_PER_COPY_STEP = 2000;

/**
 * 0003: a run's readings become one packed record (run-readings.ts) instead of a row each. Existing
 * readings are copied run by run, in the same transaction as the schema change (all or nothing), then
 * the row table is dropped.
 */
function packedRunReadings(dialect: MigrationDialect): Migration {
  return {
    async up(db) {
      await dialect.allOrNothing(db, async () => {
        await db.schema
          .createTable('run_readings')
          .ifNotExists()
          .addColumn('run_id', 'integer', (c) => c.primaryKey().references('runs.id'))
          .addColumn('reading_count', 'integer', (c) => c.notNull().check(sql`reading_count >= 0`))
          .addColumn('readings', dialect.types.bytes, (c) => c.notNull())
          .execute();
        await dialect.storeUncompressed(db, 'run_readings', 'readings');
        const tables = await db.introspection.getTables();
        // Re-run after the copy committed but before Kysely recorded the migration: nothing left to do.
        if (tables.some((t) => t.name === 'measurements')) {
          await copyReadingRows(db);
          await db.schema.dropTable('measurements').execute();
        }
      });
    },
  };
}

/** 0003's copy: every run's reading rows, packed, a step of runs at a time (bounded memory). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
async function copyReadingRows(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const runs = await db.selectFrom('runs').select('id').where('id', '>', after).orderBy('id').limit(RUNS_PER_COPY_STEP).execute();
    if (runs.length === 0) return;
    const ids = runs.map((r) => Number(r.id));
    after = ids[ids.length - 1]!;
    const rows = await db
      .selectFrom('measurements')
      .select(['run_id', 'parameter_id', 'corner_id', 'lane', 'value', 'censoring', 'line'])
      .where('run_id', '>=', ids[0]!)
      .where('run_id', '<=', after)
      .execute();
    const byRun = new Map<number, Record<string, unknown>[]>();
    for (const row of rows) {
      const runId = Number(row.run_id);
      const list = byRun.get(runId);
      if (list) list.push(row);
      else byRun.set(runId, [row]);
    }
    const packed = ids.map((runId) => {
      const list = byRun.get(runId) ?? [];
      const column = (k: string): number[] => list.map((r) => Number(r[k]));
      const readings = packRunReadings(
        {
          length: list.length,
          parameterId: column('parameter_id'),
          cornerId: column('corner_id'),
          lane: column('lane'),
          value: column('value'),
          censoring: column('censoring'),
          line: column('line'),
        },
        (i) => `run ${runId} line ${String(list[i]?.line)}`,
      );
      return { run_id: runId, reading_count: list.length, readings };
    });
    for (let i = 0; i < packed.length; i += 500)
      await db
        .insertInto('run_readings')
        .values(packed.slice(i, i + 500))
        .execute();
  }
}

/**
 * 0004: what a lot's status needs from its evaluations, as columns beside the result document, so
 * listings and status pages never read the (multi-megabyte) LotResult: the proposed disposition, the
 * unit count, the first-pass and final yields, and the number of files evaluated (a lot's files are
 * only ever added, so fewer stored files than that means nothing new; more means new data). Existing
 * rows are filled from their stored result, in SQL.
 */
function evaluationSummaries(dialect: MigrationDialect): Migration {
  return {
    async up(db) {
      await dialect.allOrNothing(db, async () => {
        await db.schema.alterTable('lot_evaluations').addColumn('proposal', 'text').execute();
        await db.schema.alterTable('lot_evaluations').addColumn('units', 'integer').execute();
        await db.schema.alterTable('lot_evaluations').addColumn('file_count', 'integer').execute();
        await db.schema.alterTable('lot_evaluations').addColumn('first_pass_yield', 'double precision').execute();
        await db.schema.alterTable('lot_evaluations').addColumn('final_yield', 'double precision').execute();
        await db
          .updateTable('lot_evaluations')
          .set({
            proposal: dialect.jsonText('result', ['proposal', 'disposition']),
            units: dialect.jsonNumber('result', ['quantity', 'units']),
            file_count: dialect.jsonArrayLength('result', ['fileHashes']),
            first_pass_yield: dialect.jsonNumber('result', ['yields', 'firstPass']),
            final_yield: dialect.jsonNumber('result', ['yields', 'final']),
          })
          .execute();
      });
    },
  };
}

/**
 * 0005: the evidence records. (1) The documents an evaluation used (spec, policy, baseline), stored by
 * content hash, and the hashes on each evaluation, so asking again with other inputs is a new revision.
 * (2) A lot's customer, purchase order and ship-to. (3) Certificates as issued records: a number and a
 * revision, append-only like decisions. (4) A hash chain over evaluations, decisions, certificates and
 * audit events: each new row carries its predecessor's hash and its own; the head of each chain is one
 * row of `hash_chain_heads`, updated first in the writing transaction, which serialises the writers of
 * a chain on both databases (a row lock on PostgreSQL, the write lock on SQLite). Rows stored before
 * 0005 are linked by the migration itself, in id order.
 */
function evidenceRecords(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  return {
    async up(db) {
      await dialect.allOrNothing(db, async () => {
        await db.schema
          .createTable('input_documents')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('product', 'policy', 'baseline')`))
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('content', t.json, (c) => c.notNull())
          .addColumn('stored_at', t.timestamp, (c) => c.notNull())
          .execute();
        await dialect.forbidChanges(db, 'input_documents', 'Stored input documents');

        for (const column of ['spec_sha256', 'policy_sha256', 'baseline_sha256', 'inputs_sha256'])
          await db.schema.alterTable('lot_evaluations').addColumn(column, 'text').execute();

        await db.schema
          .createTable('lot_shipments')
          .addColumn('lot', 'text', (c) => c.primaryKey())
          .addColumn('customer', 'text')
          .addColumn('purchase_order', 'text')
          .addColumn('ship_to', 'text')
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();

        await db.schema.alterTable('certificates').addColumn('certificate_number', 'text').execute();
        await db.schema.alterTable('certificates').addColumn('certificate_revision', 'integer').execute();
        await db
          .updateTable('certificates')
          .set({ certificate_number: dialect.jsonText('payload', ['certificateNumber']), certificate_revision: 1 })
          .execute();
        await db.schema
          .createIndex('certificates_number_revision_unique')
          .on('certificates')
          .columns(['certificate_number', 'certificate_revision'])
          .unique()
          .execute();
        await db.schema.createIndex('certificates_pdf_idx').on('certificates').column('pdf_sha256').execute();

        for (const table of CHAINED_TABLES) {
          await db.schema.alterTable(table).addColumn('prev_hash', 'text').execute();
          await db.schema.alterTable(table).addColumn('row_hash', 'text').execute();
        }
        await db.schema
          .createTable('hash_chain_heads')
          .addColumn('chain', 'text', (c) => c.primaryKey())
          .addColumn('row_hash', 'text')
          .addColumn('row_count', 'integer', (c) => c.notNull())
          .execute();
        await db
          .insertInto('hash_chain_heads')
          .values(CHAINED_TABLES.map((chain) => ({ chain, row_hash: null, row_count: 0 })))
          .execute();
        // The rows stored before 0005 are linked too (the append-only triggers lifted for this only, in
        // the same all-or-nothing migration), so an upgraded store is protected from its first row.
        await dialect.allowChanges(db, 'decisions');
        await dialect.allowChanges(db, 'audit_events');
        await linkExistingRows(db);
        await dialect.forbidChanges(db, 'decisions', 'Decisions');
        await dialect.forbidChanges(db, 'audit_events', 'Audit events');
        await dialect.forbidChanges(db, 'certificates', 'Issued certificates');
      });
    },
  };
}

/**
 * 0006: the stations' own verdicts and limits, kept as evidence (domain/station-evidence.ts): per file
 * the verdict on each run, and the limits its stations tested against as a limit set shared by every
 * file with the same limits (a 10,000-file lot from one station setup stores one set); and an index of
 * runs by serial, to find a lot's serials in other lots.
 */
function stationEvidence(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  return {
    async up(db) {
      await dialect.allOrNothing(db, async () => {
        await db.schema
          .createTable('station_limit_sets')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('limits', t.json, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('station_evidence')
          .addColumn('file_id', 'integer', (c) => c.primaryKey().references('files.id'))
          .addColumn('verdicts', t.json, (c) => c.notNull())
          .addColumn('limit_set', 'text', (c) => c.references('station_limit_sets.sha256'))
          .execute();
        // A serial's runs across lots (a serial seen in another lot is warned about: queries/serials-elsewhere.ts).
        await db.schema.createIndex('runs_serial_idx').on('runs').column('serial').execute();
      });
    },
  };
}

/**
 * 0007: the console's accounts (argon2id password hashes, one role each), API tokens for machines
 * (SHA-256 of the token only), the electronic signatures of a decision as a JSON column beside it
 * (written once with the decision; the table stays append-only), and signed proposals waiting for a
 * second approver under a policy's two-person rule (append-only: the latest proposal of a revision is
 * the open one until the revision has its final decision), and the review notes of held lots (owner,
 * comments, 8D/NCR references; append-only), and webhooks with their delivery log.
 */
function consoleAccounts(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  return {
    async up(db) {
      await db.schema
        .createTable('accounts')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('full_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'engineer', 'approver', 'admin')`))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('active', t.boolean, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
        .addColumn('username', 'text', (c) => c.notNull().references('accounts.username'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.alterTable('decisions').addColumn('signatures', t.json).execute();
      await db.schema
        .createTable('decision_proposals')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('disposition', 'text', (c) => c.notNull().check(sql`disposition in ('ACCEPT', 'REJECT')`))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('deviation', 'text')
        .addColumn('signature', t.json, (c) => c.notNull())
        .addColumn('proposed_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('decision_proposals_lot_idx').on('decision_proposals').columns(['lot', 'revision']).execute();
      await dialect.forbidChanges(db, 'decision_proposals', 'Decision proposals');
      await db.schema
        .createTable('review_notes')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('owner', 'comment', 'reference')`))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('review_notes_lot_idx').on('review_notes').column('lot').execute();
      await dialect.forbidChanges(db, 'review_notes', 'Review notes');
      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('from_audit_id', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id'))
        .addColumn('audit_event_id', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'audit_event_id'])
        .execute();
    },
  };
}

/**
 * 0008: files attached to a lot's review (8D report, photo, spreadsheet), kept by content (SHA-256: the
 * same bytes attached twice are stored once) and listed per lot (append-only); and baselines that await
 * an approver's electronic signature (`approval`: null when none was needed — every baseline made before
 * 0008 — else pending, approved or rejected) with their signatures (append-only).
 */
function reviewAttachmentsAndBaselineApproval(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  return {
    async up(db) {
      await db.schema
        .createTable('attachment_blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('content', t.bytes, (c) => c.notNull())
        .execute();
      await dialect.forbidChanges(db, 'attachment_blobs', 'Attachment contents');
      await db.schema
        .createTable('lot_attachments')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_blobs.sha256'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('lot_attachments_lot_idx').on('lot_attachments').columns(['lot', 'sha256']).execute();
      await dialect.forbidChanges(db, 'lot_attachments', 'Lot attachments');
      await db.schema
        .alterTable('baselines')
        .addColumn('approval', 'text', (c) => c.check(sql`approval in ('pending', 'approved', 'rejected')`))
        .execute();
      await db.schema
        .createTable('baseline_signatures')
        .addColumn('id', 'integer', dialect.idColumn)
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('approve', 'reject')`))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('signature', t.json, (c) => c.notNull())
        .addColumn('signed_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('baseline_signatures_idx').on('baseline_signatures').columns(['product_id', 'version']).execute();
      await dialect.forbidChanges(db, 'baseline_signatures', 'Baseline signatures');
    },
  };
}

/**
 * 0010: the lot pages' summaries (src/domain/lot-page-summary.ts): a few kilobytes per evaluated
 * revision beside its megabytes of result, so the console's lot page never reads the result. Derived
 * data keyed by the result's SHA-256; evaluations stored before 0010 get theirs when first viewed.
 */
function lotPageSummaries(dialect: MigrationDialect): Migration {
  const t = dialect.types;
  return {
    async up(db) {
      await db.schema
        .createTable('lot_page_summaries')
        .addColumn('lot', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('result_sha256', 'text', (c) => c.notNull())
        .addColumn('summary', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('lot_page_summaries_pk', ['lot', 'revision'])
        .execute();
    },
  };
}

/** Every migration, in order. Names sort in execution order. */
const MIGRATIONS: readonly (readonly [name: string, migration: (dialect: MigrationDialect) => Migration])[] = [
  ['0001-measurement-store', initialMeasurementStore],
  ['0002-decision-records', decisionRecords],
  ['0003-packed-run-readings', packedRunReadings],
  ['0004-evaluation-summaries', evaluationSummaries],
  ['0005-evidence', evidenceRecords],
  ['0006-lots', stationEvidence],
  ['0007-console', consoleAccounts],
  ['0008-review-attachments', reviewAttachmentsAndBaselineApproval],
  ['0010-lot-page-summaries', lotPageSummaries],
];

/** The migrations' names in execution order (what `migrate` reports as applied on an empty store). */
export const STORE_MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

/** The migrations from `first` (inclusive) to the newest: what an older store still has to apply. */
export function migrationsFrom(first: string): string[] {
  const at = STORE_MIGRATION_NAMES.indexOf(first);
  if (at < 0) throw new Error(`no store migration named ${first}`);
  return STORE_MIGRATION_NAMES.slice(at);
}

/** Every migration, keyed by name, built for one dialect. */
export function storeMigrations(dialect: MigrationDialect): Record<string, Migration> {
  return Object.fromEntries(MIGRATIONS.map(([name, migration]) => [name, migration(dialect)]));
}

/** The migrations as a Kysely provider (the same list for both dialects). */
export function storeMigrationProvider(dialect: MigrationDialect): MigrationProvider {
  const migrations = storeMigrations(dialect);
  return { getMigrations: () => Promise.resolve(migrations) };
}
