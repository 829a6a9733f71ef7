/**
 * @module `openStore`: the one way to get a Store. It chooses the dialect (SQLite or PostgreSQL) once
 * and composes the record modules over it, one per kind of record:
 *
 * | module | records |
 * |---|---|
 * | `records/file-records.ts` | files, runs and their packed readings, quarantine, rejected files |
 * | `records/lot-records.ts` | lots: columnar readings, summaries, content hash, unit count |
 * | `records/evaluation-records.ts` | lot evaluations (revisions and their LotResult) |
 * | `records/decision-records.ts` | decisions and certificates |
 * | `records/baseline-records.ts` | baselines and the sampling-switching state |
 * | `records/audit-records.ts` | the audit trail |
 * | `records/account-records.ts` | console accounts and API tokens |
 */
import { openStoreDialect } from './dialect/open-store-dialect.js';
import type { StoreDialect } from './dialect/store-dialect.js';
import { AccountRecords, ProposalRecords } from './records/account-records.js';
import { LotPageSummaryRecords } from './records/lot-page-summary-records.js';
import { WebhookRecords } from './records/webhook-records.js';
import { AttachmentRecords } from './records/attachment-records.js';
import { BaselineApprovalRecords } from './records/baseline-approval-records.js';
import { AuditRecords } from './records/audit-records.js';
import { CertificateRecords } from './records/certificate-records.js';
import { verifyHashChains } from './records/hash-chain.js';
import { LotShipmentRecords } from './records/lot-shipment-records.js';
import { BaselineRecords } from './records/baseline-records.js';
import { DecisionRecords } from './records/decision-records.js';
import { EvaluationRecords } from './records/evaluation-records.js';
import { FileRecords } from './records/file-records.js';
import { LotRecords } from './records/lot-records.js';
import type { Store, StoreReads } from './store.js';
import { resolveStoreConfig, type StoreBackend, type StoreConfig } from './store-config.js';
import { migrateStore, type MigrationReport } from './store-migration.js';

/**
 * Opens the store: PostgreSQL when `databaseUrl` (or, with no `sqlitePath`, `DATABASE_URL`) is a
 * `postgres://` URL, otherwise SQLite at `sqlitePath` (default `./lotqa.sqlite`, `:memory:` allowed).
 * Call `migrate()` before first use and `close()` when done.
 *
 * @example
 * ```ts
 * const store = openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/lotqa', pgSchema: 'factory_a' });
 * await store.migrate();
 * ```
 */
export function openStore(config: StoreConfig = {}): Store {
  const dialect = openStoreDialect(resolveStoreConfig(config));
  return new ComposedStore(dialect);
}

/** The Store: each method is one record module's. */
class ComposedStore implements Store {
  readonly #dialect: StoreDialect;
  readonly #files: FileRecords;
  readonly #lots: LotRecords;
  readonly #evaluations: EvaluationRecords;
  readonly #decisions: DecisionRecords;
  readonly #baselines: BaselineRecords;
  readonly #audit: AuditRecords;
  readonly #certificates: CertificateRecords;
  readonly #shipments: LotShipmentRecords;
  readonly accounts: AccountRecords;
  readonly proposals: ProposalRecords;
  readonly pageSummaries: LotPageSummaryRecords;
  readonly webhooks: WebhookRecords;
  readonly attachments: AttachmentRecords;
  readonly baselineApprovals: BaselineApprovalRecords;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
    this.#files = new FileRecords(dialect);
    this.#lots = new LotRecords(dialect);
    this.#evaluations = new EvaluationRecords(dialect);
    this.#decisions = new DecisionRecords(dialect);
    this.#baselines = new BaselineRecords(dialect);
    this.#audit = new AuditRecords(dialect);
    this.#certificates = new CertificateRecords(dialect);
    this.#shipments = new LotShipmentRecords(dialect);
    this.accounts = new AccountRecords(dialect);
    this.proposals = new ProposalRecords(dialect);
    this.pageSummaries = new LotPageSummaryRecords(dialect);
    this.webhooks = new WebhookRecords(dialect);
    this.attachments = new AttachmentRecords(dialect);
    this.baselineApprovals = new BaselineApprovalRecords(dialect);
  }

  get backend(): StoreBackend {
    return this.#dialect.backend;
  }
  get location(): string {
    return this.#dialect.location;
  }
  get reads(): StoreReads {
    return this.#dialect;
  }
  migrate(): Promise<MigrationReport> {
    return migrateStore(this.#dialect);
  }
  close(): Promise<void> {
    return this.#dialect.close();
  }

  recordParsedFile: Store['recordParsedFile'] = (file) => this.#files.recordParsedFile(file);
  recordParsedFiles: Store['recordParsedFiles'] = (files) => this.#files.recordParsedFiles(files);
  recordParsedFileBatch: Store['recordParsedFileBatch'] = (files) => this.#files.recordParsedFileBatch(files);
  recordRejectedFile: Store['recordRejectedFile'] = (file) => this.#files.recordRejectedFile(file);
  listRejectedFiles: Store['listRejectedFiles'] = () => this.#files.listRejectedFiles();
  listFiles: Store['listFiles'] = (lot) => this.#files.listFiles(lot);
  listQuarantine: Store['listQuarantine'] = (query) => this.#files.listQuarantine(query);

  loadLot: Store['loadLot'] = (lot) => this.#lots.loadLot(lot);
  listLots: Store['listLots'] = () => this.#lots.listLots();
  listLotIds: Store['listLotIds'] = () => this.#lots.listLotIds();
  lotSummary: Store['lotSummary'] = (lot) => this.#lots.lotSummary(lot);
  lotContentHash: Store['lotContentHash'] = (lot) => this.#lots.lotContentHash(lot);
  unitCount: Store['unitCount'] = (lot) => this.#lots.unitCount(lot);
  moveLot: Store['moveLot'] = (lot, productId) => this.#lots.moveLot(lot, productId);

  saveBaseline: Store['saveBaseline'] = (input) => this.#baselines.saveBaseline(input);
  activateBaseline: Store['activateBaseline'] = (productId, version) => this.#baselines.activateBaseline(productId, version);
  activeBaseline: Store['activeBaseline'] = (productId) => this.#baselines.activeBaseline(productId);
  listBaselines: Store['listBaselines'] = (productId) => this.#baselines.listBaselines(productId);
  getBaseline: Store['getBaseline'] = (productId, version) => this.#baselines.getBaseline(productId, version);
  saveSamplingState: Store['saveSamplingState'] = (productId, payload, updatedAt) =>
    this.#baselines.saveSamplingState(productId, payload, updatedAt);
  samplingState: Store['samplingState'] = (productId) => this.#baselines.samplingState(productId);

  saveEvaluation: Store['saveEvaluation'] = (input) => this.#evaluations.saveEvaluation(input);
  getEvaluation: Store['getEvaluation'] = (lot, revision) => this.#evaluations.getEvaluation(lot, revision);
  latestEvaluation: Store['latestEvaluation'] = (lot) => this.#evaluations.latestEvaluation(lot);
  latestEvaluationHead: Store['latestEvaluationHead'] = (lot) => this.#evaluations.latestEvaluationHead(lot);
  listEvaluations: Store['listEvaluations'] = (lot) => this.#evaluations.listEvaluations(lot);
  inputDocument: Store['inputDocument'] = (sha256) => this.#evaluations.inputDocument(sha256);

  saveLotShipment: Store['saveLotShipment'] = (lot, shipment, by, at) => this.#shipments.saveLotShipment(lot, shipment, by, at);
  lotShipment: Store['lotShipment'] = (lot) => this.#shipments.lotShipment(lot);

  insertDecision: Store['insertDecision'] = (record) => this.#decisions.insertDecision(record);
  listDecisions: Store['listDecisions'] = (lot) => this.#decisions.listDecisions(lot);
  finalDecision: Store['finalDecision'] = (lot, revision) => this.#decisions.finalDecision(lot, revision);
  recordCertificate: Store['recordCertificate'] = (input) => this.#certificates.recordCertificate(input);
  getCertificate: Store['getCertificate'] = (documentId) => this.#certificates.getCertificate(documentId);
  listCertificates: Store['listCertificates'] = (lot) => this.#certificates.listCertificates(lot);
  certificatesByPdf: Store['certificatesByPdf'] = (sha) => this.#certificates.certificatesByPdf(sha);
  certificateRevisions: Store['certificateRevisions'] = (number) => this.#certificates.certificateRevisions(number);

  appendAudit: Store['appendAudit'] = (input) => this.#audit.appendAudit(input);
  auditTrail: Store['auditTrail'] = (lot) => this.#audit.auditTrail(lot);

  verifyHashChains: Store['verifyHashChains'] = () => verifyHashChains(this.#dialect);
}
