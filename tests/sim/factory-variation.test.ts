/**
 * The generator's real-factory variation: each lane's own lot offset, lanes correlated within a unit, a
 * mis-calibrated station, a stuck gauge and a drift across a history. Each is checked against what it
 * injects, recomputed from the generated readings (sample means and correlations, simple-statistics).
 */
import { describe, expect, it } from 'vitest';
import { mean, sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { findProduct } from '../../src/domain/catalog.js';
import { generateLot, slotValues } from '../../src/sim/generate-lot.js';
import { generateHistory } from '../../src/sim/generate-history.js';
import { parseDrift, parseStationOffset, parseStuck } from '../../src/sim/injection-syntax.js';
import { slotKey } from '../../src/sim/process-model.js';
import { SimOptionError } from '../../src/sim/sim-errors.js';

const spec = findProduct('qsfp112-400g-dr4');
const P = 'tx_avg_power';

const sigmaOf = (lot: ReturnType<typeof generateLot>, corner: string, lane: number | null): number =>
  lot.model.slots[lot.model.slotIndex.get(slotKey(P, corner, lane))!]!.sigma;

describe('the synthetic factory’s lot-to-lot and station variation', () => {
  it('gives every lane its own lot offset of about k σ, shared by its corners and recorded in the options', () => {
    const lot = generateLot({ spec, lot: 'LL', units: 2000, seed: 3, laneLotSigma: 0.3, lotSigma: 0 });
    const offsets = Object.values(lot.options.laneLotOffsets);
    // 4 lanes × every lane parameter: the offsets' spread estimates k.
    expect(offsets.length).toBeGreaterThanOrEqual(4 * 4);
    expect(sampleStandardDeviation(offsets)).toBeGreaterThan(0.15);
    expect(sampleStandardDeviation(offsets)).toBeLessThan(0.5);
    const healthy = generateLot({ spec, lot: 'LL', units: 2000, seed: 3, lotSigma: 0 });
    for (let lane = 0; lane < 4; lane++) {
      const want = lot.options.laneLotOffsets[`${P}|${lane}`]!;
      for (const corner of ['room', 'hot']) {
        const moved =
          (mean(Array.from(slotValues(lot, P, corner, lane))) - mean(Array.from(slotValues(healthy, P, corner, lane)))) /
          sigmaOf(lot, corner, lane);
        // Same unit draws, so the difference is the offset up to the 0.01 dBm reading resolution.
        expect(moved).toBeCloseTo(want, 1);
      }
    }
    // Default 0: no lane offsets, draws unchanged.
    expect(healthy.options.laneLotOffsets).toEqual({});
  });

  it('gives named parameters their own lane × lot σ (laneLotSigmaByParameter), the others the common one', () => {
    const common = generateLot({ spec, lot: 'LP', units: 2, seed: 5, laneLotSigma: 0.2 }).options.laneLotOffsets;
    const mixed = generateLot({
      spec,
      lot: 'LP',
      units: 2,
      seed: 5,
      laneLotSigma: 0.2,
      laneLotSigmaByParameter: { tx_avg_power: 0.4, tx_er: 0 },
    }).options.laneLotOffsets;
    for (let lane = 0; lane < 4; lane++) {
      // The same normal draw per parameter × lane, scaled by that parameter's σ: twice as large, none, the same.
      expect(mixed[`tx_avg_power|${lane}`]).toBeCloseTo(2 * common[`tx_avg_power|${lane}`]!, 12);
      expect(mixed[`tx_er|${lane}`]).toBeUndefined();
      expect(mixed[`tx_oma_outer|${lane}`]).toBe(common[`tx_oma_outer|${lane}`]);
    }
    expect(() => generateLot({ spec, lot: 'LP', units: 2, seed: 5, laneLotSigmaByParameter: { nope: 0.1 } })).toThrow(SimOptionError);
    expect(() => generateLot({ spec, lot: 'LP', units: 2, seed: 5, laneLotSigmaByParameter: { tx_er: -1 } })).toThrow(SimOptionError);
  });

  it('gives each corner its own part of the lane offset when a corner share is asked for', () => {
    // Offsets only (the readings follow them as in the test above): 40 lots' offsets of tx_avg_power.
    const pairs: [number, number][] = [];
    const all: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const o = generateLot({ spec, lot: 'LS', units: 2, seed, laneLotSigma: 0.3, laneLotCornerShare: 0.5 }).options.laneLotOffsets;
      for (let lane = 0; lane < 4; lane++) {
        pairs.push([o[`${P}|${lane}|cold`]!, o[`${P}|${lane}|hot`]!]);
        all.push(o[`${P}|${lane}|room`]!);
      }
    }
    // Between corners of one lane the offsets correlate by 1 − share = 0.5 (160 pairs: SE ≈ 0.06); each has σ ≈ k.
    const r = sampleCorrelation(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
    expect(r).toBeGreaterThan(0.3);
    expect(r).toBeLessThan(0.7);
    expect(sampleStandardDeviation(all)).toBeGreaterThan(0.24);
    expect(sampleStandardDeviation(all)).toBeLessThan(0.36);
    // The readings carry the corner's own offset.
    const lot = generateLot({ spec, lot: 'LS', units: 2000, seed: 3, laneLotSigma: 0.3, laneLotCornerShare: 0.5, lotSigma: 0 });
    const healthy = generateLot({ spec, lot: 'LS', units: 2000, seed: 3, lotSigma: 0 });
    const moved =
      (mean(Array.from(slotValues(lot, P, 'hot', 1))) - mean(Array.from(slotValues(healthy, P, 'hot', 1)))) / sigmaOf(lot, 'hot', 1);
    expect(moved).toBeCloseTo(lot.options.laneLotOffsets[`${P}|1|hot`]!, 1);
    expect(() => generateLot({ spec, lot: 'LS', units: 2, seed: 1, laneLotSigma: 0.3, laneLotCornerShare: 1.5 })).toThrow(SimOptionError);
  });

  it('correlates the lanes of one unit when asked, and not otherwise', () => {
    const corr = (laneCorrelation: number): number => {
      const lot = generateLot({ spec, lot: 'LC', units: 3000, seed: 5, laneCorrelation });
      return sampleCorrelation(Array.from(slotValues(lot, P, 'room', 0)), Array.from(slotValues(lot, P, 'room', 1)));
    };
    expect(Math.abs(corr(0))).toBeLessThan(0.08);
    expect(corr(0.6)).toBeGreaterThan(0.35);
  });

  it('moves one station’s readings of one parameter by the offset asked for', () => {
    const base = generateLot({ spec, lot: 'ST', units: 2000, seed: 7, stations: 4 });
    const off = generateLot({
      spec,
      lot: 'ST',
      units: 2000,
      seed: 7,
      stations: 4,
      stationOffsets: [parseStationOffset('ATE-03:tx_avg_power:1')],
    });
    const index = base.model.slotIndex.get(slotKey(P, 'room', 2))!;
    const sigma = sigmaOf(base, 'room', 2);
    for (const station of ['ATE-01', 'ATE-02', 'ATE-03', 'ATE-04']) {
      const a = base.runs.filter((r) => r.station === station).map((r) => r.values[index]!);
      const b = off.runs.filter((r) => r.station === station).map((r) => r.values[index]!);
      expect((mean(b) - mean(a)) / sigma).toBeCloseTo(station === 'ATE-03' ? 1 : 0, 1);
    }
    expect(() =>
      generateLot({ spec, lot: 'ST', units: 10, seed: 7, stations: 2, stationOffsets: [parseStationOffset('ATE-03:tx_avg_power:1')] }),
    ).toThrow(/no station "ATE-03" in a lot tested on ATE-01, ATE-02/);
  });

  it('reads one value on every unit from a stuck gauge, on the lane named only', () => {
    // Channel 3 as typed (lots print lanes from 1) is lane index 2.
    const lot = generateLot({ spec, lot: 'SG', units: 300, seed: 9, stuck: [parseStuck('tx_avg_power:3')] });
    for (const corner of ['room', 'hot']) {
      expect(new Set(slotValues(lot, P, corner, 2)).size).toBe(1);
      expect(new Set(slotValues(lot, P, corner, 1)).size).toBeGreaterThan(20);
    }
    expect(() => parseStuck('tx_avg_power:x')).toThrow(SimOptionError);
  });

  it('drifts the lot mean by the rate asked for across a history', () => {
    const history = generateHistory({
      product: spec,
      seed: 'drift',
      lotDefaults: { lotSigma: 0 },
      drift: [parseDrift('tx_avg_power:0.25')],
      lots: ['D1', 'D2', 'D3', 'D4', 'D5'].map((lot) => ({ lot, units: 1500 })),
    });
    const sigma = sigmaOf(history[0]!, 'room', 0);
    const means = history.map((l) => mean(Array.from(slotValues(l, P, 'room', 0))) / sigma);
    // Lot k sits k × 0.25σ above lot 0, within the sampling error of two 1500-unit means (~0.04σ).
    means.forEach((m, k) => expect(Math.abs(m - means[0]! - 0.25 * k)).toBeLessThan(0.15));
    expect(() => parseDrift('tx_avg_power')).toThrow(/param:sigma-per-lot/);
  });
});
