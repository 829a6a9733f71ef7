/**
 * @module The hash chain over the store's permanent records (evaluations, decisions, certificates,
 * audit events): every row written since migration 0005 carries `prev_hash`, the `row_hash` of the row
 * before it in the same table, and its own `row_hash` = SHA-256 of the predecessor's hash and the row's
 * content (canonical JSON, as the store reads it back). Editing a row, deleting one, inserting one by
 * hand or cutting the tail breaks a link that {@link verifyHashChains} finds.
 *
 * The head of each chain (last hash, row count) is a row of `hash_chain_heads`. A writer updates the
 * head FIRST in its write transaction: on PostgreSQL that row lock makes concurrent writers of a chain
 * take turns (the second reads the head the first committed), on SQLite the update takes the database
 * write lock at once. So two writers can never both append after the same row (no fork).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { StoreDialect, StoreTrx } from '../dialect/store-dialect.js';
import type { Kysely } from 'kysely';
import { instantFromDb } from '../stored-values.js';

/** The tables whose rows are chained by hash, one chain each. */
export const CHAINED_TABLES = ['lot_evaluations', 'decisions', 'certificates', 'audit_events'] as const;

export type ChainName = (typeof CHAINED_TABLES)[number];

/** JSON with object keys sorted at every level: one text per content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash a row carries: its predecessor's hash (the empty string for the first row) and its content. */
export function chainRowHash(prevHash: string | null, content: Record<string, unknown>): string {
  return createHash('sha256')
    .update(`${prevHash ?? ''}\n${canonical(content)}`, 'utf8')
    .digest('hex');
}

/**
 * Inside the write transaction, before the row is inserted: takes the chain's head (locking it until
 * commit) and returns the link columns of the new row. `content` must be what {@link chainContent}
 * reads back from the inserted row.
 */
export async function linkRow(
  trx: StoreTrx,
  chain: ChainName,
  content: Record<string, unknown>,
): Promise<{ prev_hash: string | null; row_hash: string }> {
  const head = await trx
    .updateTable('hash_chain_heads')
    .set({ row_count: sql`row_count + 1` })
    .where('chain', '=', chain)
    .returning(['row_hash'])
    .executeTakeFirstOrThrow();
  const row_hash = chainRowHash(head.row_hash, content);
  await trx.updateTable('hash_chain_heads').set({ row_hash }).where('chain', '=', chain).execute();
  return { prev_hash: head.row_hash, row_hash };
}

const BATCH = 2000;

/** The columns a chain covers, per table (never the id, the link columns or the evaluation's result document, which `result_sha256` names). */
const COVERED: Record<ChainName, readonly string[]> = {
  lot_evaluations: [
    'lot',
    'revision',
    'content_hash',
    'result_sha256',
    'evaluated_at',
    'spec_sha256',
    'policy_sha256',
    'baseline_sha256',
    'inputs_sha256',
  ],
  decisions: [
    'lot',
    'revision',
    'stage',
    'disposition',
    'decided_by',
    'decided_kind',
    'decided_at',
    'reason',
    'result_sha256',
    'spec_version',
    'policy_version',
    'baseline_version',
    'supersedes',
  ],
  certificates: [
    'lot',
    'revision',
    'document_id',
    'pdf_sha256',
    'path',
    'issued_at',
    'payload',
    'certificate_number',
    'certificate_revision',
  ],
  audit_events: ['at', 'lot', 'kind', 'actor', 'payload'],
};
const TIME_COLUMNS = new Set(['evaluated_at', 'decided_at', 'issued_at', 'at']);
const JSON_COLUMNS = new Set(['payload']);

/**
 * A row's covered content as plain values: instants as ISO text, JSON parsed, numbers as numbers (a
 * PostgreSQL int8 or a SQLite integer read back alike). Used when writing (from the values inserted)
 * and when verifying (from the row read back), so both sides hash the same thing.
 */
export function chainContent(
  dialect: Pick<StoreDialect, 'jsonFromDb'>,
  chain: ChainName,
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const column of COVERED[chain]) {
    const v = row[column];
    if (v === undefined || v === null) content[column] = null;
    else if (TIME_COLUMNS.has(column)) content[column] = instantFromDb(v as Date | string);
    else if (JSON_COLUMNS.has(column)) content[column] = typeof v === 'string' ? JSON.parse(v) : dialect.jsonFromDb(v);
    else if (typeof v === 'bigint') content[column] = Number(v);
    else content[column] = v;
  }
  return content;
}

/**
 * Migration 0005: links the rows stored before the chain existed, in id order, and sets each chain's
 * head, so an upgraded store is protected from its first row (the caller lifts the append-only triggers
 * around it). JSON columns arrive parsed (PostgreSQL) or as text (SQLite); both hash alike.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
export async function linkExistingRows(db: Kysely<any>): Promise<void> {
  const asRead = { jsonFromDb: (v: unknown) => v };
  for (const chain of CHAINED_TABLES) {
    let prev: string | null = null;
    let count = 0;
    let after = 0;
    for (;;) {
      const rows = (await db
        .selectFrom(chain)
        .select(['id', ...COVERED[chain]])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute()) as Record<string, unknown>[];
      if (rows.length === 0) break;
      for (const row of rows) {
        after = Number(row.id);
        const row_hash = chainRowHash(prev, chainContent(asRead, chain, row));
        await db.updateTable(chain).set({ prev_hash: prev, row_hash }).where('id', '=', after).execute();
        prev = row_hash;
        count++;
      }
    }
    await db.updateTable('hash_chain_heads').set({ row_hash: prev, row_count: count }).where('chain', '=', chain).execute();
  }
}

/** One broken link or edited row. */
export interface ChainProblem {
  readonly chain: ChainName;
  /** The row's id (null for a problem of the chain's head). */
  readonly id: number | null;
  readonly problem: string;
}

export interface ChainReport {
  readonly chain: ChainName;
  /** Rows carrying a link. */
  readonly linked: number;
  /** Rows stored before the chain began (migration 0005): not protected. */
  readonly beforeChain: number;
  readonly problems: readonly ChainProblem[];
}

/** Walks every chain in id order and reports each row whose link or content does not hold. */
export async function verifyHashChains(dialect: StoreDialect): Promise<ChainReport[]> {
  const reports: ChainReport[] = [];
  for (const chain of CHAINED_TABLES) {
    const problems: ChainProblem[] = [];
    let linked = 0;
    let beforeChain = 0;
    let prev: string | null = null;
    let started = false;
    let after = 0;
    const columns = ['id', 'prev_hash', 'row_hash', ...COVERED[chain]];
    for (;;) {
      const rows = (await dialect.db
        .selectFrom(chain)
        .select(columns as never[])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute()) as unknown as Record<string, unknown>[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = Number(row.id);
        after = id;
        const rowHash = row.row_hash as string | null;
        const prevHash = row.prev_hash as string | null;
        if (rowHash === null) {
          if (started) problems.push({ chain, id, problem: 'row without a hash after the chain began (inserted outside lotqa)' });
          else beforeChain++;
          continue;
        }
        started = true;
        linked++;
        if (prevHash !== prev)
          problems.push({
            chain,
            id,
            problem: `broken link: prev_hash ${short(prevHash)} but the row before holds ${short(prev)} (a row was removed, inserted or edited before it)`,
          });
        const expected = chainRowHash(prevHash, chainContent(dialect, chain, row));
        if (expected !== rowHash)
          problems.push({ chain, id, problem: `content changed: the row re-hashes to ${short(expected)}, not ${short(rowHash)}` });
        prev = rowHash;
      }
    }
    const head = await dialect.db
      .selectFrom('hash_chain_heads')
      .select(['row_hash', 'row_count'])
      .where('chain', '=', chain)
      .executeTakeFirst();
    if (!head) problems.push({ chain, id: null, problem: 'the chain head is missing' });
    else {
      if (head.row_hash !== prev)
        problems.push({
          chain,
          id: null,
          problem: `the head holds ${short(head.row_hash)} but the last row ${short(prev)} (rows removed at the end?)`,
        });
      if (Number(head.row_count) !== linked)
        problems.push({ chain, id: null, problem: `the head counts ${head.row_count} linked rows, the table has ${linked}` });
    }
    reports.push({ chain, linked, beforeChain, problems });
  }
  return reports;
}

const short = (h: string | null): string => (h === null ? '(none)' : `${h.slice(0, 12)}…`);
