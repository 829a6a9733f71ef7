/**
 * @module The Store: the one typed query layer over the measurement database (SQLite embedded, or
 * PostgreSQL for several machines). Everything else in lotqa reads and writes stored data through
 * this interface; nothing else speaks SQL.
 */
import type { Baseline } from '../domain/baseline.js';
import type { DecisionRecord } from '../domain/decision.js';
import type { LotResult } from '../domain/lot-result.js';
import type { AuditEntry, CertificatePayload, SamplingState } from '../domain/stored-documents.js';
import type { LotData } from '../domain/lot-data.js';
import type { EvaluationInputs, InputHashes, InputKind } from '../domain/evaluation-inputs.js';
import type { ChainReport } from './records/hash-chain.js';
import type { ParsedFile, QuarantineEntry, RejectedFile } from '../domain/measurement.js';
import type { StoreBackend } from './store-config.js';
import type { StoreDialect } from './dialect/store-dialect.js';
import type { MigrationReport } from './store-migration.js';
import type { AccountRecords, ProposalRecords } from './records/account-records.js';
import type { LotPageSummaryRecords } from './records/lot-page-summary-records.js';
export type { WebhookDelivery, WebhookRecord } from './records/webhook-records.js';
import type { WebhookRecords } from './records/webhook-records.js';
import type { AttachmentRecords } from './records/attachment-records.js';
import type { BaselineApprovalRecords, BaselineState } from './records/baseline-approval-records.js';
export type { AttachmentInput, AttachmentRecord } from './records/attachment-records.js';
export type { BaselineSignatureRecord, BaselineState } from './records/baseline-approval-records.js';

export type { MigrationReport } from './store-migration.js';
export type {
  AccountInput,
  AccountRecord,
  ApiTokenRecord,
  ProposalInput,
  ProposalRecord,
  ReviewNote,
  ReviewNoteKind,
} from './records/account-records.js';

export interface RecordFileResult {
  /** 'duplicate' when a file with the same SHA-256 is already stored (then nothing was added). */
  readonly status: 'stored' | 'duplicate';
  readonly fileId: number;
  /** Lots the file's runs belong to, sorted. Empty when every row was quarantined. */
  readonly lots: readonly string[];
}

/** One file's outcome in {@link Store.recordParsedFileBatch}: stored (or duplicate), or its own error. */
export type BatchFileOutcome = { readonly ok: true; readonly result: RecordFileResult } | { readonly ok: false; readonly error: Error };

export interface RecordRejectedResult {
  readonly status: 'stored' | 'duplicate';
  readonly rejectedFileId: number;
}

export interface LotSummary {
  readonly lot: string;
  readonly productId: string;
  /** Distinct serials. */
  readonly units: number;
  /** Test runs, retests included. */
  readonly runs: number;
  readonly files: number;
  readonly measurements: number;
  /** ISO-8601 instants. */
  readonly firstTestTime: string;
  readonly lastTestTime: string;
}

export interface StoredFile {
  readonly id: number;
  readonly sha256: string;
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly profileId: string;
  readonly productId: string;
  readonly profileChoice: string;
  readonly dataRows: number;
  readonly runs: number;
  readonly measurements: number;
  readonly quarantined: number;
  readonly storedAt: string;
}

export interface StoredRejectedFile extends RejectedFile {
  readonly id: number;
  readonly receivedAt: string;
}

export interface QuarantineRecord extends QuarantineEntry {
  readonly id: number;
  readonly fileId: number;
  readonly fileSha256: string;
}

export interface QuarantineQuery {
  /** Only rows of files that contributed runs to this lot. */
  readonly lot?: string;
  /** A file id, or a file's SHA-256. */
  readonly file?: number | string;
  /** @defaultValue 1000 */
  readonly limit?: number;
}

export interface BaselineInput {
  readonly productId: string;
  readonly createdBy: string;
  readonly payload: Baseline;
  /** @defaultValue one more than the highest stored version of the product (1 for the first). */
  readonly version?: number;
  /** Make it the product's active baseline in the same transaction. @defaultValue false */
  readonly activate?: boolean;
  /** Save it as proposed: it awaits an approver's signature (never active until approved). @defaultValue false */
  readonly propose?: boolean;
  /** ISO-8601 instant. @defaultValue now */
  readonly createdAt?: string;
}

export interface BaselineRecord {
  readonly productId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly active: boolean;
  /** proposed (awaiting approval), active, superseded, or rejected. */
  readonly state: BaselineState;
  /** null when no approval was needed (and on every baseline stored before migration 0008). */
  readonly approval: 'pending' | 'approved' | 'rejected' | null;
  readonly payload: Baseline;
}

export interface EvaluationInput {
  readonly lot: string;
  /** {@link Store.lotContentHash} of the data evaluated. */
  readonly contentHash: string;
  readonly resultSha256: string;
  readonly result: LotResult;
  /**
   * `result` already serialised (its canonical JSON, the string `resultSha256` hashes), stored as is so a
   * 25 MB result is not serialised a second time. Must be the JSON of `result`. As UTF-8 bytes (from
   * `canonicalJsonDigest`) it is stored as the same text without ever being a JavaScript string.
   * @defaultValue `JSON.stringify(result)`
   */
  readonly resultJson?: string | Uint8Array;
  /** @defaultValue one more than the lot's latest revision (1 for the first). */
  readonly revision?: number;
  /** ISO-8601 instant. @defaultValue now */
  readonly evaluatedAt?: string;
  /** The spec, policy and baseline evaluated under: hashes on the row, documents kept by hash. */
  readonly inputs?: EvaluationInputs;
}

export interface EvaluationRecord extends EvaluationHead {
  readonly result: LotResult;
}

/** An evaluation without its result document (which is megabytes for a large lot). */
export interface EvaluationHead extends InputHashes {
  readonly lot: string;
  readonly revision: number;
  readonly contentHash: string;
  readonly resultSha256: string;
  readonly evaluatedAt: string;
}

/** A document an evaluation used, as the store keeps it (by content hash). */
export interface StoredInputDocument {
  readonly sha256: string;
  readonly kind: InputKind;
  readonly id: string;
  readonly document: unknown;
}

/** Who a lot ships to (printed on its certificate). */
export interface LotShipment {
  readonly customer: string | null;
  readonly purchaseOrder: string | null;
  readonly shipTo: string | null;
}

export interface StoredLotShipment extends LotShipment {
  readonly lot: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * Which slot of a lot revision a decision fills. A HOLD fills 'hold'; an ACCEPT or REJECT fills
 * 'final'. Each slot takes at most one decision, so a policy HOLD may be followed by exactly one
 * ACCEPT/REJECT (normally an engineer's), and a revision never gets two final decisions.
 */
export type DecisionStage = 'hold' | 'final';

export interface StoredDecision extends DecisionRecord {
  readonly id: number;
  readonly stage: DecisionStage;
  /** Id of the HOLD this final decision resolves, when there was one. */
  readonly supersedes: number | null;
}

export interface SamplingStateRecord {
  readonly productId: string;
  readonly payload: SamplingState;
  readonly updatedAt: string;
}

export interface CertificateInput {
  readonly lot: string;
  readonly revision: number;
  /**
   * 1 for the first issue of the certificate number (`payload.certificateNumber`); each re-issue of the
   * same number is the next. @defaultValue 1
   */
  readonly certificateRevision?: number;
  /** Unique document number printed on the certificate. */
  readonly documentId: string;
  readonly pdfSha256: string;
  readonly path: string;
  /** ISO-8601 instant. */
  readonly issuedAt: string;
  readonly payload: CertificatePayload;
}

export interface CertificateRecord extends CertificateInput {
  readonly id: number;
  readonly certificateRevision: number;
}

/** A certificate with its standing: current, or superseded by a later revision of its number. */
export interface CertificateStanding extends CertificateRecord {
  /** The revision that replaced it, or null when it is the current one. */
  readonly supersededBy: number | null;
}

/** An event to append: its `kind` decides the shape of its `payload` (see `AuditPayloads`). */
export type AuditInput = AuditEntry & {
  readonly lot: string | null;
  readonly actor: string;
  /** ISO-8601 instant. @defaultValue now */
  readonly at?: string;
};

/** A stored audit event; narrow on `kind` to read its payload. */
export type AuditEvent = AuditEntry & {
  readonly id: number;
  readonly at: string;
  readonly lot: string | null;
  readonly actor: string;
};

/** Read-only access to the database for the read model (`src/queries/`). */
export type StoreReads = Pick<StoreDialect, 'db' | 'jsonFromDb' | 'readSnapshot'>;

/**
 * The measurement store. Obtain one with `openStore()`, call `migrate()` once, `close()` at the end.
 *
 * @example
 * ```ts
 * const store = openStore({ sqlitePath: './lotqa.sqlite' });
 * await store.migrate();
 * const { status } = await store.recordParsedFile(parsed);
 * const lot = await store.loadLot('L2405-017');
 * await store.close();
 * ```
 */
export interface Store {
  readonly backend: StoreBackend;
  /** Where the data lives: the SQLite file, or the PostgreSQL URL (password hidden) and schema. */
  readonly location: string;
  /**
   * The read model's way in (`src/queries/`, and nothing else): the database, read only, and the
   * dialect's readers of JSON columns and packed readings.
   */
  readonly reads: StoreReads;

  /** Brings the schema up to date; running it again is a no-op. Creates the PostgreSQL schema if missing. */
  migrate(): Promise<MigrationReport>;
  /** Releases connections. The store is unusable afterwards. */
  close(): Promise<void>;

  /**
   * Stores everything ingestion learned from one file — file row, runs, measurements, quarantine —
   * in one transaction: all of it or nothing. Idempotent by SHA-256: the same content again (also
   * from a concurrent connection) returns 'duplicate' and adds nothing.
   */
  recordParsedFile(file: ParsedFile): Promise<RecordFileResult>;
  /**
   * Stores several files in one transaction (far fewer commits for thousands of small per-unit
   * files), each file still all or nothing: a file that fails is rolled back to its savepoint, the
   * files before it are committed, and then its error is thrown (as recordParsedFile would). Results
   * are in input order.
   */
  recordParsedFiles(files: readonly ParsedFile[]): Promise<RecordFileResult[]>;
  /**
   * Stores files that came from independent producers (the ingest worker's concurrent file jobs) with
   * as few round trips as possible, and gives each file its own outcome: one file's failure never fails
   * another. Each file is still all or nothing and idempotent by SHA-256, as in recordParsedFile. On
   * PostgreSQL the batch is one transaction with one statement per table; if that transaction fails,
   * every file is written on its own, so the failing one is isolated and the others are kept.
   */
  recordParsedFileBatch(files: readonly ParsedFile[]): Promise<BatchFileOutcome[]>;
  /** Keeps a file that could not be read, with its reason. Idempotent by SHA-256, else by path + size. */
  recordRejectedFile(file: RejectedFile): Promise<RecordRejectedResult>;
  /** Rejected files, oldest first. */
  listRejectedFiles(): Promise<StoredRejectedFile[]>;

  /** The lot's measurements as columnar typed arrays, with attempts derived. Throws LotNotFoundError. */
  loadLot(lot: string): Promise<LotData>;
  /** One summary per stored lot, sorted by lot id (aggregates every run: for listings, not for scans). */
  listLots(): Promise<LotSummary[]>;
  /** Every stored lot id, sorted (cheap: the lots table only). */
  listLotIds(): Promise<string[]>;
  /** The lot's summary, or null when nothing is stored for it. */
  lotSummary(lot: string): Promise<LotSummary | null>;
  /** Stored (parsed) files, oldest first; only those with runs in `lot` when given. */
  listFiles(lot?: string): Promise<StoredFile[]>;
  /** Quarantined rows by file then line. */
  listQuarantine(query?: QuarantineQuery): Promise<QuarantineRecord[]>;
  /**
   * SHA-256 (hex) over the lot's sorted file hashes, one per line: changes exactly when a file with
   * new data for the lot is stored. Throws LotNotFoundError.
   */
  lotContentHash(lot: string): Promise<string>;
  /** Distinct serials tested in the lot (0 for an unknown lot). */
  unitCount(lot: string): Promise<number>;
  /** Puts a lot under another product (its files and readings stay as stored); the caller audits it. */
  moveLot(lot: string, productId: string): Promise<void>;

  /** Saves a new baseline version (optionally activating it). Throws RecordConflictError on a taken version. */
  saveBaseline(input: BaselineInput): Promise<BaselineRecord>;
  /** Makes `version` the product's only active baseline, in one transaction. Throws RecordNotFoundError. */
  activateBaseline(productId: string, version: number): Promise<BaselineRecord>;
  /** The product's active baseline (what new lots are monitored against), or null when none is active. */
  activeBaseline(productId: string): Promise<BaselineRecord | null>;
  /** All versions of the product, oldest first. */
  listBaselines(productId: string): Promise<BaselineRecord[]>;
  /** One baseline version (active or not), or null. */
  getBaseline(productId: string, version: number): Promise<BaselineRecord | null>;

  /** Stores an evaluation of a lot as a new revision. Throws RecordConflictError on a taken revision. */
  saveEvaluation(input: EvaluationInput): Promise<EvaluationRecord>;
  /** One revision of a lot's evaluation, or null. */
  getEvaluation(lot: string, revision: number): Promise<EvaluationRecord | null>;
  /** The highest revision of the lot's evaluation, or null when never evaluated. */
  latestEvaluation(lot: string): Promise<EvaluationRecord | null>;
  /** The same without the result document: which revision and content were evaluated last. */
  latestEvaluationHead(lot: string): Promise<EvaluationHead | null>;
  /** Every evaluation of the lot, by revision. */
  listEvaluations(lot: string): Promise<EvaluationRecord[]>;
  /** A document an evaluation used, by its content hash, or null. */
  inputDocument(sha256: string): Promise<StoredInputDocument | null>;

  /** Sets who the lot ships to (an upsert; the caller records the audit event). */
  saveLotShipment(lot: string, shipment: LotShipment, updatedBy: string, updatedAt?: string): Promise<StoredLotShipment>;
  /** Who the lot ships to, or null when never set. */
  lotShipment(lot: string): Promise<StoredLotShipment | null>;

  /**
   * Records a decision; decisions are never updated or deleted (the database refuses it too). Throws
   * DecisionConflictError when the revision's slot ({@link DecisionStage}) is taken, or when a HOLD
   * comes after a final decision. Of two racing sign-offs exactly one wins (unique (lot, revision,
   * stage) in the database). A final decision that follows a HOLD records the HOLD's id in `supersedes`.
   */
  insertDecision(record: DecisionRecord): Promise<StoredDecision>;
  /** Every decision about the lot, in the order recorded. */
  listDecisions(lot: string): Promise<StoredDecision[]>;
  /** The ACCEPT/REJECT of this revision, or null while there is none. */
  finalDecision(lot: string, revision: number): Promise<StoredDecision | null>;

  /** Replaces the product's sampling-switching state (upsert). */
  saveSamplingState(productId: string, payload: SamplingState, updatedAt?: string): Promise<SamplingStateRecord>;
  /** The product's sampling-switching state, or null before the first lot. */
  samplingState(productId: string): Promise<SamplingStateRecord | null>;

  /**
   * Records an issued certificate (append-only: the database refuses changes). Throws RecordConflictError
   * when the document id, or the revision of the certificate number, is taken.
   */
  recordCertificate(input: CertificateInput): Promise<CertificateRecord>;
  /** Issued certificates whose PDF has this SHA-256 (normally one). */
  certificatesByPdf(pdfSha256: string): Promise<CertificateStanding[]>;
  /** Every revision of a certificate number, oldest first, with its standing. */
  certificateRevisions(certificateNumber: string): Promise<CertificateStanding[]>;
  /** The certificate with this document id, or null. */
  getCertificate(documentId: string): Promise<CertificateRecord | null>;
  /** Certificates issued for the lot, in issue order. */
  listCertificates(lot: string): Promise<CertificateRecord[]>;

  /** Appends to the audit trail (append-only). */
  appendAudit(input: AuditInput): Promise<AuditEvent>;
  /** The lot's audit events in the order appended. */
  auditTrail(lot: string): Promise<AuditEvent[]>;

  /** Walks the hash chains of evaluations, decisions, certificates and audit events (hash-chain.ts). */
  verifyHashChains(): Promise<ChainReport[]>;
  /** Console accounts (argon2id hashes only) and API tokens (SHA-256 only). */
  /** Webhook subscriptions and their delivery log. */
  readonly webhooks: Pick<
    WebhookRecords,
    'addWebhook' | 'listWebhooks' | 'addDelivery' | 'cursor' | 'getDelivery' | 'recordAttempt' | 'deliveries'
  >;
  /** The lot pages' summaries (0010), written with each evaluation. */
  readonly pageSummaries: Pick<LotPageSummaryRecords, 'get' | 'save'>;
  /** Signed decisions waiting for a second approver (a policy's two-person rule). */
  readonly proposals: Pick<ProposalRecords, 'addProposal' | 'latestProposal' | 'addReviewNote' | 'reviewNotes'>;
  /** Files attached to lots' reviews (content by SHA-256). */
  readonly attachments: Pick<AttachmentRecords, 'addAttachment' | 'listAttachments' | 'attachmentContent'>;
  /** Approvers' signatures on proposed baselines, and the approval or rejection they lead to. */
  readonly baselineApprovals: Pick<BaselineApprovalRecords, 'addSignature' | 'signatures' | 'approve' | 'reject'>;
  readonly accounts: Pick<
    AccountRecords,
    'createAccount' | 'getAccount' | 'listAccounts' | 'countAccounts' | 'createApiToken' | 'accountOfToken'
  >;
}
