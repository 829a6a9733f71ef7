/** @module ingest — station CSV files → ParsedFile / RejectedFile (no database access). */
export { parseStationFile, type ParseStationFileOptions } from './parse-station-file.js';
export { detectProfile, readProfileHeader, type Detection, type ProfileHeader } from './detect-profile.js';
export { readFileHead, type FileHead, type HeadLine } from './file-head.js';
export { compileLayout, locateTable, type TableLocation } from './file-layout.js';
export { checkIdentityValue, type IdentityCheck } from './identity-check.js';
export { convertToCanonical, canConvert, acceptedUnits, foldUnit, type UnitConversion } from '../domain/unit-conversion.js';
export { parseNumericCell, type NumericCell } from './numeric-cell.js';
export { parseTestTime } from './test-time.js';
export { FileRejection, StationProfileError } from './ingest-errors.js';
