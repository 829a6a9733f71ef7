/**
 * @module Console accounts and API tokens. The store keeps only an account's argon2id hash and a
 * token's SHA-256: hashing and checking passwords is the caller's (`src/pipeline/accounts.ts`), so no
 * secret ever reaches SQL. Accounts are never deleted (a signature names its signer forever); they are
 * deactivated.
 */
import type { Selectable } from 'kysely';
import type { AccountRole, ESignature } from '../../domain/e-signature.js';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import { RecordConflictError } from '../store-errors.js';
import { checkDecisionSignatures } from '../stored-documents.js';
import { instantFromDb, jsonToDb, nowInstant } from '../stored-values.js';

type AccountRow = Selectable<StoreDatabase['accounts']>;

export interface AccountInput {
  readonly username: string;
  readonly fullName: string;
  readonly role: AccountRole;
  /** argon2id encoded hash. */
  readonly passwordHash: string;
}

export interface AccountRecord {
  readonly username: string;
  readonly fullName: string;
  readonly role: AccountRole;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly active: boolean;
}

export interface ProposalInput {
  readonly lot: string;
  readonly revision: number;
  readonly disposition: 'ACCEPT' | 'REJECT';
  readonly reason: string;
  readonly deviation: string | null;
  readonly signature: ESignature;
}

export interface ProposalRecord extends ProposalInput {
  readonly id: number;
  readonly proposedAt: string;
}

export type ReviewNoteKind = 'owner' | 'comment' | 'reference';

export interface ReviewNote {
  readonly id: number;
  readonly lot: string;
  readonly kind: ReviewNoteKind;
  readonly text: string;
  readonly author: string;
  readonly at: string;
}

export interface ApiTokenRecord {
  readonly id: number;
  readonly username: string;
  readonly label: string;
  readonly createdAt: string;
}

export class AccountRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async createAccount(input: AccountInput): Promise<AccountRecord> {
    const dialect = this.#dialect;
    try {
      const row = await dialect.writeTransaction((trx) =>
        trx
          .insertInto('accounts')
          .values({
            username: input.username,
            full_name: input.fullName,
            role: input.role,
            password_hash: input.passwordHash,
            created_at: nowInstant(),
            active: dialect.storedTrue,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toAccount(row);
    } catch (err) {
      if (dialect.isUniqueViolation(err))
        throw new RecordConflictError(`account "${input.username}" exists already; choose another name`, { cause: err });
      throw err;
    }
  }

  async getAccount(username: string): Promise<AccountRecord | null> {
    const row = await this.#dialect.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? toAccount(row) : null;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (await this.#dialect.db.selectFrom('accounts').selectAll().orderBy('username').execute()).map(toAccount);
  }

  async countAccounts(): Promise<number> {
    const row = await this.#dialect.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createApiToken(username: string, label: string, tokenSha256: string): Promise<ApiTokenRecord> {
    const row = await this.#dialect.writeTransaction((trx) =>
      trx
        .insertInto('api_tokens')
        .values({ token_sha256: tokenSha256, username, label, created_at: nowInstant() })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return { id: row.id, username: row.username, label: row.label, createdAt: instantFromDb(row.created_at) };
  }

  /** The active account a token (by its SHA-256) belongs to, or null. */
  async accountOfToken(tokenSha256: string): Promise<AccountRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('api_tokens as t')
      .innerJoin('accounts as a', 'a.username', 't.username')
      .selectAll('a')
      .where('t.token_sha256', '=', tokenSha256)
      .executeTakeFirst();
    return row ? toAccount(row) : null;
  }
}

/** Signed proposals waiting for a second approver (two-person rule) and held lots' review notes; both append-only. */
export class ProposalRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async addReviewNote(input: { lot: string; kind: ReviewNoteKind; text: string; author: string }): Promise<ReviewNote> {
    const row = await this.#dialect.writeTransaction((trx) =>
      trx
        .insertInto('review_notes')
        .values({ lot: input.lot, kind: input.kind, text: input.text, author: input.author, at: nowInstant() })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return { ...row, at: instantFromDb(row.at) };
  }

  /** The lot's review notes, oldest first. */
  async reviewNotes(lot: string): Promise<ReviewNote[]> {
    const rows = await this.#dialect.db.selectFrom('review_notes').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => ({ ...r, at: instantFromDb(r.at) }));
  }

  async addProposal(input: ProposalInput): Promise<ProposalRecord> {
    const [signature] = checkDecisionSignatures([input.signature], `the proposal on lot ${input.lot}`);
    const row = await this.#dialect.writeTransaction((trx) =>
      trx
        .insertInto('decision_proposals')
        .values({
          lot: input.lot,
          revision: input.revision,
          disposition: input.disposition,
          reason: input.reason,
          deviation: input.deviation,
          signature: jsonToDb(signature),
          proposed_at: nowInstant(),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return this.#toProposal(row);
  }

  /** The latest proposal on the revision, or null. */
  async latestProposal(lot: string, revision: number): Promise<ProposalRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('decision_proposals')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? this.#toProposal(row) : null;
  }

  #toProposal(r: Selectable<StoreDatabase['decision_proposals']>): ProposalRecord {
    const [signature] = checkDecisionSignatures([this.#dialect.jsonFromDb(r.signature)], `proposal ${r.id} on lot ${r.lot}`);
    return {
      id: r.id,
      lot: r.lot,
      revision: r.revision,
      disposition: r.disposition,
      reason: r.reason,
      deviation: r.deviation,
      signature: signature!,
      proposedAt: instantFromDb(r.proposed_at),
    };
  }
}

function toAccount(r: AccountRow): AccountRecord {
  return {
    username: r.username,
    fullName: r.full_name,
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: instantFromDb(r.created_at),
    active: Boolean(r.active),
  };
}
