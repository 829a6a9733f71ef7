/**
 * @module What `lotqa verify` prints for a person: the verdict with the lot and certificate it is about,
 * the file's SHA-256, which lotqa evaluated the certified revision, then the findings. Pure, so the words
 * are tested without a store or a process.
 */
import { lotqaBuildWords } from '../../pipeline/lotqa-build.js';
import type { VerifyOutcome } from '../../pipeline/verify-certificate.js';

const VERDICTS = {
  valid: 'VALID: issued, unaltered, current',
  altered: 'ALTERED: not the document issued',
  unknown: 'UNKNOWN: not a certificate issued by this store',
  superseded: 'SUPERSEDED: a re-issue replaced this revision',
  'lot-changed': 'LOT CHANGED SINCE: as issued, but the lot is no longer what it certifies',
} as const;

export function verifyOutcomeLines(path: string, v: VerifyOutcome): string[] {
  const about = v.lot
    ? ` (lot ${v.lot} r${v.revision}${v.certificateNumber ? `, ${v.certificateNumber} revision ${v.certificateRevision ?? '?'}` : ''})`
    : '';
  // Which lotqa made the result the certificate is about: shown beside the verdict, never part of it.
  const by =
    v.lot === null
      ? []
      : [
          v.evaluatedBy !== null
            ? `  evaluated by ${lotqaBuildWords(v.evaluatedBy)}`
            : `  evaluated by: not recorded (no evaluated event of lot ${v.lot} r${v.revision} names its lotqa)`,
        ];
  return [`${path}: ${VERDICTS[v.verdict]}${about}`, `  sha256 ${v.pdfSha256}`, ...by, ...v.findings.map((f) => `  ${f}`)];
}
