/**
 * @module InjectionSyntax — the command-line spelling of injections:
 * `--shift param:lane:sigma[:corner]` (`*` = every lane) and
 * `--variance param:factor[:lane[:corner]]`, `--station-offset STATION:param:sigma`, `--stuck param[:lane]`,
 * `--drift param:sigma-per-lot`. A person types lanes as the station and every lotqa report print them —
 * channel numbers from 1 — so lane 1 here is the generator's lane index 0.
 */
import type { HistoryDrift } from './generate-history.js';
import type { MeanShift, StationOffset, StuckGauge, VarianceBlowUp } from './lot-options.js';
import { SimOptionError } from './sim-errors.js';

function number(text: string | undefined, what: string, whole: string): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v))
    throw new SimOptionError(`${whole}: ${what} "${text ?? ''}" is not a number`);
  return v;
}

/** A channel number (1 = the first lane) as the generator's 0-based lane index; `*` or nothing: every lane. */
function lane(text: string | undefined, whole: string): number | undefined {
  if (text === undefined || text === '*' || text === '') return undefined;
  const v = number(text, 'lane', whole);
  if (!Number.isInteger(v) || v < 1)
    throw new SimOptionError(`${whole}: lane must be a channel number from 1 (as the station prints it) or *, got "${text}"`);
  return v - 1;
}

/** `tx_er:2:1.5` → shift tx_er on lane 2 (channel 2) by +1.5σ; `tx_er:*:-1:hot` → every lane, hot corner only. */
export function parseShift(text: string): MeanShift {
  const [parameter, laneText, sigmaText, corner, ...rest] = text.split(':');
  if (parameter === undefined || parameter === '' || sigmaText === undefined || rest.length > 0) {
    throw new SimOptionError(`--shift "${text}": expected param:lane:sigma[:corner], e.g. tx_er:2:1.5 or tx_er:*:-1:hot`);
  }
  const l = lane(laneText, `--shift "${text}"`);
  return {
    parameter,
    sigma: number(sigmaText, 'sigma', `--shift "${text}"`),
    ...(l === undefined ? {} : { lane: l }),
    ...(corner ? { corner } : {}),
  };
}

/** `tx_tdecq:2` → double the unit-to-unit σ of tx_tdecq everywhere; `tx_er:1.5:3:hot` → lane 3, hot only. */
export function parseVariance(text: string): VarianceBlowUp {
  const [parameter, factorText, laneText, corner, ...rest] = text.split(':');
  if (parameter === undefined || parameter === '' || factorText === undefined || rest.length > 0) {
    throw new SimOptionError(`--variance "${text}": expected param:factor[:lane[:corner]], e.g. tx_tdecq:2`);
  }
  const l = lane(laneText, `--variance "${text}"`);
  return {
    parameter,
    factor: number(factorText, 'factor', `--variance "${text}"`),
    ...(l === undefined ? {} : { lane: l }),
    ...(corner ? { corner } : {}),
  };
}

/** `ATE-03:tx_avg_power:0.7` → station ATE-03 reads tx_avg_power 0.7σ high. */
export function parseStationOffset(text: string): StationOffset {
  const [station, parameter, sigmaText, ...rest] = text.split(':');
  if (!station || !parameter || sigmaText === undefined || rest.length > 0)
    throw new SimOptionError(`--station-offset "${text}": expected STATION:param:sigma, e.g. ATE-03:tx_avg_power:1`);
  return { station, parameter, sigma: number(sigmaText, 'sigma', `--station-offset "${text}"`) };
}

/** `tx_avg_power` → stuck on every lane; `tx_avg_power:2` → lane 2 (channel 2) only. */
export function parseStuck(text: string): StuckGauge {
  const [parameter, laneText, ...rest] = text.split(':');
  if (!parameter || rest.length > 0) throw new SimOptionError(`--stuck "${text}": expected param[:lane], e.g. tx_avg_power:2`);
  const l = lane(laneText, `--stuck "${text}"`);
  return { parameter, ...(l === undefined ? {} : { lane: l }) };
}

/** `tx_avg_power:0.1` → the lot mean of tx_avg_power moves +0.1σ per lot across a history. */
export function parseDrift(text: string): HistoryDrift {
  const [parameter, rateText, ...rest] = text.split(':');
  if (!parameter || rateText === undefined || rest.length > 0)
    throw new SimOptionError(`--drift "${text}": expected param:sigma-per-lot, e.g. tx_avg_power:0.1`);
  return { parameter, sigmaPerLot: number(rateText, 'sigma per lot', `--drift "${text}"`) };
}
