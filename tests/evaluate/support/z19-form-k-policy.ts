import { findPolicy } from '../../../src/acceptance/policy-catalog.js';
import type { AcceptancePolicy } from '../../../src/domain/acceptance-policy.js';

/**
 * The default policy with Z1.9 variables sampling, form k, on the extinction ratio (constant LSL 3.5 dB),
 * n = 5, inspection level II: the fail-closed variables tests judge samples under it. `k` is illustrative,
 * not read from the standard's table.
 */
export function z19FormKPolicy(k: number): AcceptancePolicy {
  return {
    ...findPolicy('default'),
    conformance: {
      mode: 'variables',
      standard: 'ANSI/ASQ Z1.9',
      method: 's',
      form: 'k',
      aql: 1,
      inspectionLevel: 'II',
      parameters: ['tx_er'],
      sampleSize: 5,
      k,
    },
  };
}
