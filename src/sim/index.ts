/**
 * @module sim — the synthetic factory: seeded, realistic, exactly controllable station CSVs for the
 * demo, the tests and the benchmarks.
 */
export { generateLot, slotValues, type GeneratedLot, type GeneratedRun, type InjectedFault } from './generate-lot.js';
export { generateHistory, type GenerateHistoryOptions, type HistoryLot, type HistoryDrift } from './generate-history.js';
export {
  writeLotFiles,
  renderLotFiles,
  lotManifest,
  type LotManifest,
  type ManifestFile,
  type WriteLotResult,
  type RenderedFile,
  type FileFault,
} from './write-lot-files.js';
export {
  buildProcessModel,
  slotKey,
  DEFAULT_PROCESS_SETTINGS,
  type ProcessModel,
  type ProcessSettings,
  type SlotModel,
} from './process-model.js';
export {
  MALFORMATION_KINDS,
  type GenerateLotOptions,
  type MeanShift,
  type VarianceBlowUp,
  type StationOffset,
  type StuckGauge,
  type MalformationKind,
  type ResolvedLotOptions,
} from './lot-options.js';
export { parseShift, parseVariance, parseStationOffset, parseStuck, parseDrift } from './injection-syntax.js';
export { SeededRandom, type Seed } from './seeded-random.js';
export { SimOptionError, SimProfileError, SimSpecError } from './sim-errors.js';
export type { MalformedFault } from './malformations.js';
