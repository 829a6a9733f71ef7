/**
 * @module Files attached to a lot's review (an 8D report, a photo, a spreadsheet). The bytes are kept
 * once per SHA-256 (`attachment_blobs`), whichever lot or person attached them; each attachment is a row
 * naming the lot, the file name as sanitised by the console, its media type, who and when
 * (`lot_attachments`). Both tables are append-only: evidence is never replaced.
 */
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import { StoreInputError } from '../store-errors.js';
import { instantFromDb, normaliseSha256, nowInstant } from '../stored-values.js';

export interface AttachmentInput {
  readonly lot: string;
  /** The file name to show and to download as (the caller sanitises it). */
  readonly name: string;
  readonly mediaType: string;
  readonly content: Buffer;
  readonly uploadedBy: string;
}

export interface AttachmentRecord {
  readonly id: number;
  readonly lot: string;
  readonly sha256: string;
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

export class AttachmentRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  /** Stores the bytes (once per SHA-256) and the lot's attachment row, in one transaction. */
  async addAttachment(input: AttachmentInput): Promise<AttachmentRecord> {
    if (input.content.length === 0)
      throw new StoreInputError(`attachment "${input.name}" of lot ${input.lot} is empty: attach a file with content`);
    const sha256 = createHash('sha256').update(input.content).digest('hex');
    const row = await this.#dialect.writeTransaction(async (trx) => {
      await trx
        .insertInto('attachment_blobs')
        .values({ sha256, bytes: input.content.length, content: input.content })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      return trx
        .insertInto('lot_attachments')
        .values({
          lot: input.lot,
          sha256,
          name: input.name,
          media_type: input.mediaType,
          bytes: input.content.length,
          uploaded_by: input.uploadedBy,
          uploaded_at: nowInstant(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toAttachment(row);
  }

  /** The lot's attachments, oldest first (the same file attached twice is listed twice: who and when differ). */
  async listAttachments(lot: string): Promise<AttachmentRecord[]> {
    const rows = await this.#dialect.db.selectFrom('lot_attachments').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map(toAttachment);
  }

  /** The latest attachment of `sha256` to the lot with its bytes, or null when the lot has no such attachment. */
  async attachmentContent(lot: string, sha256: string): Promise<{ record: AttachmentRecord; content: Buffer } | null> {
    const sha = normaliseSha256(sha256, 'the attachment hash');
    const row = await this.#dialect.db
      .selectFrom('lot_attachments')
      .selectAll()
      .where('lot', '=', lot)
      .where('sha256', '=', sha)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!row) return null;
    const blob = await this.#dialect.db
      .selectFrom('attachment_blobs')
      .select('content')
      .where('sha256', '=', sha)
      .executeTakeFirstOrThrow();
    return { record: toAttachment(row), content: Buffer.from(blob.content) };
  }
}

function toAttachment(r: Selectable<StoreDatabase['lot_attachments']>): AttachmentRecord {
  return {
    id: r.id,
    lot: r.lot,
    sha256: r.sha256,
    name: r.name,
    mediaType: r.media_type,
    bytes: Number(r.bytes),
    uploadedBy: r.uploaded_by,
    uploadedAt: instantFromDb(r.uploaded_at),
  };
}
