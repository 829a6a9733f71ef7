/**
 * @module Moving a parse outcome between threads cheaply. A per-unit file yields ~200 measurements;
 * structured-cloning 200 small objects per file costs the receiving (store-writing) thread more than
 * reading typed arrays does. So the parsing thread packs measurements into columns (typed-array views
 * on one buffer, transferred, not copied) plus the few distinct parameter and corner names; the writing
 * thread unpacks them into the exact `Measurement` objects the parser made (same fields, same order).
 * Runs and quarantine entries are few and go as they are.
 */
import type { Censoring, IngestOutcome, Measurement, ParsedFile } from '../domain/measurement.js';

/** A ParsedFile with its measurements as columns. */
export interface PackedParsedFile extends Omit<ParsedFile, 'measurements'> {
  readonly packed: PackedMeasurements;
}

export interface PackedMeasurements {
  readonly length: number;
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
  readonly run: Int32Array;
  readonly parameter: Uint16Array;
  readonly corner: Uint16Array;
  /** -1 for a per-module parameter (lane null). */
  readonly lane: Int16Array;
  readonly value: Float64Array;
  /** 0 none, 1 below, 2 above. */
  readonly censoring: Uint8Array;
  readonly line: Int32Array;
  /** 0 absent, 1 pass, 2 fail. */
  readonly verdict: Uint8Array;
  /** Bit 0: stationLimits present; bit 1: low is null; bit 2: high is null. */
  readonly limitFlags: Uint8Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

export type PackedOutcome =
  | { readonly kind: 'parsed'; readonly file: PackedParsedFile }
  | { readonly kind: 'rejected'; readonly file: Extract<IngestOutcome, { kind: 'rejected' }>['file'] };

const CENSORING: readonly Censoring[] = ['none', 'below', 'above'];
const censorCode = (c: Censoring): number => (c === 'none' ? 0 : c === 'below' ? 1 : 2);

/** Packs an outcome; `transfer` lists the buffers to hand over with postMessage. */
export function packOutcome(outcome: IngestOutcome): { readonly packed: PackedOutcome; readonly transfer: ArrayBuffer[] } {
  if (outcome.kind === 'rejected') return { packed: outcome, transfer: [] };
  const { measurements, ...rest } = outcome.file;
  const n = measurements.length;
  const parameters: string[] = [];
  const corners: string[] = [];
  const parameterIndex = new Map<string, number>();
  const cornerIndex = new Map<string, number>();
  // All columns are views on one buffer (8-byte columns first, so every view is aligned): one
  // allocation and one transferred buffer per file instead of eleven.
  const buffer = new ArrayBuffer(n * (3 * 8 + 2 * 4 + 3 * 2 + 3));
  let offset = 0;
  const view = <T>(make: new (b: ArrayBuffer, o: number, l: number) => T, bytes: number): T => {
    const v = new make(buffer, offset, n);
    offset += n * bytes;
    return v;
  };
  const p: PackedMeasurements = {
    length: n,
    parameters,
    corners,
    value: view(Float64Array, 8),
    low: view(Float64Array, 8),
    high: view(Float64Array, 8),
    run: view(Int32Array, 4),
    line: view(Int32Array, 4),
    parameter: view(Uint16Array, 2),
    corner: view(Uint16Array, 2),
    lane: view(Int16Array, 2),
    censoring: view(Uint8Array, 1),
    verdict: view(Uint8Array, 1),
    limitFlags: view(Uint8Array, 1),
  };
  for (let i = 0; i < n; i++) {
    const m = measurements[i] as Measurement;
    let pi = parameterIndex.get(m.parameter);
    if (pi === undefined) {
      pi = parameters.push(m.parameter) - 1;
      parameterIndex.set(m.parameter, pi);
    }
    let ci = cornerIndex.get(m.corner);
    if (ci === undefined) {
      ci = corners.push(m.corner) - 1;
      cornerIndex.set(m.corner, ci);
    }
    p.run[i] = m.run;
    p.parameter[i] = pi;
    p.corner[i] = ci;
    p.lane[i] = m.lane ?? -1;
    p.value[i] = m.value;
    p.censoring[i] = censorCode(m.censoring);
    p.line[i] = m.line;
    if (m.stationVerdict !== undefined) p.verdict[i] = m.stationVerdict === 'pass' ? 1 : 2;
    const limits = m.stationLimits;
    if (limits !== undefined) {
      p.limitFlags[i] = 1 | (limits.low === null ? 2 : 0) | (limits.high === null ? 4 : 0);
      p.low[i] = limits.low ?? 0;
      p.high[i] = limits.high ?? 0;
    }
  }
  return { packed: { kind: 'parsed', file: { ...rest, packed: p } }, transfer: [buffer] };
}

/** The outcome the parser produced, measurement objects rebuilt field for field. */
export function unpackOutcome(packed: PackedOutcome): IngestOutcome {
  if (packed.kind === 'rejected') return packed;
  const { packed: p, runs, quarantine, ...head } = packed.file;
  const measurements = new Array<Measurement>(p.length);
  for (let i = 0; i < p.length; i++) {
    const lane = p.lane[i] as number;
    const m: { -readonly [K in keyof Measurement]: Measurement[K] } = {
      run: p.run[i] as number,
      parameter: p.parameters[p.parameter[i] as number] as string,
      corner: p.corners[p.corner[i] as number] as string,
      lane: lane === -1 ? null : lane,
      value: p.value[i] as number,
      censoring: CENSORING[p.censoring[i] as number] as Censoring,
      line: p.line[i] as number,
    };
    const verdict = p.verdict[i];
    if (verdict !== 0) m.stationVerdict = verdict === 1 ? 'pass' : 'fail';
    const flags = p.limitFlags[i] as number;
    if (flags !== 0) m.stationLimits = { low: flags & 2 ? null : (p.low[i] as number), high: flags & 4 ? null : (p.high[i] as number) };
    measurements[i] = m;
  }
  return { kind: 'parsed', file: { ...head, runs, measurements, quarantine } };
}
