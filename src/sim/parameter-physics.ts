/**
 * @module ParameterPhysics — what the synthetic factory knows about how each transceiver parameter
 * behaves on a real line: its typical unit-to-unit spread (used when the spec gives only one limit),
 * how it moves with case temperature, whether its distribution is skewed or log-normal, which
 * parameters drive it, and the resolution a station writes it with.
 *
 * Values are engineering judgement for a demo factory **[I]**, guided by
 * shared/domain/transceiver-test.md (e.g. uncooled DFB/EML wavelength drift ~0.08–0.1 nm/°C, hot
 * modules lose launch power and draw more current, RX sensitivity worsens hot). Parameters the table
 * does not know get the unit-based defaults at the bottom.
 */
import type { CanonicalUnit } from '../domain/product-spec.js';

/** A parameter that drives another one within the same unit, lane and corner. */
export interface Driver {
  readonly parameter: string;
  /** d(target)/d(driver) in canonical units, e.g. 1 dB of OMA per dB of average power. */
  readonly slope: number;
}

export interface ParameterPhysics {
  /** Typical unit-to-unit standard deviation in the canonical unit (decades for log-normal ones). */
  readonly sigma: number;
  /** Change per °C of case temperature away from the room corner (canonical unit per °C). */
  readonly temperatureCoefficient: number;
  /** Log-normal shape of a right-skewed parameter (0 = normal). TDECQ is positive and skewed. */
  readonly skew: number;
  /** Modelled in log10 space (BER-like ratios spanning decades). */
  readonly logScale: boolean;
  /** Typical value when the spec gives no limit and no target. */
  readonly typical: number;
  /** Decimals a station writes in the canonical unit; values are quantised to it. */
  readonly decimals: number;
  /** Receiver searches that stop at a floor and write `<floor>` for better units. */
  readonly censoredBelow: boolean;
  /** Physical lower bound (e.g. TDECQ ≥ 0); generated values never go under it. */
  readonly floor: number | null;
  /** The reading is the case temperature itself: its room value is the room corner's temperature. */
  readonly tracksCornerTemperature: boolean;
  readonly drivers: readonly Driver[];
}

/** Slope of OMAouter (dBm) per dB of extinction ratio at ER ≈ 5.5 dB: d/dER 10·log10(2(r−1)/(r+1)) = 2r/(r²−1), r = 10^(ER/10). */
const OMA_PER_ER_DB = ((r: number) => (2 * r) / (r * r - 1))(10 ** (5.5 / 10));

const DEFAULTS_BY_UNIT: Readonly<Record<CanonicalUnit, Omit<ParameterPhysics, 'drivers'>>> = {
  dBm: {
    sigma: 0.4,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 0,
    decimals: 3,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  dB: {
    sigma: 0.4,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 0,
    decimals: 3,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  'dB/Hz': {
    sigma: 2,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: -145,
    decimals: 2,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  nm: {
    sigma: 0.5,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 1310,
    decimals: 3,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  ps: {
    sigma: 1,
    temperatureCoefficient: 0,
    skew: 0.15,
    logScale: false,
    typical: 12,
    decimals: 2,
    censoredBelow: false,
    floor: 0,
    tracksCornerTemperature: false,
  },
  W: {
    sigma: 0.25,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 10,
    decimals: 4,
    censoredBelow: false,
    floor: 0,
    tracksCornerTemperature: false,
  },
  A: {
    sigma: 0.08,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 3,
    decimals: 4,
    censoredBelow: false,
    floor: 0,
    tracksCornerTemperature: false,
  },
  V: {
    sigma: 0.03,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 3.3,
    decimals: 4,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  degC: {
    sigma: 0.5,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 25,
    decimals: 2,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
  ratio: {
    sigma: 0.4,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: true,
    typical: 1e-6,
    decimals: 4,
    censoredBelow: false,
    floor: 0,
    tracksCornerTemperature: false,
  },
  '%': {
    sigma: 2,
    temperatureCoefficient: 0,
    skew: 0,
    logScale: false,
    typical: 0,
    decimals: 2,
    censoredBelow: false,
    floor: null,
    tracksCornerTemperature: false,
  },
};

type Known = Partial<ParameterPhysics> & { readonly unit?: never };

/** Parameters of shared/domain/transceiver-test.md §1.1 with their on-line behaviour. */
const KNOWN: Readonly<Record<string, Known>> = {
  tx_avg_power: { sigma: 0.5, temperatureCoefficient: -0.015 },
  tx_total_power: { sigma: 0.35, temperatureCoefficient: -0.015 },
  tx_oma_outer: {
    sigma: 0.5,
    temperatureCoefficient: -0.015,
    drivers: [
      { parameter: 'tx_avg_power', slope: 1 },
      { parameter: 'tx_er', slope: OMA_PER_ER_DB },
    ],
  },
  tx_er: { sigma: 0.4, temperatureCoefficient: -0.02, typical: 5.5 },
  tx_tdecq: {
    sigma: 0.3,
    temperatureCoefficient: 0.01,
    skew: 0.2,
    floor: 0.1,
    typical: 1.8,
    drivers: [{ parameter: 'tx_er', slope: -0.25 }],
  },
  tx_tdecq_ceq: {
    sigma: 0.3,
    temperatureCoefficient: 0.01,
    skew: 0.2,
    floor: 0.1,
    typical: 1.6,
    drivers: [{ parameter: 'tx_tdecq', slope: 0.9 }],
  },
  tx_wavelength: { sigma: 0.8, temperatureCoefficient: 0.09, typical: 1311 },
  tx_smsr: { sigma: 2, temperatureCoefficient: -0.03, typical: 42 },
  tx_rin: { sigma: 2, temperatureCoefficient: 0.03, typical: -146 },
  tx_off_power: { sigma: 3, temperatureCoefficient: 0.05, typical: -32 },
  tx_transition_time: { sigma: 1, temperatureCoefficient: 0.02, skew: 0.15, floor: 1, typical: 12 },
  rx_sensitivity_oma: { sigma: 0.35, temperatureCoefficient: 0.012, censoredBelow: true, typical: -7 },
  rx_srs_oma: { sigma: 0.35, temperatureCoefficient: 0.012, typical: -4, drivers: [{ parameter: 'rx_sensitivity_oma', slope: 1 }] },
  rx_secq: { sigma: 0.05, typical: 3.4 },
  rx_overload: { sigma: 0.3, typical: 5 },
  rx_los_assert: { sigma: 1, typical: -13 },
  rx_los_deassert: { sigma: 1, typical: -12, drivers: [{ parameter: 'rx_los_assert', slope: 1 }] },
  rx_los_hyst: { sigma: 0.3, floor: 0, typical: 1.2 },
  module_power: { sigma: 0.25, temperatureCoefficient: 0.02, typical: 9.5 },
  icc: { sigma: 0.08, temperatureCoefficient: 0.006, typical: 2.9, drivers: [{ parameter: 'module_power', slope: 1 / 3.3 }] },
  vcc: { sigma: 0.01, typical: 3.3 },
  case_temp: { sigma: 0.4, temperatureCoefficient: 1, tracksCornerTemperature: true },
  prefec_ber: { sigma: 0.4, logScale: true, temperatureCoefficient: 0.01, typical: 3e-6 },
  rx_out_swing: { sigma: 0.03, typical: 0.6 },
  tx_in_linear_gain: { sigma: 0.3, typical: 0 },
};

/** Physics of a parameter: the table entry merged over the defaults for its canonical unit. */
export function parameterPhysics(id: string, unit: CanonicalUnit): ParameterPhysics {
  const known = KNOWN[id] ?? {};
  return { ...DEFAULTS_BY_UNIT[unit], drivers: [], ...known };
}
