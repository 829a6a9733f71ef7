/**
 * @module The read model: the questions people ask of the store, answered with light queries (no
 * LotResult document and no whole lot is loaded to answer a status). Used by the CLI (`lots`,
 * `status`, `audit`, `export`), the queue's status and the web console alike.
 *
 * | question | function |
 * |---|---|
 * | lots with their status | {@link listLotOverviews}, {@link lotOverview} |
 * | is a lot complete? | {@link lotCompleteness} |
 * | a lot's revisions, decisions, certificates | {@link lotHistory} |
 * | a chart's points | {@link chartPoints} |
 * | a unit's readings | {@link unitReadings} |
 * | the audit trail | {@link lotAuditTrail} |
 * | the audit trail of every lot, searched | {@link searchAudit} |
 * | a product's earlier lots for the trend | {@link productTrendHistory} |
 * | every reading, streamed (export) | {@link streamLotReadings} |
 * | a lot's serials seen in other lots | {@link serialsInOtherLots} |
 * | voided lots | {@link voidedLots} |
 */
export { listLotOverviews, lotOverview, type LotOverview, type LotOverviewOptions, type LotState } from './lot-overview.js';
export { lotCompleteness, completenessOf, LOT_CLOSED, LOT_EXPECTED, type LotCompleteness } from './lot-completeness.js';
export { lotHistory, type LotHistory, type RevisionSummary } from './lot-history.js';
export { chartPoints, type ChartCell, type ChartPoint, type ChartPointsOptions } from './chart-points.js';
export { unitReadings, type UnitReadings, type UnitAttempt, type UnitReading } from './unit-readings.js';
export { lotAuditTrail, type LotAuditTrail } from './lot-audit-trail.js';
export { auditEvent, auditEventsAfter, searchAudit, type AuditSearch } from './audit-search.js';
export { streamLotReadings, type ReadingRow, type LotReadingsOptions, type LotReadingsSummary } from './lot-readings.js';
export { serialsInOtherLots, type SerialElsewhere } from './serials-elsewhere.js';
export { voidedLots, type LotVoid } from './lot-voids.js';
export { productTrendHistory } from './product-trend.js';
