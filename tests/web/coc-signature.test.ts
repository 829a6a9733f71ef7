/** The electronic signature of a named decision is printed on the Certificate of Conformance. */
import { describe, expect, it } from 'vitest';
import { renderCertificate } from '../../src/report/coc-pdf.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from '../report/support/lot-result-fixture.js';
import { pdfPages } from '../report/support/pdf-text.js';

describe('certificate of a signed decision', () => {
  it('prints the signer, role, meaning and time of the electronic signature', async () => {
    const result = buildLotResult({ units: 60 });
    const decision = {
      ...decisionFor(result, 'ACCEPT', 'rita'),
      signatures: [
        {
          signer: 'rita',
          fullName: 'Rita Approver',
          role: 'approver' as const,
          meaning: 'acceptance-with-deviation' as const,
          signedAt: '2026-07-01T09:30:00.000Z',
          method: 'password-reentered-console' as const,
        },
      ],
    };
    const text = (await pdfPages(await renderCertificate(result, decision, FIXTURE_CONTEXT))).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Approved by: Rita Approver (rita, approver)');
    expect(text).toContain('E-signed: acceptance with deviation, 2026-07-01T09:30:00.000Z (console)');
  });
});
