/**
 * @module The Kysely table types of the store. Column names are snake_case as in the SQL; the store
 * maps them to the camelCase domain records. Timestamps are `timestamptz` on PostgreSQL (read back as
 * `Date`) and ISO-8601 text on SQLite; JSON payloads are `jsonb` on PostgreSQL (read back parsed) and
 * text on SQLite. Booleans are `boolean` on PostgreSQL and 0/1 on SQLite.
 */
import type { ColumnType, Generated } from 'kysely';
import type { DecidedKind } from '../domain/decision.js';
import type { Disposition } from '../domain/lot-result.js';
import type { FileRejectionReason, QuarantineReason } from '../domain/measurement.js';

/** Written as an ISO-8601 string; read back as a Date (pg) or the same string (SQLite). */
export type TimestampColumn = ColumnType<Date | string, string, string>;
/** Written as JSON text; read back parsed (pg jsonb) or as text (SQLite). */
export type JsonColumn = ColumnType<unknown, string, string>;
/** Written as boolean (pg) or 0/1 (SQLite). */
export type BooleanColumn = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface FilesTable {
  id: Generated<number>;
  sha256: string;
  path: string;
  name: string;
  bytes: number;
  profile_id: string;
  product_id: string;
  profile_choice: string;
  data_rows: number;
  run_count: number;
  measurement_count: number;
  quarantine_count: number;
  stored_at: TimestampColumn;
}

export interface LotsTable {
  id: Generated<number>;
  lot: string;
  product_id: string;
  created_at: TimestampColumn;
}

/** Dictionary tables (parameters, corners): a small integer id per name, never renumbered. */
export interface DictionaryTable {
  id: Generated<number>;
  name: string;
}

export interface RunsTable {
  id: Generated<number>;
  file_id: number;
  lot_id: number;
  /** Index of the run in its file's `runs` array (ties of test time are broken by it). */
  run_order: number;
  serial: string;
  station: string;
  test_time: TimestampColumn;
  declared_attempt: number | null;
  operator: string | null;
  measurement_count: number;
}

/** One run's readings, packed (run-readings.ts). */
export interface RunReadingsTable {
  run_id: number;
  reading_count: number;
  readings: Buffer;
}

export interface QuarantineTable {
  id: Generated<number>;
  file_id: number;
  line: number;
  column_name: string | null;
  raw_value: string | null;
  /** One of the reasons ingestion names (a CHECK-free text column: new reasons need no migration). */
  reason: QuarantineReason;
  message: string;
}

export interface RejectedFilesTable {
  id: Generated<number>;
  /** `sha256:<hex>` when the content hash is known, else `path:<path>:<bytes>`. */
  dedupe_key: string;
  path: string;
  name: string;
  sha256: string | null;
  bytes: number;
  reason: FileRejectionReason;
  message: string;
  line: number | null;
  received_at: TimestampColumn;
}

export interface BaselinesTable {
  id: Generated<number>;
  product_id: string;
  version: number;
  created_at: TimestampColumn;
  created_by: string;
  active: BooleanColumn;
  payload: JsonColumn;
  /** 0008: null when no approval was needed, else where its approval stands. */
  approval: ColumnType<'pending' | 'approved' | 'rejected' | null, 'pending' | 'approved' | 'rejected' | null | undefined>;
}

export interface LotEvaluationsTable {
  id: Generated<number>;
  lot: string;
  revision: number;
  content_hash: string;
  result_sha256: string;
  result: JsonColumn;
  evaluated_at: TimestampColumn;
  /** Summary columns (migration 0004), written with the result so a status never reads it. */
  proposal: Disposition | null;
  units: number | null;
  /** Files evaluated (the length of the result's fileHashes). */
  file_count: number | null;
  first_pass_yield: number | null;
  final_yield: number | null;
  /** The documents evaluated under (0005): content hashes; null on evaluations stored before 0005. */
  spec_sha256: ColumnType<string | null, string | null | undefined, never>;
  policy_sha256: ColumnType<string | null, string | null | undefined, never>;
  baseline_sha256: ColumnType<string | null, string | null | undefined, never>;
  /** SHA-256 over the three (see domain/evaluation-inputs.ts): what "the same inputs" means. */
  inputs_sha256: ColumnType<string | null, string | null | undefined, never>;
  /** Hash chain (0005): the predecessor's row hash and this row's; null on rows stored before 0005. */
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  row_hash: ColumnType<string | null, string | null | undefined, never>;
}

/** A lot page's summary of one evaluated revision (0010): derived from the result, keyed by its hash. */
export interface LotPageSummariesTable {
  lot: string;
  revision: number;
  result_sha256: string;
  summary: JsonColumn;
}

export interface DecisionsTable {
  id: Generated<number>;
  lot: string;
  revision: number;
  /** 'hold' (a HOLD, waiting for an engineer) or 'final' (ACCEPT/REJECT). Unique per (lot, revision, stage). */
  stage: 'hold' | 'final';
  disposition: Disposition;
  decided_by: string;
  decided_kind: DecidedKind;
  decided_at: TimestampColumn;
  reason: string;
  result_sha256: string;
  spec_version: string;
  policy_version: string;
  baseline_version: number | null;
  supersedes: number | null;
  /** Hash chain (0005): the predecessor's row hash and this row's; null on rows stored before 0005. */
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  row_hash: ColumnType<string | null, string | null | undefined, never>;
  /** The decision's electronic signatures as JSON (0007; null on policy decisions and older rows). */
  signatures: ColumnType<unknown, string | null | undefined, never>;
}

/** A console account (0007): a person who can look, decide and sign. */
export interface AccountsTable {
  username: string;
  full_name: string;
  role: 'viewer' | 'engineer' | 'approver' | 'admin';
  /** argon2id encoded hash (parameters and salt inside). */
  password_hash: string;
  created_at: TimestampColumn;
  active: BooleanColumn;
}

/** A signed decision waiting for its second signature under the two-person rule (0007). */
export interface DecisionProposalsTable {
  id: Generated<number>;
  lot: string;
  revision: number;
  disposition: 'ACCEPT' | 'REJECT';
  reason: string;
  deviation: string | null;
  /** The first signer's electronic signature (JSON). */
  signature: JsonColumn;
  proposed_at: TimestampColumn;
}

/** A held lot's review (0007): owner assigned, comment, 8D/NCR reference. Append-only. */
export interface ReviewNotesTable {
  id: Generated<number>;
  lot: string;
  kind: 'owner' | 'comment' | 'reference';
  text: string;
  author: string;
  at: TimestampColumn;
}

/** An attachment's bytes (0008), once per SHA-256. Append-only. */
export interface AttachmentBlobsTable {
  sha256: string;
  bytes: number;
  content: Buffer;
}

/** A file attached to a lot's review (0008). Append-only. */
export interface LotAttachmentsTable {
  id: Generated<number>;
  lot: string;
  sha256: string;
  name: string;
  media_type: string;
  bytes: number;
  uploaded_by: string;
  uploaded_at: TimestampColumn;
}

/** An approver's signature on a proposed baseline (0008). Append-only. */
export interface BaselineSignaturesTable {
  id: Generated<number>;
  product_id: string;
  version: number;
  verdict: 'approve' | 'reject';
  reason: string;
  signature: JsonColumn;
  signed_at: TimestampColumn;
}

/** A webhook subscription (0007): where to POST which lot events, with the HMAC secret. */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  secret: string;
  /** JSON array of event names. */
  events: JsonColumn;
  created_by: string;
  created_at: TimestampColumn;
  /** Audit events up to this id happened before the subscription: never delivered. */
  from_audit_id: number;
}

/** One event to one webhook (0007): the delivery log; status and attempts change as it is retried. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  audit_event_id: number;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_status: number | null;
  error: string | null;
  updated_at: TimestampColumn;
}

/** An API token for machines (0007): only its SHA-256 is stored. */
export interface ApiTokensTable {
  id: Generated<number>;
  token_sha256: string;
  username: string;
  label: string;
  created_at: TimestampColumn;
}

export interface SamplingStateTable {
  product_id: string;
  payload: JsonColumn;
  updated_at: TimestampColumn;
}

export interface CertificatesTable {
  id: Generated<number>;
  lot: string;
  revision: number;
  document_id: string;
  pdf_sha256: string;
  path: string;
  issued_at: TimestampColumn;
  payload: JsonColumn;
  /** Printed on the certificate; one number per lot revision, re-issues are its revisions (0005). */
  certificate_number: string;
  certificate_revision: number;
  /** Hash chain (0005): the predecessor's row hash and this row's; null on rows stored before 0005. */
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  row_hash: ColumnType<string | null, string | null | undefined, never>;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: TimestampColumn;
  lot: string | null;
  kind: string;
  actor: string;
  payload: JsonColumn;
  /** Hash chain (0005): the predecessor's row hash and this row's; null on rows stored before 0005. */
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  row_hash: ColumnType<string | null, string | null | undefined, never>;
}

/** A document an evaluation used, stored by content hash (never changed). */
export interface InputDocumentsTable {
  sha256: string;
  kind: 'product' | 'policy' | 'baseline';
  document_id: string;
  content: JsonColumn;
  stored_at: TimestampColumn;
}

/** Who a lot ships to: printed on its certificate; every change is an audit event. */
export interface LotShipmentsTable {
  lot: string;
  customer: string | null;
  purchase_order: string | null;
  ship_to: string | null;
  updated_at: TimestampColumn;
  updated_by: string;
}

/** The last row of each hash chain (hash-chain.ts). */
export interface HashChainHeadsTable {
  chain: string;
  row_hash: string | null;
  row_count: number;
}

/** A set of station limits, by the SHA-256 of its canonical JSON (migration 0006). */
export interface StationLimitSetsTable {
  sha256: string;
  limits: JsonColumn;
}

/** A stored file's station verdicts per run and the limit set its stations used (migration 0006). */
export interface StationEvidenceTable {
  file_id: number;
  verdicts: JsonColumn;
  limit_set: string | null;
}

export interface StoreDatabase {
  files: FilesTable;
  lots: LotsTable;
  parameters: DictionaryTable;
  corners: DictionaryTable;
  runs: RunsTable;
  run_readings: RunReadingsTable;
  quarantine: QuarantineTable;
  rejected_files: RejectedFilesTable;
  baselines: BaselinesTable;
  lot_evaluations: LotEvaluationsTable;
  decisions: DecisionsTable;
  sampling_state: SamplingStateTable;
  certificates: CertificatesTable;
  audit_events: AuditEventsTable;
  input_documents: InputDocumentsTable;
  lot_shipments: LotShipmentsTable;
  hash_chain_heads: HashChainHeadsTable;
  station_limit_sets: StationLimitSetsTable;
  station_evidence: StationEvidenceTable;
  accounts: AccountsTable;
  api_tokens: ApiTokensTable;
  decision_proposals: DecisionProposalsTable;
  review_notes: ReviewNotesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  attachment_blobs: AttachmentBlobsTable;
  lot_attachments: LotAttachmentsTable;
  baseline_signatures: BaselineSignaturesTable;
  lot_page_summaries: LotPageSummariesTable;
}
