/** The lotqa version recorded in every LotResult and certificate (kept in step with package.json by a test). */
export const LOTQA_VERSION = '0.1.0';
