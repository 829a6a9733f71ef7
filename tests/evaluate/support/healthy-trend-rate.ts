/**
 * Share of healthy lots whose trend charts signal, per parameter × corner: 200 simulated histories of 25 lots
 * after a `baselineLots`-lot baseline (4 lanes, 200 units, lot σ 0.15, lane × lot σ 0.1, no drift), at the
 * default trend settings (bench/trend-simulation.ts runs the product's own charts).
 */
import { TREND_DEFAULTS } from '../../../src/domain/acceptance-policy.js';
import { simulateTrendHistory } from '../../../bench/trend-simulation.js';

export function healthySignalRate(baselineLots: number, seedPrefix: string): { signals: number; lots: number } {
  let signals = 0;
  let lots = 0;
  for (let r = 0; r < 200; r++) {
    const h = simulateTrendHistory({
      seed: `${seedPrefix}-${r}`,
      baselineLots,
      lanes: 4,
      units: 200,
      lotSigma: 0.15,
      laneLotSigma: 0.1,
      lots: 25,
      driftPerLot: 0,
      settings: TREND_DEFAULTS,
    });
    signals += h.signalled.filter(Boolean).length;
    lots += h.signalled.length;
  }
  return { signals, lots };
}
