/**
 * @module How a product names its lanes for people (src/domain/lanes.ts `laneNamingOf`), under the name the
 * evaluation modules import.
 */
export { laneNamingOf } from '../domain/lanes.js';
